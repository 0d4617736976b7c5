"""Benchmark: import an assessments backup with `manage.py import_data` and print its time and peak memory.

    createdb -h 127.0.0.1 -U postgres portal_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python scripts/bench_import.py --rows 58000
    DATABASE_URL=… .venv/bin/python scripts/bench_import.py --rows 58000 --reuse    # again, on the same database
    .venv/bin/python scripts/bench_import.py --rows 2000 --format xlsx              # scratch SQLite file

(unit, year) must be unique and a programme's years are bounded, so many rows need many units:
after Hoà Bình, further provinces of the vietnam-provinces dataset are loaded, each with a bench
programme (scripts/benchdata.py), until there are enough frame units; 58,000 rows (every unit of
the country × the accepted years 2021–next year) need them all — a national backup. The file is
written, then imported by the command in a child process with the settings as shipped (no limit
raised): the last line gives its wall time and its peak resident memory (the whole process: Python,
Django and the import), then the CPU time it used and the CPU time of the local PostgreSQL server's
processes meanwhile (other sessions included) — on a busy machine the wall time is mostly waiting for
a core, and the CPU times say what the import costs. `--reuse` empties the assessment tables of a
database this script built and imports again. Not part of `make test`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchutil import ROOT, assessment_rows, django_setup  # noqa: E402

SETTINGS = "criteria_portal.settings.test"  # DEBUG off, like production


def empty_assessments() -> None:
    """The assessment tables (and their history) emptied, the rest of the dataset kept (PostgreSQL)."""
    from django.db import connection

    from assessments.models import Assessment, CriterionResult, Transition

    models = [Assessment, CriterionResult, Transition]
    tables = [m._meta.db_table for m in models] + [m.history.model._meta.db_table for m in models
                                                   if hasattr(m, "history")]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def postgres_cpu() -> float | None:
    """CPU seconds used so far by the processes named postgres on this machine, with the sessions that have
    ended (None: none visible)."""
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # its own time and that of its ended children (backends)
            found = True
    return total / os.sysconf("SC_CLK_TCK") if found else None


def run_import(path: Path, database: str) -> tuple[float, int, float, str]:
    """`import_data assessments FILE` in a child process: (seconds, peak RSS in bytes, CPU seconds, its output)."""
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": SETTINGS}
    for name in [n for n in env if n.startswith("IMPORT_MAX_")]:
        del env[name]  # the limits as shipped
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "manage.py", "import_data", "assessments", str(path)], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"import_data failed ({child.returncode}):\n{output[-3000:]}")
    return seconds, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime, output.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--reuse", action="store_true", help="empty the assessments of a database built before")
    args = parser.parse_args()
    database = django_setup()
    from django.db import connection

    from assessments.models import Assessment, CriterionResult
    from data_exchange.formats import save_table

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    if Assessment._meta.db_table in connection.introspection.table_names() and Assessment.objects.exists():
        if not args.reuse:
            sys.exit("The database already holds assessments: use an empty scratch database, or --reuse.")
        empty_assessments()
    started = time.perf_counter()
    columns, rows = assessment_rows(args.rows)
    print(f"dataset: {len(rows):,} rows over {len({r[0] for r in rows}):,} units, years "
          f"{min(r[1] for r in rows)}–{max(r[1] for r in rows)} ({time.perf_counter() - started:.0f} s)", flush=True)
    path = Path(tempfile.mkdtemp(prefix="bench-import-")) / f"assessments.{args.format}"
    with path.open("wb") as out:
        save_table(columns, rows, args.format, out, sheet_title="assessments")
    print(f"file: {path.stat().st_size / 2**20:.1f} MiB ({args.format})", flush=True)
    del rows
    connection.close()

    server_before = postgres_cpu()
    seconds, peak, cpu, output = run_import(path, database)
    server = postgres_cpu() - server_before if server_before is not None else None
    print(output)
    print(f"counted: {Assessment.objects.count():,} assessments, {CriterionResult.objects.count():,} criterion "
          f"results, {CriterionResult.history.count():,} result history rows")
    print(f"cpu: import process {cpu:.1f} s, postgres processes "
          + (f"{server:.1f} s" if server is not None else "not visible") + f"; load average {os.getloadavg()[0]:.1f}")
    print(f"import_rows={args.rows} import_seconds={seconds:.1f} import_peak_rss_mib={peak / 2**20:.0f}")


if __name__ == "__main__":
    main()
