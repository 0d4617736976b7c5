"""The national dataset of `bench_national.py`: every province of `load_divisions`, one commune programme per
province (data, `bench_<GSO>`), assessments 2021–2026 imported through the project's own bulk import, the
recognitions their 16/16 years earn, and the users the measurements sign in as (officers with a 2026 draft
in every province, the reviewers of their districts, provincial viewers, a national viewer, an admin).
Django must be set up before importing this module.
"""

from __future__ import annotations

import datetime
import json
import random
import time
import zlib
from pathlib import Path

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count

from accounts import two_factor
from accounts.models import Role, User
from assessments import facts, services
from assessments.models import Assessment, Level, Programme, Recognition
from assessments.programmes import frame_units
from communes.models import Unit
from communes.services import province_codes
from data_exchange.formats import write_table
from data_exchange.services import ImportRejected, data_import
from scripts.benchdata import assessment_rows, province_programme

YEARS = list(range(2021, 2027))
CURRENT = 2026
OFFICERS_PER_PROVINCE = 6  # with a 2026 draft each: autosaves never share an assessment
NUMBERS = list(range(1, 17))


def build(*, provinces: int = 0, say=print) -> None:
    started = time.perf_counter()
    codes = province_codes()[: provinces or None]
    programmes = [province_programme(code, default=i == 0) for i, code in enumerate(codes)]
    say(f"{len(programmes)} provinces, {Unit.objects.count()} units loaded in {time.perf_counter() - started:.0f} s")
    frame = {p.code: list(frame_units(p).values_list("code", flat=True)) for p in programmes}
    drafts = {code: set(units[:OFFICERS_PER_PROVINCE]) for code, units in frame.items()}
    say(f"frame units: {sum(len(v) for v in frame.values())}")
    started = time.perf_counter()
    columns = ["commune_code", "year", "stage"] + [f"c{n}" for n in NUMBERS] + ["programme"]
    by_year: dict[int, list] = {year: [] for year in YEARS}
    for code, units in frame.items():
        for row in assessment_rows(units, YEARS, NUMBERS, seed=zlib.crc32(code.encode())):
            if not (row[1] == CURRENT and row[0] in drafts[code]):
                by_year[row[1]].append([*row, code])
    for year, rows in by_year.items():
        try:
            data_import(kind="assessments", name=f"bench-{year}.csv", data=write_table(columns, rows, "csv"))
        except ImportRejected as rejected:
            raise SystemExit("\n".join(str(p) for p in rejected.plan.problems[:10])) from None
        say(f"  {year}: {len(rows)} assessments")
    say(f"{Assessment.objects.count()} assessments in {time.perf_counter() - started:.0f} s")
    _recognitions(say)
    _people(programmes, drafts, say)
    facts.forget()  # bulk rows written above: every figure is stored again from the records when first read


def _recognitions(say) -> None:
    """Commune-level decisions for units verified 16/16 (the rule of §3), decided in December."""
    full = Assessment.objects.filter(status="verified", verified_met_count=16).values_list(
        "unit_id", "year", "criteria_set__programme_id").order_by("year")
    seen, rows = set(), []
    for unit_id, year, programme_id in full:
        if (unit_id, programme_id) not in seen:
            seen.add((unit_id, programme_id))
            rows.append(Recognition(programme_id=programme_id, unit_id=unit_id, level=Level.COMMUNE,
                                    decision_number=f"{len(rows)}/QĐ-BENCH", decision_date=datetime.date(year, 12, 20),
                                    issued_by="UBND (bench)"))
    Recognition.objects.bulk_create(rows, batch_size=2000)
    say(f"{len(rows)} recognitions")


def _people(programmes: list[Programme], drafts: dict[str, set[int]], say) -> None:
    admin = _user("bench_admin", Role.ADMIN)
    _user("bench_national", Role.NATIONAL_VIEWER)
    for p in programmes:
        _user(f"bench_province_{p.territory_province.code}", Role.PROVINCE_VIEWER, province=p.territory_province)
        units = Unit.objects.filter(province=p.territory_province, code__in=drafts[p.code]).select_related("district")
        for unit in units:
            officer = _user(f"bench_officer_{unit.code}", Role.COMMUNE_OFFICER, unit=unit)
            services.assessment_get_or_create(unit=unit, year=CURRENT, actor=officer)
            if unit.district_id:
                _user(f"bench_reviewer_{unit.district.code}", Role.DISTRICT_REVIEWER, district=unit.district)
    say(f"{User.objects.filter(username__startswith='bench_').count()} users; admin {admin.username}")


def _user(username: str, role: str, **scope) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"role": role, **scope})
    if created:
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_unusable_password()
        user.save()
    return user


def session_for(user: User) -> str:
    """A signed-in session (the second factor passed for the roles that need it), as the sign-in pages leave it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if two_factor.is_required(user):
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def largest_programme() -> Programme:
    """The programme with the largest frame (the province page measured)."""
    sizes = {p.id: frame_units(p).count() for p in Programme.objects.filter(code__startswith="bench_")}
    return Programme.objects.get(pk=max(sizes, key=sizes.get))


def people(path: Path, *, seed: int = 7) -> dict:
    """Every bench user's session and what it works on, written to `path` for the load run."""
    rng = random.Random(seed)
    officers = []
    for a in (Assessment.objects.filter(year=CURRENT, status="draft", unit__officers__username__startswith="bench_officer_")
              .select_related("unit").prefetch_related("results")):
        officer = User.objects.get(username=f"bench_officer_{a.unit.code}")
        officers.append({"session": session_for(officer), "assessment": a.pk, "version": a.version,
                         "criteria": [r.criterion_id for r in a.results.all()]})
    rng.shuffle(officers)
    reviewers = []
    for reviewer in User.objects.filter(username__startswith="bench_reviewer_").select_related("district"):
        waiting = Assessment.objects.filter(unit__district=reviewer.district, status="submitted").first()
        reviewers.append({"session": session_for(reviewer), "review": waiting.pk if waiting else None})
    rng.shuffle(reviewers)
    viewers = [{"session": session_for(u), "programme": Programme.objects.get(
        territory_province=u.province, code__startswith="bench_").code}
        for u in User.objects.filter(username__startswith="bench_province_").select_related("province")]
    national = session_for(User.objects.get(username="bench_national"))
    data = {"officers": officers, "reviewers": reviewers, "viewers": viewers, "national": national,
            "year": CURRENT}
    path.write_text(json.dumps(data))
    return data


def summary() -> str:
    counts = Assessment.objects.values("status").annotate(n=Count("id")).order_by("status")
    return ", ".join(f"{c['status']} {c['n']}" for c in counts)
