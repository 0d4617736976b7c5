"""A clearly labelled demo dataset across the 1/7/2025 reform, for every programme in the data.

2022–2024 are assessed by the frame units themselves (the map before the reform, with their
district reviewers); 2025–2026 by the units that hold the frame's places after it (reviewed by a
reviewer scoped to the new province, since those units have no district). Everything goes through
the services, so the demo obeys the same rules as real data (recognitions only where a verified
assessment meets the threshold, no district-level decision after the districts ended, …).
Deterministic: the same database gives the same demo every time.
"""

import datetime
import random

from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_create_or_update

from . import services
from .models import Level, Result, Status
from .programmes import Frame, programme_list

DEMO_PASSWORD = "demo"
DEMO_PREFIX = "demo_"
OLD_YEARS = (2022, 2023, 2024)
NEW_YEARS = (2025, 2026)
YEARS = OLD_YEARS + NEW_YEARS
# Criteria 6 (radio/loudspeakers) and 7 (disaster plans) are met by all 139 units (§2).
ALWAYS_MET = (6, 7)
REASON = "[DEMO] Dữ liệu minh họa"


class DemoError(RuntimeError):
    pass


def demo_exists() -> bool:
    return User.objects.filter(username=f"{DEMO_PREFIX}admin").exists()


def demo_users():
    order = {Role.ADMIN: 0, Role.NATIONAL_VIEWER: 1, Role.PROVINCE_VIEWER: 2, Role.DISTRICT_REVIEWER: 3,
             Role.COMMUNE_OFFICER: 4}
    users = User.objects.filter(username__startswith=DEMO_PREFIX).select_related("unit", "district", "province")
    return sorted(users, key=lambda u: (order[u.role], u.username))


def _results(rng: random.Random, met: int, numbers: list[int]) -> dict[int, str]:
    always = [n for n in ALWAYS_MET if n in numbers]
    met = max(met, len(always))
    others = [n for n in numbers if n not in always]
    chosen = set(always) | set(rng.sample(others, min(len(others), met - len(always))))
    return {n: (Result.MET if n in chosen else Result.NOT_MET) for n in numbers}


class _Demo:
    def __init__(self):
        self.rng = random.Random(12)
        self.logins: dict[str, User] = {}

    def login(self, username, role, **scope) -> User:
        if username not in self.logins:
            user, _created = user_create_or_update(
                username=username, role=role, password=DEMO_PASSWORD, check_password=False,
                full_name=f"[DEMO] {username}", **scope,
            )
            # An address that can never be delivered (RFC 2606), so reminders can be tried on the demo.
            user.email = f"{username}@demo.invalid"
            user.save(update_fields=["email"])
            self.logins[username] = user
        return self.logins[username]


@transaction.atomic
def seed_demo(*, today: datetime.date | None = None) -> list[User]:
    """Build the demo dataset for every programme; returns the demo logins."""
    programmes = programme_list()
    if not programmes:
        raise DemoError("Chưa có chương trình: chạy load_criteria trước.")
    demo = _Demo()
    admin = demo.login(f"{DEMO_PREFIX}admin", Role.ADMIN)
    demo.login(f"{DEMO_PREFIX}toanquoc", Role.NATIONAL_VIEWER)
    for index, programme in enumerate(programmes):
        frame_2024 = Frame.load(programme, OLD_YEARS[-1])
        if not frame_2024.units:
            raise DemoError(
                f"Chương trình {programme.code} chưa có đơn vị trong phạm vi: chạy load_divisions và load_reform_2025."
            )
        _programme_demo(demo, programme, admin, seed=index)
    return demo_users()


