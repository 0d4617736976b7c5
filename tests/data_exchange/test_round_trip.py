"""Backups round-trip: export as import files, empty the tables, import, same progress report JSON."""

import datetime
import json

import pytest
from django.core.management import call_command

from assessments import facts, services
from assessments.models import Assessment, Level, Recognition, Registration
from reports.progress import progress_report
from tests import factories
from tests.conftest import record

pytestmark = pytest.mark.django_db

YEARS = (2022, 2023, 2024, 2025)


@pytest.fixture
def dataset(criteria_set, district, other_district, reviewer_user, officer_user, unit):
    units = [unit] + [factories.UnitFactory(district=d) for d in (district, other_district) for _ in range(4)]
    for i, u in enumerate(units):
        for year in YEARS[:3]:
            record(u, year, min(16, 8 + i + (year - 2022) * 2))
    # 2025: a mix of verified, submitted, returned and draft assessments.
    record(units[1], 2025, 16)
    record(units[2], 2025, 12, stage="self")
    returned = record(units[3], 2025, 10, stage="self")
    services.assessment_return(assessment=returned, actor=reviewer_user, reason="Bổ sung minh chứng")
    services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)  # a draft: not exported
    # Recognitions that respect the §3 rules (units with 16/16 verified).
    full = [u for u in units if Assessment.objects.filter(unit=u, verified_met_count=16).exists()]
    first = {u: Assessment.objects.filter(unit=u, verified_met_count=16).order_by("year").first().year for u in full}
    for n, u in enumerate(full):
        factories.RecognitionFactory(unit=u, level=Level.COMMUNE, decision_date=datetime.date(first[u], 12, 20),
                                     decision_number=f"{n}/QĐ-UBND")
    # A revoked decision: a backup keeps the revocation (optional revoked_on column, §5).
    last = full[-1]
    factories.RecognitionFactory(unit=last, level=Level.COMMUNE, decision_date=datetime.date(first[last], 12, 21),
                                 decision_number="R/QĐ-UBND", revoked_on=datetime.date(first[last] + 1, 6, 1))
    earliest = min(full, key=first.get)
    factories.RecognitionFactory(unit=earliest, level=Level.DISTRICT, decision_number="7/QĐ-UBND",
                                 decision_date=datetime.date(first[earliest] + 1, 3, 1))
    for u in units[:3]:
        factories.RegistrationFactory(unit=u, year=2022)
    factories.TargetFactory(key="t-commune", kind="recognized", level=Level.COMMUNE, number=3)
    factories.TargetFactory(key="t-13", kind="band", band="13+", level=None, number=2)
    factories.TargetFactory(key="t-2022", kind="pilot_recognized", level=Level.COMMUNE, number=1,
                            deadline=datetime.date(2022, 12, 31))
    return units


def reports():
    return {year: json.dumps(progress_report(year=year), sort_keys=True, default=str) for year in YEARS}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_empty_import_gives_the_same_report(tmp_path, dataset, suffix):
    before = reports()
    assert json.loads(before[2024])["bands"]["recognized"] >= 1  # the data is not trivially empty
    files = {kind: tmp_path / f"{kind}.{suffix}" for kind in ("assessments", "recognitions", "registrations")}
    for kind, path in files.items():
        call_command("export_data", kind, str(path), stdout=None)
    Recognition.objects.all().delete()
    Registration.objects.all().delete()
    Assessment.objects.all().delete()
    facts.forget()  # the tables were emptied behind the services' back: read the figures again
    assert reports() != before
    # Assessments first: commune recognitions rest on verified assessments.
    for kind in ("assessments", "recognitions", "registrations"):
        call_command("import_data", kind, str(files[kind]))
    assert reports() == before
    assert Recognition.objects.get(decision_number="R/QĐ-UBND").revoked_on is not None
    assert Assessment.objects.filter(status="returned").count() == 1


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_text_protected_against_formulas_comes_back_unchanged(tmp_path, criteria_set, unit, suffix):
    record(unit, 2023, 16)
    texts = {"=HYPERLINK(\"http://x.invalid\",\"UBND\")": "-5/QĐ-UBND", "@UBND huyện": "+7/QĐ", "'UBND": "'=8/QĐ"}
    for n, (issued_by, number) in enumerate(texts.items()):
        factories.RecognitionFactory(unit=unit, level=Level.COMMUNE, decision_number=number, issued_by=issued_by,
                                     decision_date=datetime.date(2023, 12, 20 + n))
    before = sorted(Recognition.objects.values_list("decision_number", "issued_by", "decision_date"))
    path = tmp_path / f"recognitions.{suffix}"
    call_command("export_data", "recognitions", str(path), stdout=None)
    Recognition.objects.all().delete()
    call_command("import_data", "recognitions", str(path), stdout=None)
    assert sorted(Recognition.objects.values_list("decision_number", "issued_by", "decision_date")) == before
