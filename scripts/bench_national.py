"""Benchmark the portal at national size (issues 13 and 17). Not part of `make test`.

    createdb -h 127.0.0.1 -U postgres cp_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_national REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python scripts/bench_national.py            # --reuse: measure again on a database it built

Builds, into an EMPTY database, every province of `load_divisions` (63 provinces, 10,051 units, 8,335 xã and
thị trấn), one commune programme per province (data, `bench_<GSO>`), assessments 2021–2026 imported through
the project's own bulk import (2026 a mix of statuses, and a draft for each officer measured), the
recognitions their 16/16 years earn, and the users. Then, in one run, against gunicorn (3 workers, prod
settings, PostgreSQL and Redis) and as ratios to the signed-in floor measured in the same run:

1. one user at a time: the officer home, the assessment page, an autosave, the reviewer inbox; every province
   page of the largest province, cached and right after a write in that province; the national page right
   after a write anywhere (a write = a recognition recorded through the services, as a reviewer would);
2. a load run (locust) of the mix — 70 % officers autosaving and viewing their form, 20 % reviewers, 10 %
   provincial and national viewers, 1–3 s think time — at 50 and 200 users, with the load average; and the
   saturation throughput of the mix against the floor's (no think time);
3. the import of a national backup (`scripts/bench_import.py --rows 58000`, when given `--import`).

The last line reads `national_p95_ms=<n> province_p95_ratio=<r> officer_p95_ratio=<r> floor_p95_ms=<n>`.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def import_benchmark(database_url: str) -> None:
    """`bench_import.py` needs an empty database: a scratch one beside this one, dropped afterwards."""
    import psycopg2

    base, _, name = database_url.rpartition("/")
    scratch = f"{name}_import"

    def admin(statement: str) -> None:
        connection = psycopg2.connect(f"{base}/postgres")
        connection.autocommit = True
        try:
            connection.cursor().execute(statement)
        finally:
            connection.close()

    admin(f'DROP DATABASE IF EXISTS "{scratch}"')
    admin(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run([sys.executable, "scripts/bench_import.py", "--rows", "58000"], cwd=ROOT, check=False,
                       env={**os.environ, "DATABASE_URL": f"{base}/{scratch}"})
    finally:
        admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=40, help="requests per page and state")
    parser.add_argument("--provinces", type=int, default=0, help="only the first N provinces (0: all)")
    parser.add_argument("--reuse", action="store_true", help="measure again on a database this script built")
    parser.add_argument("--users", default="50,200", help="load runs (comma-separated user counts; empty: none)")
    parser.add_argument("--duration", type=int, default=90, help="seconds of each load run")
    parser.add_argument("--import", dest="run_import", action="store_true", help="end with the import benchmark")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to an EMPTY PostgreSQL database (see the docstring).")
    from scripts.benchserver import server_environment

    # This process writes through the services with the server's own settings (and SECRET_KEY: the sessions
    # it creates for the measured users must be the server's).
    os.environ.update(server_environment(database_url, redis_url))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from scripts import benchnational_data as data

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; cache {redis_url}", flush=True)
    call_command("migrate", verbosity=0)
    from assessments.models import Assessment

    if not args.reuse:
        if Assessment.objects.exists():
            sys.exit("The database already holds assessments: use an empty database, or --reuse.")
        data.build(provinces=args.provinces, say=lambda text: print(text, flush=True))
    print(f"assessments: {data.summary()}", flush=True)
    people_path = Path(tempfile.mkdtemp(prefix="bench-national-")) / "people.json"
    people = data.people(people_path)
    from scripts.benchserver import Server

    server = Server(dict(os.environ))
    try:
        results = measure(server, people, data, args)
        load = {int(n): load_run(server, people_path, int(n), args.duration) for n in args.users.split(",") if n}
        saturation = {mode: load_run(server, people_path, 20, 45, mode=mode, wait="none")
                      for mode in ("floor", "mix")} if load else {}
    finally:
        server.stop()
    report(results, load, saturation)
    if args.run_import:
        import_benchmark(database_url)
    floor = percentile(results["floor"], 0.95)
    province = max(percentile(v, 0.95) for k, v in results.items() if k.startswith("province"))
    officer = max(percentile(results[k], 0.95) for k in ("officer home", "assessment page", "autosave",
                                                         "reviewer inbox"))
    print(f"national_p95_ms={percentile(results['national after a write anywhere'], 0.95):.0f} "
          f"province_p95_ratio={province / floor:.1f} officer_p95_ratio={officer / floor:.1f} "
          f"floor_p95_ms={floor:.0f}")


def province_pages(programme, district_code) -> list[str]:
    q = f"year=2026&programme={programme.code}"
    return [f"/reports/?{q}", f"/reports/?{q}&figures=preliminary", f"/reports/criteria/?{q}",
            f"/reports/districts/{district_code}/?{q}", f"/reports/current/?{q}", f"/reports/trends/?{q}",
            f"/reports/map/?{q}", f"/reports/completeness/?{q}", f"/reports/completeness.json?{q}",
            f"/reports/progress.json?{q}", f"/reports/units.csv?{q}"]


def measure(server, people: dict, data, args) -> dict[str, list[float]]:
    """Each page alone, one user at a time, `args.requests` times per state."""
    from accounts.models import User
    from assessments.models import Programme
    from communes.models import Unit
    from scripts.benchserver import Browser

    n = args.requests
    largest = data.largest_programme()
    officer = people["officers"][0]
    reviewer_user = User.objects.filter(username__startswith="bench_reviewer_",
                                        district__province=largest.territory_province).first()
    reviewer = Browser(server, data.session_for(reviewer_user))
    viewer = Browser(server, data.session_for(User.objects.get(username=f"bench_province_"
                                                                         f"{largest.territory_province.code}")))
    national = Browser(server, people["national"])
    me = Browser(server, officer["session"])
    results: dict[str, list[float]] = {}

    def timed(name: str, browser, path: str, *, before=None, warm: int = 2) -> None:
        for _ in range(warm):
            browser.get(path)
        times = []
        for _ in range(n):
            if before:
                before()
            ms, response = browser.get(path)
            assert response.status_code == 200, (name, path, response.status_code)
            times.append(ms)
        results[name] = times
        print(f"  {name}: p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms", flush=True)

    print(f"one user at a time, {n} requests each (largest province: {largest.code}, "
          f"{largest.territory_province.name})", flush=True)
    timed("floor", me, "/accounts/password/")
    timed("officer home", me, "/assessments/")
    timed("assessment page", me, f"/assessments/{officer['assessment']}/")
    version, times = officer["version"], []
    for i in range(n):
        ms, response = me.post(f"/assessments/{officer['assessment']}/criterion/", {
            "version": version, "criterion": officer["criteria"][i % len(officer["criteria"])],
            "self_result": "met" if i % 2 else "not_met", "note": f"ghi chú {i}"})
        assert response.status_code == 200, ("autosave", response.status_code, response.text[:200])
        version = response.json()["version"]
        times.append(ms)
    results["autosave"] = times
    print(f"  autosave: p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms", flush=True)
    timed("reviewer inbox", reviewer, "/assessments/review/?year=2026")
    writer = Writer(User.objects.get(username="bench_admin"))
    units = list(Unit.objects.filter(province=largest.territory_province, valid_to__isnull=True,
                                     kind__in=largest.unit_kinds).order_by("code"))
    district_code = next(u.district.code for u in units if u.district_id)
    for path in province_pages(largest, district_code):
        short = path.split("?")[0] + ("?figures=preliminary" if "preliminary" in path else "")
        timed(f"province {short} cached", viewer, path)
        timed(f"province {short} after a write", viewer, path, before=lambda: writer.recognise(units))
    everyone = list(Programme.objects.filter(code__startswith="bench_"))
    anywhere = {p.id: list(Unit.objects.filter(province=p.territory_province, valid_to__isnull=True,
                                               kind__in=p.unit_kinds)[:50]) for p in everyone}
    timed("national cached", national, "/reports/national/?year=2026")
    timed("national after a write anywhere", national, "/reports/national/?year=2026",
          before=lambda: writer.recognise(anywhere[random.choice(everyone).id]))
    return results


class Writer:
    """A write that changes a counted fact, through the services: a commune-level decision recorded."""

    def __init__(self, admin):
        self.admin = admin
        self.count = 0

    def recognise(self, units) -> None:
        from assessments import services

        self.count += 1
        unit = random.choice(units)
        services.recognition_create(unit=unit, level=1, decision_number=f"B{self.count}-{time.time_ns()}",
                                    decision_date=datetime.date(2026, 1, 15), issued_by="UBND (bench)",
                                    actor=self.admin, historical=True)


def load_run(server, people_path: Path, users: int, seconds: int, *, mode: str = "mix", wait: str = "think") -> dict:
    """A headless locust run; its aggregated statistics and the load average at its end."""
    out = Path(tempfile.mkdtemp(prefix="bench-locust-")) / "run"
    environment = {**os.environ, "BENCH_PEOPLE": str(people_path), "BENCH_MODE": mode, "BENCH_WAIT": wait}
    command = [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "scripts" / "locustfile.py"),
               "--headless", "-u", str(users), "-r", str(max(5, users // 10)), "-t", f"{seconds}s",
               "--host", server.url, "--csv", str(out), "--only-summary", "--loglevel", "WARNING"]
    samples = []
    process = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while process.poll() is None:
        time.sleep(5)
        samples.append(float(Path("/proc/loadavg").read_text().split()[0]))
    stats = {}
    with open(f"{out}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            stats[row["Name"]] = row
    total = stats["Aggregated"]
    by_name = {name: (float(r["50%"]), float(r["95%"]), int(r["Request Count"]), int(r["Failure Count"]))
               for name, r in stats.items() if name != "Aggregated"}
    return {"users": users, "mode": mode, "requests": int(total["Request Count"]),
            "failures": int(total["Failure Count"]), "rps": float(total["Requests/s"]),
            "p50": float(total["50%"]), "p95": float(total["95%"]), "load": max(samples) if samples else 0.0,
            "by_name": by_name}


def report(results: dict, load: dict, saturation: dict) -> None:
    floor = percentile(results["floor"], 0.95)
    floor50 = statistics.median(results["floor"])
    print("\nratios to the signed-in floor (p95 / floor p95; p50 / floor p50):")
    for name, times in results.items():
        print(f"  {name:<58} p50 {statistics.median(times):6.0f} ms ({statistics.median(times) / floor50:4.1f}×)  "
              f"p95 {percentile(times, 0.95):6.0f} ms ({percentile(times, 0.95) / floor:4.1f}×)")
    for users, run in load.items():
        print(f"\nload: {users} users (the mix, 1–3 s think time): {run['requests']} requests, "
              f"{run['failures']} errors, {run['rps']:.1f} req/s, p50 {run['p50']:.0f} ms, p95 {run['p95']:.0f} ms, "
              f"load average up to {run['load']:.1f}")
        for name, (p50, p95, count, failures) in sorted(run["by_name"].items()):
            print(f"    {name:<40} {count:6d} requests, {failures} errors, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    if not saturation:
        return
    mix, floor_run = saturation["mix"], saturation["floor"]
    print(f"\nsaturation (20 users, no think time): floor {floor_run['rps']:.1f} req/s, mix {mix['rps']:.1f} req/s "
          f"({mix['rps'] / floor_run['rps']:.2f} of the floor's); errors {floor_run['failures']} and "
          f"{mix['failures']}; load average up to {max(mix['load'], floor_run['load']):.1f}")


if __name__ == "__main__":
    main()