def _programme_demo(demo: _Demo, programme, admin, *, seed: int) -> None:
    rng = random.Random(12 + seed)
    frame_old = Frame.load(programme, OLD_YEARS[-1])
    units = frame_old.units
    province = programme.territory_province
    demo.login(f"{DEMO_PREFIX}tinh", Role.PROVINCE_VIEWER, province_code=(province.successor or province).code)
    reviewers = {}
    for unit in units:
        district = unit.district
        reviewers[unit.id] = demo.login(f"{DEMO_PREFIX}huyen_{district.code}", Role.DISTRICT_REVIEWER,
                                        district_code=district.code)
    criteria = services.criteria_set_for(programme, YEARS[-1])
    numbers = list(criteria.criteria.values_list("number", flat=True))
    total = len(numbers)
    # Each unit's starting strength and yearly progress; the strongest reach every criterion.
    profile = {u.id: (rng.randint(5, 13), rng.choice((0, 1, 1, 1, 2))) for u in units}
    stars = rng.sample(units, min(len(units), max(1, len(units) // 8)))
    star_year = {u.id: OLD_YEARS[min(i // 4, len(OLD_YEARS) - 1)] for i, u in enumerate(stars)}
    pilots = stars[: max(1, len(stars) // 6)] + rng.sample([u for u in units if u not in stars],
                                                           min(len(units) - len(stars), 6 if len(units) > 20 else 0))
    for pilot in pilots:
        services.registration_create(unit=pilot, year=OLD_YEARS[0], actor=admin, note="[DEMO]",
                                     programme=programme.code)

    def met_in(unit_id, year):
        start, growth = profile[unit_id]
        if unit_id in star_year and year >= star_year[unit_id]:
            return total
        return min(total - 1, start + growth * (year - OLD_YEARS[0]))

    # Before the reform: the frame units themselves, verified by their districts.
    for year in OLD_YEARS:
        for unit in units:
            services.assessment_record(unit=unit, year=year, stage="verified", results=_results(rng, met_in(unit.id, year), numbers),
                                       actor=reviewers[unit.id], reason=REASON, programme=programme)
    # Every star but one is recognised; that one's decision is revoked, so the reports show what revocation does.
    revoked_unit = stars[4] if len(stars) > 4 else None
    recognised = [u for u in stars if u is not revoked_unit]
    for i, unit in enumerate(recognised):
        year = star_year[unit.id]
        services.recognition_create(
            unit=unit, level=Level.COMMUNE, decision_number=f"{100 + i}/QĐ-UBND (DEMO)",
            decision_date=datetime.date(year, 12, 15), issued_by=f"UBND {unit.district.name}", actor=admin,
            programme=programme.code,
        )
    for i, unit in enumerate(recognised[:2]):
        services.recognition_create(
            unit=unit, level=Level.DISTRICT, decision_number=f"{200 + i}/QĐ-UBND (DEMO)",
            decision_date=datetime.date(2025, 3, 20), issued_by=f"UBND {unit.district.name}", actor=admin,
            programme=programme.code,
        )
    if revoked_unit is not None:
        revoked = services.recognition_create(
            unit=revoked_unit, level=Level.COMMUNE, decision_number="150/QĐ-UBND (DEMO)",
            decision_date=datetime.date(star_year[revoked_unit.id], 12, 20),
            issued_by=f"UBND {revoked_unit.district.name}", actor=admin, programme=programme.code,
        )
        services.recognition_revoke(recognition=revoked, actor=admin, revoked_on=datetime.date(2025, 3, 1),
                                    reason="[DEMO] Để xảy ra vụ việc phức tạp về an ninh trật tự.")

    # After the reform: the holders, reviewed at the new province.
    frame_new = Frame.load(programme, NEW_YEARS[-1])
    holders = frame_new.holder_list()
    if not holders:
        return

    def reviewer_of(holder):
        # Units without a district (created on 1/7/2025) are reviewed at the province (§7).
        if holder.district_id:
            return demo.login(f"{DEMO_PREFIX}huyen_{holder.district.code}", Role.DISTRICT_REVIEWER,
                              district_code=holder.district.code)
        return demo.login(f"{DEMO_PREFIX}thamdinh_{holder.province.code}", Role.DISTRICT_REVIEWER,
                          province_code=holder.province.code)

    carried = frame_new.carried_by()
    # A holder starts from the average of the frame units it carries.
    strength = {h.id: round(sum(met_in(u.id, OLD_YEARS[-1]) for u in carried[h.id]) / len(carried[h.id]))
                for h in holders}
    officers = {}
    for holder in holders[: max(2, len(holders) // 6)]:
        officers[holder.id] = demo.login(f"{DEMO_PREFIX}xa_{holder.code:05d}", Role.COMMUNE_OFFICER,
                                         unit_code=holder.code)
    # The holder carrying most frame units is the model merged commune: 16/16 in 2025, recognised in 2026.
    model = max(holders, key=lambda h: (len(carried[h.id]), -h.code))
    for year in NEW_YEARS:
        for holder in holders:
            met = total if holder.id == model.id else min(total, strength[holder.id] + (year - OLD_YEARS[-1]) - 1)
            values = _results(rng, met, numbers)
            if year == NEW_YEARS[0] or holder.id == model.id:
                services.assessment_record(unit=holder, year=year, stage="verified", results=values,
                                           actor=reviewer_of(holder), reason=REASON, programme=programme)
                continue
            _this_year(rng, holder, year, values, officers.get(holder.id), reviewer_of(holder), programme)
    services.recognition_create(
        unit=model, level=Level.COMMUNE, decision_number="301/QĐ-UBND (DEMO)",
        decision_date=datetime.date(2026, 3, 10), issued_by=f"UBND {model.name}", actor=admin,
        programme=programme.code,
    )
    if model.district_id:  # without the reform loaded: commune → district → province
        services.recognition_create(
            unit=model, level=Level.DISTRICT, decision_number="302/QĐ-UBND (DEMO)",
            decision_date=datetime.date(2026, 6, 1), issued_by=f"UBND {model.district.name}", actor=admin,
            programme=programme.code,
        )
    services.recognition_create(
        unit=model, level=Level.PROVINCE, decision_number="45/QĐ-UBND (DEMO)",
        decision_date=datetime.date(2026, 9, 2), issued_by=f"UBND {model.province.name}", actor=admin,
        programme=programme.code,
    )


def _this_year(rng, holder, year, values, officer, reviewer, programme):
    """The current year: a realistic mix of workflow states; officers' own units are left in progress."""
    roll = rng.random()
    if officer is not None:
        assessment = services.assessment_get_or_create(unit=holder, year=year, actor=officer, programme=programme.code)
        by_number = {r.criterion.number: r.criterion_id for r in assessment.results.select_related("criterion")}
        answers = {by_number[n]: {"self_result": v, "note": ""} for n, v in values.items() if n <= 12}
        services.assessment_save_self(assessment=assessment, actor=officer, version=assessment.version, values=answers)
        assert assessment.status == Status.DRAFT
    elif roll < 0.1:
        return  # not started yet
    elif roll < 0.45:
        services.assessment_record(unit=holder, year=year, stage="self", results=values, actor=reviewer,
                                   reason=REASON, programme=programme)
    elif roll < 0.55:
        assessment = services.assessment_record(unit=holder, year=year, stage="self", results=values,
                                                actor=reviewer, reason=REASON, programme=programme)
        services.assessment_return(
            assessment=assessment, actor=reviewer,
            reason="[DEMO] Tiêu chí 5 thiếu hình ảnh camera lắp đặt; đề nghị bổ sung minh chứng.",
        )
    else:
        services.assessment_record(unit=holder, year=year, stage="verified", results=values, actor=reviewer,
                                   reason=REASON, programme=programme)
