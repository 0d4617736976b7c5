"""Figures maintained on write (DESIGN §6): after every kind of write, and after random histories across the
1/7/2025 reform, the stored facts equal an independent recomputation (`check_figures`), and the cached
reports equal fresh ones.

World (province 17, one district): a, b, c (xã, in force until 30/6/2025) → M whole from 1/7/2025; d (xã)
→ N (primary part) and M (part); g (xã) still in force; a phường outside the frame.
"""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import facts, services
from assessments.facts.check import check
from assessments.models import Assessment, FactDay, FrameFact, Level, Recognition, Registration, Status
from communes.models import UnitKind, UnitSuccession
from data_exchange.services import ImportRejected, data_import
from reports.completeness import completeness_load
from reports.national import national_report
from reports.progress import build_report
from tests import factories
from tests.conftest import record
from tests.data_exchange.conftest import assessment_row, csv_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
END, START = D(2025, 6, 30), D(2025, 7, 1)
YEARS = (2024, 2025, 2026)


@pytest.fixture
def world(criteria_set):
    programme = criteria_set.programme
    p17 = programme.territory_province
    h = factories.DistrictFactory(province=p17, name="Huyện H")
    u = {key: factories.UnitFactory(district=h, name=f"Xã {key}") for key in "abcdg"}
    factories.UnitFactory(district=h, kind=UnitKind.PHUONG, name="Phường w")
    for key in "abcd":
        u[key].valid_to = END
        u[key].save()
    for key in ("M", "N"):
        u[key] = factories.UnitFactory(district=None, province=p17, name=f"Xã {key}", valid_from=START)
    for old, new, whole, primary in (("a", "M", True, True), ("b", "M", True, True), ("c", "M", True, True),
                                     ("d", "N", False, True), ("d", "M", False, False)):
        UnitSuccession.objects.create(predecessor=u[old], successor=u[new], effective_on=START, whole=whole,
                                      primary=primary)
    factories.TargetFactory(programme=programme, key="pilot", kind="pilot_recognized", number=1,
                            deadline=D(2022, 12, 31))
    factories.TargetFactory(programme=programme, key="rec", kind="recognized", number=2, deadline=D(2025, 12, 31))
    factories.TargetFactory(programme=programme, key="b13", kind="band", band="13+", level=None, number=1,
                            deadline=D(2025, 12, 31))
    people = {key: factories.officer(u[key]) for key in u}
    people["reviewer"] = factories.reviewer(h)
    people["province_reviewer"] = factories.province_reviewer(p17)
    people["admin"] = factories.administrator()
    return {"units": u, "people": people, "programme": programme}


def _read_everything(world):
    """Store every day the reports read, and fill the cache."""
    for year in YEARS:
        for figures in ("official", "preliminary"):
            build_report(year=year, programme=world["programme"], figures=figures)
        national_report(year=year)
        completeness_load(programme=world["programme"], year=year)


def _assert_figures_right():
    days, differences = check()
    assert days > 0
    assert differences == [], "\n".join(map(str, differences))


def _reviewer(world, unit):
    return world["people"]["reviewer"] if unit.district_id else world["people"]["province_reviewer"]


# ---------------------------------------------------------------- each kind of write


def _start(world, key, year):
    unit = world["units"][key]
    return services.assessment_get_or_create(unit=unit, year=year, actor=world["people"][key])


def _answer(world, key, year, met):
    a = _start(world, key, year)
    values = {r.criterion_id: {"self_result": "met" if r.criterion.number <= met else "not_met"}
              for r in a.results.select_related("criterion")}
    return services.assessment_save_self(assessment=a, actor=world["people"][key], version=a.version, values=values)


def _submit(world, key, year, met=14):
    a = _answer(world, key, year, met)
    return services.assessment_submit(assessment=a, actor=world["people"][key])


def _verify(world, key, year, met=14):
    a = _submit(world, key, year, met)
    return services.assessment_verify(assessment=a, actor=_reviewer(world, world["units"][key]))


def _return(world, key, year):
    a = _submit(world, key, year)
    return services.assessment_return(assessment=a, actor=_reviewer(world, world["units"][key]), reason="Bổ sung")


