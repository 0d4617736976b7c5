"""Benchmark: export a large assessments table and import the exported file back, time and peak memory.

    .venv/bin/python scripts/bench_export.py                       # 60,000 rows, CSV and .xlsx, scratch SQLite
    .venv/bin/python scripts/bench_export.py --rows 10000 --formats xlsx --timeout 120

Steps: load Hoà Bình and further provinces (each with a bench programme, see benchutil) until
there are enough (unit, year) pairs, fill the database with `--rows` assessments by importing a
generated file (setup, not measured), then for each format
  export  `manage.py export_data assessments FILE` (the command the backups use),
  web     GET /data/export/ as an administrator, reading the response to the end,
  import  `data_import()` of the exported file, read as a stream with the command line's limits (as
          `import_data` does), into a copy of the database without assessments.
Each step prints its time and its peak resident memory above the baseline (benchutil.measured);
a step taking longer than --timeout seconds is interrupted. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchutil import TooSlow, assessment_rows, deadline, django_setup, measured  # noqa: E402


def step(name: str, fmt: str, database: Path, exported: Path, rows: int, timeout: int) -> None:
    """One measured step in a fresh process, so that its peak memory is its own."""
    django_setup(f"sqlite:///{database}")
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from data_exchange.reading import Limits
    from data_exchange.services import ImportRejected, data_import

    label = f"{fmt:4} {name:7} {rows:,} rows:"
    try:
        if name == "export":
            with deadline(timeout), measured() as spent:
                call_command("export_data", "assessments", str(exported), stdout=io.StringIO())
            print(f"{label} {spent}, file {exported.stat().st_size / 2**20:.1f} MiB")
        elif name == "web":
            client = Client()
            client.force_login(User.objects.get_or_create(username="bench-admin", role=Role.ADMIN)[0])
            size = 0
            with deadline(timeout), measured() as spent:
                response = client.get(reverse("data_exchange:export"),
                                      {"export-kind": "assessments", "export-format": fmt, "export-year": ""})
                for chunk in (response.streaming_content if response.streaming else [response.content]):
                    size += len(chunk)
            print(f"{label} {spent}, HTTP {response.status_code}, "
                  f"{'streamed' if response.streaming else 'in one piece'}, {size / 2**20:.1f} MiB")
        else:
            with exported.open("rb") as source, deadline(timeout), measured() as spent:
                plan = data_import(kind="assessments", name=exported.name, data=source,
                                   limits=Limits.for_command_line())
            print(f"{label} {spent}, {plan.totals()}")
    except TooSlow:
        print(f"{label} not finished after {timeout} s")
    except ImportRejected as rejected:
        print(f"{label} rejected: {[str(p) for p in rejected.plan.problems[:3]]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--steps", default="export,web,import")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per step (0: no limit)")
    parser.add_argument("--child", nargs=4, metavar=("STEP", "FORMAT", "DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, fmt, database, exported = args.child
        step(name, fmt, Path(database), Path(exported), args.rows, args.timeout)
        return

    scratch = Path(tempfile.mkdtemp(prefix="bench-export-"))
    database = scratch / "bench.sqlite3"
    django_setup(f"sqlite:///{database}")
    from django.db import connection

    from assessments.models import Assessment, CriterionResult
    from data_exchange.formats import write_table
    from data_exchange.reading import Limits
    from data_exchange.services import data_import

    columns, rows = assessment_rows(args.rows)
    connection.close()
    empty = scratch / "empty.sqlite3"
    shutil.copy(database, empty)  # reference data only: where the exported files are imported again
    with measured() as spent:
        data_import(kind="assessments", name="setup.csv", data=write_table(columns, rows, "csv"),
                    limits=Limits.for_command_line())
    print(f"database: {Assessment.objects.count():,} assessments, {CriterionResult.objects.count():,} criterion "
          f"results (setup import {spent})", flush=True)
    connection.close()

    for fmt in (f for f in args.formats.split(",") if f):
        exported = scratch / f"assessments.{fmt}"
        for name in (s for s in args.steps.split(",") if s):
            target = database
            if name == "import":
                if not exported.exists():
                    continue
                target = scratch / f"import-{fmt}.sqlite3"
                shutil.copy(empty, target)
            subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--timeout", str(args.timeout),
                            "--child", name, fmt, str(target), str(exported)], check=False)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
