"""Benchmark: a web request never runs long work. The POSTs that start the large exports answer at once;
the worker does the work. Prints, per export, the POST's time, the job's time in the worker and the
worker's peak memory.

    .venv/bin/python scripts/bench_jobs.py                    # 20,000 assessments, scratch SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_jobs .venv/bin/python scripts/bench_jobs.py --rows 10000

Steps: fill a scratch database with `--rows` assessments (benchutil.assessment_rows, setup, not measured);
as an administrator POST the /data/ export of the assessments (.xlsx and .csv), progress.xlsx,
progress.docx and national.xlsx with the database task backend (each POST only queues a job); then run
`manage.py db_worker --batch` in a fresh process until the queue is empty, and read each job's time from
its started/finished stamps and the worker's peak resident memory (getrusage of the child). Last line:
`post_max_ms=<n> job_max_s=<n> worker_peak_mib=<n>`. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchutil import ROOT, assessment_rows, django_setup, measured  # noqa: E402

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="bench-jobs-media-")
    os.environ.update(PORTAL_TEST_TASKS_BACKEND=DATABASE_BACKEND, PORTAL_TEST_MEDIA_ROOT=media,
                      IMPORT_MAX_ROWS=str(max(args.rows, 20_000)),
                      IMPORT_MAX_CELLS=str(max(args.rows * 40, 1_000_000)))
    database = django_setup(None if os.environ.get("DATABASE_URL") else
                            f"sqlite:///{tempfile.mkdtemp(prefix='bench-jobs-')}/bench.sqlite3")
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from assessments.models import Assessment
    from data_exchange.formats import write_table
    from data_exchange.services import data_import
    from jobs.models import Job

    columns, rows = assessment_rows(args.rows)
    with measured() as spent:
        data_import(kind="assessments", name="setup.csv", data=write_table(columns, rows, "csv"))
    year = Assessment.objects.order_by("-year").values_list("year", flat=True).first()
    print(f"database: {Assessment.objects.count():,} assessments, latest year {year} (setup import {spent})",
          flush=True)

    client = Client()
    client.force_login(User.objects.get_or_create(username="bench-admin", role=Role.ADMIN)[0])
    posts = {
        "data export .xlsx": (reverse("data_exchange:export"),
                              {"export-kind": "assessments", "export-format": "xlsx", "export-year": ""}),
        "data export .csv": (reverse("data_exchange:export"),
                             {"export-kind": "assessments", "export-format": "csv", "export-year": ""}),
        "progress.xlsx": (reverse("reports:progress_xlsx") + f"?year={year}", {}),
        "progress.docx": (reverse("reports:progress_docx") + f"?year={year}", {}),
        "national.xlsx": (reverse("reports:national_xlsx") + f"?year={year}", {}),
    }
    post_ms = {}
    for name, (url, data) in posts.items():
        started = time.perf_counter()
        response = client.post(url, data)
        post_ms[name] = (time.perf_counter() - started) * 1000
        assert response.status_code == 302 and "/jobs/" in response["Location"], (name, response.status_code)
    connection.close()

    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "criteria_portal.settings.test"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay",
                    "--interval", "0"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    jobs = list(Job.objects.order_by("pk"))
    job_s = {}
    for name, job in zip(posts, jobs, strict=True):
        job_s[name] = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else -1
        print(f"{name:18} POST {post_ms[name]:7.1f} ms   job {job.state:6} {job_s[name]:6.1f} s   "
              f"{job.done:,}/{job.total:,} {job.unit}   {job.result.size / 2**20 if job.result else 0:.1f} MiB")
    print(f"worker: {wall:.1f} s for the {len(jobs)} jobs, peak resident memory {peak_mib:.0f} MiB")
    print(f"post_max_ms={max(post_ms.values()):.0f} job_max_s={max(job_s.values()):.1f} worker_peak_mib={peak_mib:.0f}")


if __name__ == "__main__":
    main()