def _recognise(world, key, day, level=Level.COMMUNE):
    return services.recognition_create(unit=world["units"][key], level=level, decision_number=f"{key}{day}",
                                       decision_date=day, issued_by="UBND", actor=world["people"]["admin"],
                                       historical=True)


WRITES = {
    "start": lambda w: _start(w, "M", 2026),
    "returned_answers": lambda w: _answer(w, "N", 2025, 3) if _return(w, "N", 2025) else None,
    "submit": lambda w: _submit(w, "M", 2026),
    "return": lambda w: _return(w, "M", 2025),
    "verify": lambda w: _verify(w, "N", 2025, 13),
    "verify_before_the_reform": lambda w: _verify(w, "a", 2024, 10),
    "reopen": lambda w: services.assessment_reopen(assessment=_verify(w, "M", 2025), actor=w["people"]["admin"],
                                                   reason="Sai số liệu"),
    "recall": lambda w: services.assessment_recall(assessment=_submit(w, "M", 2025), actor=w["people"]["M"],
                                                   reason="Quên tệp", version=None),
    "record": lambda w: record(w["units"]["g"], 2025, 12),
    "recognise_holder": lambda w: _recognise(w, "M", D(2025, 12, 1)),
    "recognise_ended_unit": lambda w: _recognise(w, "a", D(2024, 12, 1)),
    "revoke": lambda w: services.recognition_revoke(recognition=_recognise(w, "g", D(2024, 3, 1)),
                                                    actor=w["people"]["admin"], revoked_on=D(2025, 2, 1), reason="x"),
    "register": lambda w: services.registration_create(unit=w["units"]["a"], year=2022, actor=w["people"]["admin"]),
    "unregister": lambda w: services.registration_delete(
        registration=services.registration_create(unit=w["units"]["g"], year=2022, actor=w["people"]["admin"]),
        actor=w["people"]["admin"]),
    "import": lambda w: data_import(kind="assessments", name="a.csv",
                                    data=csv_bytes([assessment_row(w["units"]["g"], 2026, met=13)])),
    "merge": lambda w: _merge_g(w),
}


def _merge_g(world):
    g, n = world["units"]["g"], world["units"]["N"]
    g.valid_to = END
    g.save()
    UnitSuccession.objects.create(predecessor=g, successor=n, effective_on=START)


# What a write needs before it (so that it changes a figure a report shows).
SETUPS = {"register": lambda w: _recognise(w, "a", D(2022, 11, 1))}


@pytest.mark.parametrize("write", list(WRITES))
def test_the_stored_figures_equal_a_recomputation_after_each_kind_of_write(world, write):
    SETUPS.get(write, lambda w: None)(world)
    _read_everything(world)
    _assert_figures_right()
    cached = {year: build_report(year=year, programme=world["programme"]) for year in YEARS}
    WRITES[write](world)
    _read_everything(world)
    _assert_figures_right()
    served = {year: build_report(year=year, programme=world["programme"]) for year in YEARS}
    cache.clear()
    fresh = {year: build_report(year=year, programme=world["programme"]) for year in YEARS}
    assert served == fresh
    if write not in ("start", "unregister", "return", "recall"):
        assert served != cached, "the write changed no figure: the test does not test it"


def test_a_draft_autosave_changes_no_stored_figure(world):
    draft = _start(world, "M", 2026)
    _read_everything(world)
    stored = list(FrameFact.objects.order_by("pk").values())
    tokens = list(FactDay.objects.order_by("pk").values_list("token", flat=True))
    _answer(world, "M", 2026, 9)
    assert list(FrameFact.objects.order_by("pk").values()) == stored
    assert list(FactDay.objects.order_by("pk").values_list("token", flat=True)) == tokens
    assert Assessment.objects.get(pk=draft.pk).self_met_count == 9


def test_check_figures_reports_a_difference_and_exits_non_zero(world):
    _verify(world, "N", 2025, 13)
    _read_everything(world)
    out = io.StringIO()
    call_command("check_figures", stdout=out)
    assert "0 sai khác" in out.getvalue()
    FrameFact.objects.filter(unit=world["units"]["d"], day=D(2025, 12, 31)).update(band="9")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 sai khác"):
        call_command("check_figures", "--year", "2025", stdout=out)
    assert f"{world['units']['d'].code:05d}: band stored '9', recomputed '13+'" in out.getvalue()
    # Another year is not looked at.
    call_command("check_figures", "--year", "2024", stdout=io.StringIO())


