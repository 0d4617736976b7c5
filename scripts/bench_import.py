"""Benchmark: import a 10,000-row assessments file into a scratch database and print the time.

    .venv/bin/python scripts/bench_import.py                      # scratch SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cp_bench .venv/bin/python scripts/bench_import.py
                                                                  # an EMPTY PostgreSQL database you created
    .venv/bin/python scripts/bench_import.py --rows 2000 --format xlsx

(unit, year) must be unique and a programme's years are bounded, so 10,000 rows need about
1,700 xã/thị trấn: the script loads Hoà Bình and then further provinces of the vietnam-provinces
dataset, each with a bench programme (scripts/benchutil.py). It is not part of `make test`.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchutil import assessment_rows, django_setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    args = parser.parse_args()
    # The import limits (settings IMPORT_MAX_*) must let a file of this size in.
    os.environ.setdefault("IMPORT_MAX_ROWS", str(max(args.rows, 20_000)))
    os.environ.setdefault("IMPORT_MAX_CELLS", str(max(args.rows * 40, 1_000_000)))
    os.environ.setdefault("IMPORT_MAX_INFLATED_MB", str(max(args.rows // 500, 50)))

    django_setup()
    from django.db import connection

    from assessments.models import Assessment, CriterionResult
    from data_exchange.formats import write_table
    from data_exchange.services import ImportRejected, data_import

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if Assessment._meta.db_table in connection.introspection.table_names() and Assessment.objects.exists():
        sys.exit("The database already holds assessments: use an empty scratch database.")
    columns, rows = assessment_rows(args.rows)
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
