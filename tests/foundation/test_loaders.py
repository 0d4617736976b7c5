import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.loaders import PROGRAMMES_DIR, criteria_load
from assessments.models import CriteriaSet, Criterion, Level, Programme, Target
from tests.conftest import record
from tests.factories import DistrictFactory, ProvinceFactory, UnitFactory

DEFAULT_CRITERIA_FILE = PROGRAMMES_DIR / "nq12_commune" / "criteria.json"


@pytest.fixture(autouse=True)
def territory(db):
    """The programmes' data name their territory by GSO code: province 17 and its city 148."""
    return DistrictFactory(code=148, name="Thành phố Hòa Bình", province=ProvinceFactory(code=17))


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_criteria_creates_the_16_criterion_template_once(territory):
    run("load_criteria")
    criteria_set = CriteriaSet.objects.get(programme__code="nq12_commune")
    assert "mẫu" in criteria_set.name  # marked as a template in its name
    assert list(criteria_set.criteria.values_list("number", flat=True)) == list(range(1, 17))
    assert all(c.title and c.wording and c.evidence_guidance for c in criteria_set.criteria.all())
    programme = criteria_set.programme
    assert programme.unit_kinds == ["xa", "thi_tran"] and programme.is_default
    assert (programme.resolution_number, programme.resolution_date) == ("12/NQ-TU", datetime.date(2022, 6, 27))
    assert programme.territory_province.code == 17 and programme.territory_district is None
    assert (programme.commune_deadline, programme.district_deadline) == ("11-30", "12-15")
    # The ward pilot: its own template set, for the phường of the city.
    ward = CriteriaSet.objects.get(programme__code="nq12_ward")
    assert "mẫu" in ward.name and ward.criteria.count() >= 10
    assert ward.programme.unit_kinds == ["phuong"] and ward.programme.territory_district == territory
    assert not ward.programme.is_default
    out = run("load_criteria")
    assert "1 thay đổi" not in out and out.count("0 thay đổi") == 4
    assert Criterion.objects.count() == 16 + ward.criteria.count()
    assert Programme.objects.count() == 2


def test_load_criteria_renames_the_old_programme_code(territory):
    """A database from before programmes were data keeps its programme: the loader renames it."""
    old = Programme.objects.create(code="commune_model", name="cũ", unit_kinds=["xa", "thi_tran"])
    run("load_criteria")
    old.refresh_from_db()
    assert old.code == "nq12_commune" and old.is_default and old.territory_province.code == 17


def test_load_criteria_without_the_territory_is_a_clear_error(territory):
    territory.delete()
    with pytest.raises(CommandError, match="load_divisions"):
        run("load_criteria")


@pytest.mark.django_db
def test_load_criteria_never_rewrites_a_set_in_use(tmp_path):
    run("load_criteria")
    criteria_set = CriteriaSet.objects.get(programme__code="nq12_commune")
    record(UnitFactory(), 2024, 16, total=16)
    data = json.loads(DEFAULT_CRITERIA_FILE.read_text(encoding="utf-8"))
    data["criteria"][0]["title"] = "Đổi tên"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _set, changes = criteria_load(changed)
    assert changes == 0
    assert criteria_set.criteria.get(number=1).title != "Đổi tên"


@pytest.mark.django_db
def test_load_criteria_from_another_file_replaces_text(tmp_path):
    data = json.loads(DEFAULT_CRITERIA_FILE.read_text(encoding="utf-8"))
    run("load_criteria")
    data["criteria"][4]["wording"] = "Nội dung chính thức"
    official = tmp_path / "official.json"
    official.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run("load_criteria", str(official))
    assert Criterion.objects.get(number=5, criteria_set__programme__code="nq12_commune").wording == "Nội dung chính thức"


@pytest.mark.django_db
def test_load_criteria_bad_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON"):
        run("load_criteria", str(bad))
    with pytest.raises(CommandError, match="Không tìm thấy"):
        run("load_criteria", str(tmp_path / "missing.json"))
    assert CriteriaSet.objects.count() == 0


@pytest.mark.django_db
def test_load_targets_loads_the_eight_targets_of_12_nq_tu_idempotently():
    run("load_criteria")
    run("load_targets")
    targets = {t.key: t for t in Target.objects.filter(programme__code="nq12_commune")}
    assert len(targets) == 8
    assert {t.resolution for t in targets.values()} == {"12/NQ-TU"}
    pilot = targets["2022-pilot-commune"]
    assert (pilot.kind, pilot.level, pilot.number, pilot.deadline) == (
        "pilot_recognized", Level.COMMUNE, 3, datetime.date(2022, 12, 31))
    assert [(t.band, t.number) for t in sorted(targets.values(), key=lambda t: t.sort_order)
            if t.kind == "band"] == [("13+", 30), ("10-12", 50), ("9", 31)]
    assert targets["2025-recognized-commune"].number == 20
    assert targets["2025-recognized-district"].number == 3
    assert targets["2030-recognized-province"].level == Level.PROVINCE
    assert targets["2030-each-district"].kind == "per_district"
    assert "3/9 xã đăng ký xây dựng điểm" in pilot.text
    # Edited in the admin → a second load keeps the edit and creates nothing.
    ward = Target.objects.get(programme__code="nq12_ward")
    assert (ward.kind, ward.level, ward.number) == ("recognized", Level.COMMUNE, 1)
    assert "Phường điển hình" in ward.text
    Target.objects.filter(key="2025-band-9").update(number=32)
    assert run("load_targets").count("tạo mới 0") == 2
    assert Target.objects.count() == 9
    assert Target.objects.get(key="2025-band-9").number == 32
