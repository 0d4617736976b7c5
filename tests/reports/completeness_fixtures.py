"""A small programme year walked through the workflow on named days (see EXPECTED for the hand count).

Year 2026, default calendar: commune deadline 30/11, district deadline 15/12. Every step goes
through the services, then is dated (Transition.at, submitted_at, verified_at) at 10:00 local time
unless said otherwise.
"""

import datetime

from django.utils import timezone

from assessments import facts, services
from assessments.models import Assessment, Result, Transition
from communes.models import UnitSuccession
from tests import factories
from tests.conftest import record

Y = 2026
D = datetime.date


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _all_met(assessment):
    return {r.criterion_id: {"self_result": Result.MET, "note": ""} for r in assessment.results.all()}


def walk(unit, *path, year=Y, officer=None, reviewer=None):
    """Run `path` — ("start"|"submit"|"return"|"verify"|"record", moment) — and date every step."""
    officer = officer or factories.officer(unit)
    if reviewer is None:
        reviewer = (factories.reviewer(unit.district) if unit.district_id
                    else factories.province_reviewer(unit.province))
    assessment = None
    for action, _moment in path:
        if assessment is not None:
            assessment.refresh_from_db()
        if action == "start":
            assessment = services.assessment_get_or_create(unit=unit, year=year, actor=officer)
        elif action == "submit":
            services.assessment_save_self(assessment=assessment, actor=officer, version=assessment.version,
                                          values=_all_met(assessment))
            assessment.refresh_from_db()
            services.assessment_submit(assessment=assessment, actor=officer, version=assessment.version)
        elif action == "return":
            services.assessment_return(assessment=assessment, actor=reviewer, reason="Thiếu minh chứng tiêu chí 5")
        elif action == "verify":
            services.assessment_verify(assessment=assessment, actor=reviewer)
        elif action == "record":  # an import of a verified assessment: draft → verified in one step
            assessment = record(unit, year, 16)
        else:
            raise ValueError(action)
    steps = list(Transition.objects.filter(assessment=assessment).order_by("at", "pk"))
    moments = [m for _a, m in path]
    assert len(steps) == len(moments), [(s.from_status, s.to_status) for s in steps]
    for step, moment in zip(steps, moments, strict=True):
        Transition.objects.filter(pk=step.pk).update(at=moment)
    submitted = [m for a, m in path if a in ("submit", "record")]
    verified = [m for a, m in path if a in ("verify", "record")]
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=moments[0], submitted_at=submitted[-1] if submitted else None,
        verified_at=verified[-1] if verified else None,
    )
    facts.assessment_changed(assessment)  # the history was rewritten: the stored figures read it again
    return assessment


def build(criteria_set):
    """Nine units in two districts (A: a1–a5, B: b1–b4); returns {key: unit}."""
    A = factories.DistrictFactory(name="Huyện A")
    B = factories.DistrictFactory(name="Huyện B")
    u = {}
    for key in ("a1", "a2", "a3", "a4", "a5"):
        u[key] = factories.UnitFactory(district=A, name=f"Xã {key.upper()}")
    for key in ("b1", "b2", "b3", "b4"):
        u[key] = factories.UnitFactory(district=B, name=f"Xã {key.upper()}")
    # a1: never starts.
    walk(u["a2"], ("start", at(D(Y, 11, 20))))
    walk(u["a3"], ("start", at(D(Y, 11, 10))), ("submit", at(D(Y, 11, 25))), ("verify", at(D(Y, 12, 10))))
    # a4 submits on the last evening of the deadline, is verified a day after the district deadline.
    walk(u["a4"], ("start", at(D(Y, 11, 15))), ("submit", at(D(Y, 11, 30), 23, 30)), ("verify", at(D(Y, 12, 16))))
    walk(u["a5"], ("start", at(D(Y, 11, 20))), ("submit", at(D(Y, 12, 1), 0, 15)), ("verify", at(D(Y, 12, 15))))
    walk(u["b1"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20))), ("return", at(D(Y, 11, 28))),
         ("submit", at(D(Y, 12, 2))))
    walk(u["b2"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 5))), ("verify", at(D(Y, 11, 28))))
    walk(u["b3"], ("start", at(D(Y, 12, 5))))
    walk(u["b4"], ("record", at(D(Y, 12, 14))))
    u["A"], u["B"] = A, B
    return u


def counts(**given):
    out = dict.fromkeys(("not_started", "draft", "submitted_on_time", "submitted_late", "returned",
                         "verified_on_time", "verified_late"), 0)
    out.update(given)
    return out


# as_of → counts, by hand from the walks above.
EXPECTED = {
    D(Y, 11, 29): counts(not_started=3, draft=3, submitted_on_time=1, returned=1, verified_on_time=1),
    D(Y, 11, 30): counts(not_started=3, draft=2, submitted_on_time=2, returned=1, verified_on_time=1),
    D(Y, 12, 1): counts(not_started=3, draft=1, submitted_on_time=2, submitted_late=1, returned=1,
                       verified_on_time=1),
    D(Y, 12, 15): counts(not_started=1, draft=2, submitted_on_time=1, submitted_late=1, verified_on_time=4),
    D(Y, 12, 16): counts(not_started=1, draft=2, submitted_late=1, verified_on_time=4, verified_late=1),
}
# unit → state per as_of (same order as EXPECTED's days).
EXPECTED_STATES = {
    "a1": ("not_started",) * 5,
    "a2": ("draft",) * 5,
    "a3": ("submitted_on_time", "submitted_on_time", "submitted_on_time", "verified_on_time", "verified_on_time"),
    "a4": ("draft", "submitted_on_time", "submitted_on_time", "submitted_on_time", "verified_late"),
    "a5": ("draft", "draft", "submitted_late", "verified_on_time", "verified_on_time"),
    "b1": ("returned", "returned", "returned", "submitted_late", "submitted_late"),
    "b2": ("verified_on_time",) * 5,
    "b3": ("not_started", "not_started", "not_started", "draft", "draft"),
    "b4": ("not_started", "not_started", "not_started", "verified_on_time", "verified_on_time"),
}


def merged_unit(criteria_set, name="Xã Mới"):
    """A frame unit of province 17 that ended on 30/6/2025, held since 1/7/2025 by a unit of province 25
    without a district."""
    new_province = factories.ProvinceFactory(code=25, name="Tỉnh Phú Thọ")
    old = factories.UnitFactory(valid_to=D(2025, 6, 30))
    new = factories.UnitFactory(district=None, province=new_province, valid_from=D(2025, 7, 1), name=name)
    UnitSuccession.objects.create(predecessor=old, successor=new, effective_on=D(2025, 7, 1))
    return old, new
