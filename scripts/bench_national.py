"""Benchmark the national view on a national dataset (issue 13). Not part of `make test`.

    createdb -h 127.0.0.1 -U postgres cp_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_national .venv/bin/python scripts/bench_national.py

Builds, into an EMPTY database, every province of the vietnam-provinces dataset (the map before the
2025 reform), one commune-model programme per province (data, `bench_<GSO>`), ten years of assessments
(2016–2025) with a realistic spread imported through the project's own bulk import, and commune-level
recognitions for the units that reach 16/16. Then it measures, in the same run and with the same
in-process client, p50/p95 of the national page, a province page and a signed-in trivial page (the
floor), with the report cache working as in production: a write (a recognition) every `--write-every`
requests invalidates it, so some requests compute the figures from scratch. The last line reads
`national_p95_ms=<n> province_p95_ratio=<r> floor_p95_ms=<n>`.
"""

import argparse
import os
import statistics
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEARS = list(range(2016, 2026))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=60, help="requests per page")
    parser.add_argument("--write-every", type=int, default=20, help="invalidate the cache by a write every N requests")
    parser.add_argument("--provinces", type=int, default=0, help="only the first N provinces (0: all)")
    parser.add_argument("--reuse", action="store_true", help="measure again on a database this script built")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an EMPTY PostgreSQL database (see the docstring).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "criteria_portal.settings.test"
    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.db import connection

    from assessments.models import Assessment, CriterionResult, Level, Recognition
    from assessments.programmes import frame_units
    from communes.models import Unit
    from communes.services import province_codes
    from data_exchange.formats import write_table
    from data_exchange.importing import checker as import_checker
    from data_exchange.services import ImportRejected, data_import
    from scripts.benchdata import assessment_rows, province_programme

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    call_command("migrate", verbosity=0)
    if args.reuse:
        measure_only(args)
        return
    if Assessment.objects.exists():
        sys.exit("The database already holds assessments: use an empty database.")

    started = time.perf_counter()
    codes = province_codes()[: args.provinces or None]
    programmes = [province_programme(code, default=i == 0) for i, code in enumerate(codes)]
    print(f"{len(programmes)} provinces, {Unit.objects.count()} units loaded in {time.perf_counter() - started:.0f} s",
          flush=True)

    # Ten years through the bulk import (the portal itself accepts 2021…next year; the benchmark needs more).
    import_checker.year_range = lambda: range(YEARS[0], YEARS[-1] + 1)
    numbers = list(range(1, 17))
    columns = ["commune_code", "year", "stage"] + [f"c{n}" for n in numbers] + ["programme"]
    frame = {p.code: list(frame_units(p).values_list("code", flat=True)) for p in programmes}
    print(f"frame units: {sum(len(v) for v in frame.values())}", flush=True)
    started = time.perf_counter()
    by_year = {year: [] for year in YEARS}
    for code, units in frame.items():
        for row in assessment_rows(units, YEARS, numbers, seed=zlib.crc32(code.encode())):
            by_year[row[1]].append([*row, code])
    for year, rows in by_year.items():
        try:
            data_import(kind="assessments", name=f"bench-{year}.csv", data=write_table(columns, rows, "csv"))
        except ImportRejected as rejected:
            sys.exit("\n".join(str(p) for p in rejected.plan.problems[:10]))
        print(f"  {year}: {len(rows)} assessments", flush=True)
    print(f"{Assessment.objects.count()} assessments, {CriterionResult.objects.count()} criterion results "
          f"in {time.perf_counter() - started:.0f} s", flush=True)
    # Commune-level recognitions for units verified 16/16 (the rule of §3), decided in December.
    full = Assessment.objects.filter(status="verified", verified_met_count=16).values_list(
        "unit_id", "year", "criteria_set__programme_id")
    seen, recognitions = set(), []
    for unit_id, year, programme_id in full.order_by("year"):
        if (unit_id, programme_id) not in seen:
            seen.add((unit_id, programme_id))
            recognitions.append(Recognition(programme_id=programme_id, unit_id=unit_id, level=Level.COMMUNE,
                                            decision_number=f"{len(recognitions)}/QĐ-BENCH",
                                            decision_date=datetime.date(year, 12, 20), issued_by="UBND (bench)"))
    Recognition.objects.bulk_create(recognitions, batch_size=2000)
    print(f"{len(recognitions)} recognitions", flush=True)

    measure_only(args)


def measure_only(args) -> None:
    import datetime

    from django.test import Client

    from accounts.models import Role, User
    from assessments.models import Level, Programme, Recognition
    from assessments.programmes import frame_units

    programmes = list(Programme.objects.filter(code__startswith="bench_").order_by("id"))
    print(f"{len(programmes)} programmes; {Recognition.objects.count()} recognitions", flush=True)
    national_user, _ = User.objects.get_or_create(username="bench_national", defaults={"role": Role.NATIONAL_VIEWER})
    client = Client()
    client.force_login(national_user)
    writer, _ = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.ADMIN, "is_staff": True,
                                                                            "is_superuser": True})
    some_unit = frame_units(programmes[0]).first()

    cold: dict[str, list[float]] = {}

    def measure(url: str) -> list[float]:
        times = []
        cold[url] = []
        for i in range(args.requests):
            if args.write_every and i % args.write_every == 0:
                # A real write between requests: the next report is computed again.
                Recognition.objects.create(programme=programmes[0], unit=some_unit, level=Level.COMMUNE,
                                           decision_number=f"W{i}-{url}-{time.time_ns()}",
                                           decision_date=datetime.date(2025, 12, 30),
                                           issued_by="bench", recorded_by=writer)
            t = time.perf_counter()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - t))
            assert response.status_code == 200, (url, response.status_code)
            if args.write_every and i % args.write_every == 0:
                cold[url].append(times[-1])
        return times

    floor = measure("/accounts/password/")
    national = measure("/reports/national/?year=2025")
    province = measure(f"/reports/?year=2025&programme={programmes[0].code}")
    for name, values, url in (("floor (signed-in trivial page)", floor, "/accounts/password/"),
                              ("national page", national, "/reports/national/?year=2025"),
                              (f"province page ({programmes[0].code})", province,
                               f"/reports/?year=2025&programme={programmes[0].code}")):
        recomputed = cold.get(url) or [0]
        print(f"{name}: p50 {statistics.median(values):.0f} ms, p95 {percentile(values, 0.95):.0f} ms, "
              f"max {max(values):.0f} ms; right after a write (figures recomputed): "
              f"median {statistics.median(recomputed):.0f} ms over {len(recomputed)}")
    floor_p95 = percentile(floor, 0.95)
    print(f"national_p95_ms={percentile(national, 0.95):.0f} "
          f"province_p95_ratio={percentile(province, 0.95) / floor_p95:.1f} floor_p95_ms={floor_p95:.0f}")


if __name__ == "__main__":
    main()
