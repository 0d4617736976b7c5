"""Model types loaded from data; counts written through inventory.services (rules in its docstring)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from assessments.services import DomainError
from inventory.models import CountStatus, ModelCount, ModelKind, ModelType
from inventory.services import model_counts_record, model_counts_verify
from tests import factories
from tests.conftest import record

pytestmark = pytest.mark.django_db


def test_load_model_types_is_idempotent_and_loads_the_four_seed_types():
    for _ in range(2):
        out = io.StringIO()
        call_command("load_model_types", stdout=out)
    assert "4 trong tệp, tạo mới 0" in out.getvalue()
    types = {t.code: t for t in ModelType.objects.all()}
    assert list(types) == ["zalo_mailbox", "security_camera", "radio_loudspeaker", "disaster_plan"]
    assert types["zalo_mailbox"].name == "Hòm thư Zalo 4.0" and types["zalo_mailbox"].kind == ModelKind.COUNT
    assert types["security_camera"].name == "Camera an ninh"
    assert types["radio_loudspeaker"].name == "Đài truyền thanh và hệ thống loa đến thôn, xóm"
    assert types["disaster_plan"].name == "Phương án phòng chống thiên tai, tìm kiếm cứu nạn"
    assert types["radio_loudspeaker"].kind == types["disaster_plan"].kind == ModelKind.YES_NO


def test_officer_records_self_counts_linked_to_the_assessment(model_types, criteria_set, unit, officer_user):
    assessment = record(unit, 2025, 12, stage="self")
    n = model_counts_record(unit=unit, year=2025, actor=officer_user, counts={
        model_types["zalo_mailbox"]: 3, model_types["radio_loudspeaker"]: 1, model_types["security_camera"]: None})
    assert n == 2
    rows = {c.model_type.code: c for c in ModelCount.objects.all()}
    assert set(rows) == {"zalo_mailbox", "radio_loudspeaker"}
    assert rows["zalo_mailbox"].count == 3 and rows["zalo_mailbox"].status == CountStatus.SELF
    assert rows["zalo_mailbox"].assessment == assessment and rows["zalo_mailbox"].recorded_by == officer_user
    assert rows["zalo_mailbox"].history.count() == 1


@pytest.mark.parametrize("code, count", [("radio_loudspeaker", 2), ("zalo_mailbox", -1)])
def test_bad_counts_are_refused(model_types, unit, officer_user, code, count):
    with pytest.raises(DomainError):
        model_counts_record(unit=unit, year=2025, actor=officer_user, counts={model_types[code]: count})
    assert not ModelCount.objects.exists()


def test_officer_of_another_unit_and_an_ended_unit_are_refused(model_types, unit, other_unit, officer_user):
    with pytest.raises(DomainError):
        model_counts_record(unit=other_unit, year=2025, actor=officer_user, counts={model_types["zalo_mailbox"]: 1})
    unit.valid_to = datetime.date(2025, 6, 30)
    unit.save()
    with pytest.raises(DomainError):
        model_counts_record(unit=unit, year=2025, actor=officer_user, counts={model_types["zalo_mailbox"]: 1})
    assert not ModelCount.objects.exists()


def test_reviewer_verifies_and_then_the_officer_cannot_change_it(model_types, unit, officer_user, reviewer_user):
    zalo = model_types["zalo_mailbox"]
    model_counts_record(unit=unit, year=2025, actor=officer_user, counts={zalo: 3})
    with pytest.raises(DomainError):
        model_counts_verify(unit=unit, year=2024, actor=reviewer_user)  # nothing waiting that year
    assert model_counts_verify(unit=unit, year=2025, actor=reviewer_user) == 1
    row = ModelCount.objects.get()
    assert row.status == CountStatus.VERIFIED and row.verified_by == reviewer_user
    with pytest.raises(DomainError):
        model_counts_record(unit=unit, year=2025, actor=officer_user, counts={zalo: 5})
    assert ModelCount.objects.get().count == 3
    # The same value again is not a change; a reviewer's correction stays verified.
    assert model_counts_record(unit=unit, year=2025, actor=officer_user, counts={zalo: 3}) == 0
    model_counts_record(unit=unit, year=2025, actor=reviewer_user, counts={zalo: 4})
    row = ModelCount.objects.get()
    assert (row.count, row.status) == (4, CountStatus.VERIFIED)
    assert [h.count for h in row.history.order_by("history_date")] == [3, 3, 4]


def test_reviewer_of_another_district_cannot_verify(model_types, unit, officer_user, other_district):
    model_counts_record(unit=unit, year=2025, actor=officer_user, counts={model_types["zalo_mailbox"]: 3})
    with pytest.raises(DomainError):
        model_counts_verify(unit=unit, year=2025, actor=factories.reviewer(other_district))
    assert ModelCount.objects.get().status == CountStatus.SELF


def test_seed_demo_models_fills_every_holder_once(model_types, criteria_set, unit, other_unit):
    out = io.StringIO()
    with pytest.raises(CommandError):  # the test settings are not DEBUG: refused without --force
        call_command("seed_demo_models", stdout=out)
    call_command("seed_demo_models", "--force", stdout=out)
    call_command("seed_demo_models", "--force", stdout=out)
    assert "không tạo dữ liệu minh họa" in out.getvalue()
    # Two frame units × 4 types × the five demo years (2022–2026).
    assert ModelCount.objects.count() == 2 * 4 * 5
    assert not ModelCount.objects.filter(model_type__kind=ModelKind.YES_NO, count__gt=1).exists()
