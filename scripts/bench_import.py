"""Benchmark: import a 10,000-row assessments file into a scratch database and print the time.

    .venv/bin/python scripts/bench_import.py                      # scratch SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench .venv/bin/python scripts/bench_import.py
                                                                  # an EMPTY PostgreSQL database you created
    .venv/bin/python scripts/bench_import.py --rows 2000 --format xlsx

(unit, year) must be unique and years are limited to 2021…next year, so 10,000 rows need
about 1,430 xã/thị trấn: the script loads Hòa Bình and then further provinces of the
vietnam-provinces dataset until there are enough units. It is not part of `make test`.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench-import-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "criteria_portal.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from assessments.models import Assessment, CriterionResult
    from assessments.programmes import frame_units
    from assessments.services import year_range
    from communes.services import province_codes
    from data_exchange.formats import write_table
    from data_exchange.services import ImportRejected, data_import
    from scripts.benchdata import province_programme

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if Assessment.objects.using("default").model._meta.db_table in connection.introspection.table_names():
        if Assessment.objects.exists():
            sys.exit("The database already holds assessments: use an empty scratch database.")
    call_command("migrate", verbosity=0)
    # Programmes are data: each province loaded gets a commune-model programme (scripts/benchdata.py).
    years = [y for y in year_range() if 2022 <= y <= 2026]
    needed = -(-args.rows // len(years))
    units, programmes = [], []
    for code in [17] + [c for c in province_codes() if c != 17]:
        if len(units) >= needed:
            break
        programme = province_programme(code, default=not programmes)
        programmes.append(programme)
        units += list(frame_units(programme).order_by("code").values_list("code", flat=True))
    criteria_set = programmes[0].criteria_sets.get()
    print(f"units in the programmes' frames: {len(units)}; years {years[0]}–{years[-1]}")

    rng = random.Random(5)
    numbers = list(criteria_set.criteria.values_list("number", flat=True))
    pairs = [(code, year) for year in years for code in units][: args.rows]
    rows = []
    for code, year in pairs:
        stage = "verified" if rng.random() < 0.7 else "self"
        values = [rng.choice(("1", "1", "0", "x", "đạt", "không đạt")) for _ in numbers]
        if stage == "self":
            values = [v if rng.random() < 0.9 else "" for v in values]
        rows.append([code, year, stage, *values])
    columns = ["commune_code", "year", "stage"] + [f"c{n}" for n in numbers]
    data = write_table(columns, rows, args.format)
    print(f"file: {len(rows)} rows, {len(data) / 1024:.0f} KiB ({args.format})")

    started = time.perf_counter()
    try:
        plan = data_import(kind="assessments", name=f"bench.{args.format}", data=data)
    except ImportRejected as rejected:
        sys.exit("\n".join(str(p) for p in rejected.plan.problems[:10]))
    elapsed = time.perf_counter() - started
    print(f"imported: {plan.totals()} in {elapsed:.1f} s "
          f"({Assessment.objects.count()} assessments, {CriterionResult.objects.count()} criterion results, "
          f"{CriterionResult.history.count()} result history rows)")


if __name__ == "__main__":
    main()
