import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.loaders import DEFAULT_CRITERIA_FILE, criteria_load
from assessments.models import CriteriaSet, Criterion, Level, Programme, Target
from tests.conftest import record
from tests.factories import UnitFactory


def run(name, *args):
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_criteria_creates_the_16_criterion_template_once():
    run("load_criteria")
    criteria_set = CriteriaSet.objects.get()
    assert "mẫu" in criteria_set.name  # marked as a template in its name
    assert list(criteria_set.criteria.values_list("number", flat=True)) == list(range(1, 17))
    assert all(c.title and c.wording and c.evidence_guidance for c in criteria_set.criteria.all())
    assert criteria_set.programme.unit_kinds == ["xa", "thi_tran"]
    assert "0 thay đổi" in run("load_criteria")
    assert Criterion.objects.count() == 16
    assert Programme.objects.count() == 1


@pytest.mark.django_db
def test_load_criteria_never_rewrites_a_set_in_use(tmp_path):
    run("load_criteria")
    criteria_set = CriteriaSet.objects.get()
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
    assert Criterion.objects.get(number=5).wording == "Nội dung chính thức"


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
    run("load_targets")
    targets = {t.key: t for t in Target.objects.all()}
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
    Target.objects.filter(key="2025-band-9").update(number=32)
    assert "tạo mới 0" in run("load_targets")
    assert Target.objects.count() == 8
    assert Target.objects.get(key="2025-band-9").number == 32
