"""A clearly labelled demo dataset: years 2022–2025 for the province's xã and thị trấn.

Everything goes through the services, so the demo obeys the same rules as real data
(recognitions only where a verified 16/16 assessment exists, and so on). Deterministic:
the same database gives the same demo every time.
"""

import datetime
import random

from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_create_or_update
from communes.models import District, Unit

from . import services
from .models import Level, Programme, Result, Status

DEMO_PASSWORD = "demo"
DEMO_PREFIX = "demo_"
YEARS = (2022, 2023, 2024, 2025)
# Criteria 6 (radio/loudspeakers) and 7 (disaster plans) are met by all 139 units (§2).
ALWAYS_MET = (6, 7)


class DemoError(RuntimeError):
    pass


def demo_exists() -> bool:
    return User.objects.filter(username=f"{DEMO_PREFIX}admin").exists()


def demo_users():
    order = {Role.ADMIN: 0, Role.PROVINCE_VIEWER: 1, Role.DISTRICT_REVIEWER: 2, Role.COMMUNE_OFFICER: 3}
    users = User.objects.filter(username__startswith=DEMO_PREFIX).select_related("unit", "district")
    return sorted(users, key=lambda u: (order[u.role], u.username))


def _results(rng: random.Random, met: int, numbers: list[int]) -> dict[int, str]:
    met = max(met, len(ALWAYS_MET))
    others = [n for n in numbers if n not in ALWAYS_MET]
    chosen = set(ALWAYS_MET) | set(rng.sample(others, min(len(others), met - len(ALWAYS_MET))))
    return {n: (Result.MET if n in chosen else Result.NOT_MET) for n in numbers}


@transaction.atomic
def seed_demo(*, province_code: int, stdout=None) -> list[tuple[str, str, str]]:
    """Build the demo dataset; returns the demo logins as (username, role, scope)."""
    rng = random.Random(12)
    programme = Programme.objects.first()
    if programme is None:
        raise DemoError("Chưa có bộ tiêu chí: chạy load_criteria trước.")
    districts = list(District.objects.filter(province__code=province_code).order_by("code"))
    if not districts:
        raise DemoError("Chưa có đơn vị hành chính: chạy load_divisions trước.")
    units = list(
        Unit.objects.filter(district__in=districts, kind__in=programme.unit_kinds).select_related("district")
    )

    logins = []

    def login(username, role, **scope):
        user, _ = user_create_or_update(
            username=username, role=role, password=DEMO_PASSWORD, check_password=False,
            full_name=f"[DEMO] {username}", **scope,
        )
        logins.append((username, user.get_role_display(), user.scope_label))
        return user

    admin = login(f"{DEMO_PREFIX}admin", Role.ADMIN)
    login(f"{DEMO_PREFIX}tinh", Role.PROVINCE_VIEWER)
    reviewers = {d.id: login(f"{DEMO_PREFIX}huyen_{d.code}", Role.DISTRICT_REVIEWER, district_code=d.code)
                 for d in districts}
    # One officer for the first xã of every district; their 2025 work is left in progress.
    officers = {}
    for d in districts:
        unit = next(u for u in units if u.district_id == d.id)
        officers[unit.id] = login(f"{DEMO_PREFIX}xa_{unit.code}", Role.COMMUNE_OFFICER, unit_code=unit.code)

    numbers = list(programme.criteria_sets.order_by("-version").first().criteria.values_list("number", flat=True))
    total = len(numbers)
    # Each unit's starting strength and yearly progress.
    profile = {u.id: (rng.randint(5, 13), rng.choice((0, 1, 1, 1, 2))) for u in units}
    # The strongest units reach all criteria: candidates for recognition.
    stars = rng.sample(units, 18)
    pilots = stars[:3] + rng.sample([u for u in units if u not in stars], 6)
    star_year = {u.id: YEARS[min(i // 4, 3)] for i, u in enumerate(stars)}

    for pilot in pilots:
        services.registration_create(unit=pilot, year=2022, actor=admin, note="[DEMO]")

    reason = "[DEMO] Dữ liệu minh họa"
    for year in YEARS:
        for unit in units:
            start, growth = profile[unit.id]
            met = min(total - 1, start + growth * (year - 2022))
            if unit.id in star_year and year >= star_year[unit.id]:
                met = total
            values = _results(rng, met, numbers)
            officer = officers.get(unit.id)
            if year < 2025:
                services.assessment_record(unit=unit, year=year, stage="verified", results=values,
                                           actor=reviewers[unit.district_id], reason=reason)
                continue
            # 2025: a realistic mix of workflow states.
            roll = rng.random()
            if officer is not None and roll < 0.5:
                _officer_draft(unit, year, officer, values)
            elif roll < 0.04 and unit.id not in star_year:
                continue  # not started yet
            elif roll < 0.16 and unit.id not in star_year:
                services.assessment_record(unit=unit, year=year, stage="self", results=values,
                                           actor=reviewers[unit.district_id], reason=reason)
            elif roll < 0.2 and unit.id not in star_year:
                assessment = services.assessment_record(unit=unit, year=year, stage="self", results=values,
                                                        actor=reviewers[unit.district_id], reason=reason)
                services.assessment_return(
                    assessment=assessment, actor=reviewers[unit.district_id],
                    reason="[DEMO] Tiêu chí 5 thiếu hình ảnh camera lắp đặt; đề nghị bổ sung minh chứng.",
                )
            else:
                services.assessment_record(unit=unit, year=year, stage="verified", results=values,
                                           actor=reviewers[unit.district_id], reason=reason)

    # Recognitions, dated after the verification they rest on.
    recognised = stars[:4] + stars[5:16]
    for i, unit in enumerate(recognised):
        year = star_year[unit.id]
        services.recognition_create(
            unit=unit, level=Level.COMMUNE, decision_number=f"{100 + i}/QĐ-UBND (DEMO)",
            decision_date=datetime.date(year, 12, 15), issued_by=f"UBND {unit.district.name}",
            actor=admin,
        )
    for i, unit in enumerate(stars[:2]):
        services.recognition_create(
            unit=unit, level=Level.DISTRICT, decision_number=f"{200 + i}/QĐ-UBND (DEMO)",
            decision_date=datetime.date(2025, 6, 30), issued_by=f"UBND {unit.district.name}",
            actor=admin,
        )
    # One decision revoked, so the reports show what revocation does.
    revoked = services.recognition_create(
        unit=stars[4], level=Level.COMMUNE, decision_number="150/QĐ-UBND (DEMO)",
        decision_date=datetime.date(star_year[stars[4].id], 12, 20),
        issued_by=f"UBND {stars[4].district.name}", actor=admin,
    )
    services.recognition_revoke(recognition=revoked, actor=admin, revoked_on=datetime.date(2025, 3, 1),
                                reason="[DEMO] Để xảy ra vụ việc phức tạp về an ninh trật tự.")
    return logins


def _officer_draft(unit, year, officer, values):
    """The officer's own work in progress: a draft with a few criteria still open."""
    assessment = services.assessment_get_or_create(unit=unit, year=year, actor=officer)
    by_number = {r.criterion.number: r.criterion_id for r in assessment.results.select_related("criterion")}
    answers = {by_number[n]: {"self_result": v, "note": ""} for n, v in values.items() if n <= 12}
    services.assessment_save_self(assessment=assessment, actor=officer, version=assessment.version, values=answers)
    assert assessment.status == Status.DRAFT