# ---------------------------------------------------------------- random histories

KEYS_BY_YEAR = {2024: "abcdg", 2025: "MNg", 2026: "MNg"}
STEP = st.tuples(
    st.sampled_from(["start", "answer", "submit", "return", "verify", "reopen", "recall", "record", "recognise",
                     "revoke", "register", "unregister"]),
    st.sampled_from(YEARS), st.integers(0, 4), st.integers(0, 16),
)


def _submitted(world, key, year, met):
    """The unit's assessment of `year`, taken to "submitted" if it is not further along."""
    a = Assessment.objects.filter(unit=world["units"][key], year=year).first()
    if a is None or a.status in (Status.DRAFT, Status.RETURNED):
        a = services.assessment_submit(assessment=_answer(world, key, year, met), actor=world["people"][key])
    return a


def _step(world, action, year, pick, met):
    """One write, driven towards its precondition (a verify submits first) so that most steps do something."""
    keys = KEYS_BY_YEAR[year]
    key = keys[pick % len(keys)]
    unit, people = world["units"][key], world["people"]
    reviewer, admin = _reviewer(world, unit), people["admin"]
    if action == "start":
        _start(world, key, year)
    elif action == "answer":
        _answer(world, key, year, met)
    elif action == "submit":
        _submitted(world, key, year, met)
    elif action == "return":
        a = _submitted(world, key, year, met)
        services.assessment_return(assessment=a, actor=reviewer, reason="Bổ sung")
    elif action == "verify":
        a = _submitted(world, key, year, met)
        services.assessment_verify(assessment=a, actor=reviewer)
    elif action == "reopen":
        a = _submitted(world, key, year, met)
        if a.status != Status.VERIFIED:
            a = services.assessment_verify(assessment=a, actor=reviewer)
        services.assessment_reopen(assessment=a, actor=admin, reason="Sai")
    elif action == "recall":
        services.assessment_recall(assessment=_submitted(world, key, year, met), actor=people[key], reason="Sửa",
                                   version=None)
    elif action == "record":
        record(unit, year, met, stage="verified" if met % 2 else "self")
    elif action == "recognise":
        _recognise(world, key, D(year, 1 + met % 12, 1), level=Level.COMMUNE if met < 12 else Level.PROVINCE)
    elif action == "revoke":
        held = Recognition.objects.filter(unit=unit, revoked_on__isnull=True).first()
        if held is not None:
            services.recognition_revoke(recognition=held, actor=admin, revoked_on=max(held.decision_date,
                                        D(year, 6, 1)), reason="Thu hồi")
    elif action == "register":
        services.registration_create(unit=unit, year=year, actor=admin)
    elif action == "unregister":
        registration = Registration.objects.filter(unit=unit).first()
        if registration is not None:
            services.registration_delete(registration=registration, actor=admin)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_random_histories_across_the_reform_keep_every_figure_right(world, steps):
    with transaction.atomic():
        _read_everything(world)
        for action, year, pick, met in steps:
            try:
                with transaction.atomic():
                    _step(world, action, year, pick, met)
            except (services.DomainError, ImportRejected):
                pass  # a step the rules refuse changes nothing
            _assert_figures_right()
        served = {(y, f): build_report(year=y, programme=world["programme"], figures=f)
                  for y in YEARS for f in ("official", "preliminary")}
        national = {y: national_report(year=y) for y in YEARS}
        cache.clear()
        assert served == {(y, f): build_report(year=y, programme=world["programme"], figures=f)
                          for y in YEARS for f in ("official", "preliminary")}
        assert national == {y: national_report(year=y) for y in YEARS}
        transaction.set_rollback(True)
    cache.clear()


def test_forgotten_figures_are_stored_again_from_the_records(world):
    _verify(world, "N", 2025, 13)
    before = build_report(year=2025, programme=world["programme"])
    facts.forget()
    assert not FactDay.objects.exists() and not FrameFact.objects.exists()
    cache.clear()
    assert build_report(year=2025, programme=world["programme"]) == before
    _assert_figures_right()
    assert Assessment.objects.get(unit=world["units"]["N"], year=2025).status == Status.VERIFIED
