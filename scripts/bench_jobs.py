"""Benchmark: a web request never runs long work. The POSTs that start the large exports and an import
answer at once; the worker does the work. Prints, per job, the POST's time, the job's time in the worker
and the worker's peak memory.

    .venv/bin/python scripts/bench_jobs.py                    # 20,000 assessments, scratch SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_jobs .venv/bin/python scripts/bench_jobs.py --rows 10000

Steps: fill a scratch database with `--rows` assessments (benchutil.assessment_rows, setup, not measured);
as an administrator POST the /data/ export of the assessments (.xlsx and .csv), progress.xlsx,
progress.docx and national.xlsx with the database task backend (each POST only queues a job); then run
`manage.py db_worker --batch` in a fresh process until the queue is empty, and read each job's time from
its started/finished stamps and the worker's peak resident memory (wait4's rusage of that child).
Then the import of `--import-rows` new assessments (20,000 by default) as a user does it: POST the upload
(stores the file, queues the check), a worker; POST the confirm (queues the import), a worker. Last lines:
`post_max_ms=<n> job_max_s=<n> worker_peak_mib=<n>` for the exports and
`import_post_max_ms=<n> import_check_s=<n> import_confirm_s=<n> import_worker_peak_mib=<n>`.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchutil import ROOT, assessment_rows, django_setup, measured  # noqa: E402

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def worker(database: str) -> tuple[float, float]:
    """Run `db_worker --batch` in a fresh process until the queue is empty: its wall time (s), peak MiB."""
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "criteria_portal.settings.test"}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
                              "--no-startup-delay", "--interval", "0"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, child.returncode
    return time.perf_counter() - started, usage.ru_maxrss / 1024  # kB on Linux


def timed_post(client, url, data) -> tuple[object, float]:
    started = time.perf_counter()
    response = client.post(url, data)
    return response, (time.perf_counter() - started) * 1000


def job_seconds(job) -> float:
    return (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else -1


def bench_exports(client, database: str, year: int) -> None:
    from django.db import connection
    from django.urls import reverse

    from jobs.models import Job

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
        response, post_ms[name] = timed_post(client, url, data)
        assert response.status_code == 302 and "/jobs/" in response["Location"], (name, response.status_code,
                                                                                 response.get("Location"))
    connection.close()
    wall, peak_mib = worker(database)
    jobs = list(Job.objects.order_by("pk"))
    job_s = {}
    for name, job in zip(posts, jobs, strict=True):
        job_s[name] = job_seconds(job)
        print(f"{name:18} POST {post_ms[name]:7.1f} ms   job {job.state:6} {job_s[name]:6.1f} s   "
              f"{job.done:,}/{job.total:,} {job.unit}   {job.result.size / 2**20 if job.result else 0:.1f} MiB")
    print(f"worker: {wall:.1f} s for the {len(jobs)} jobs, peak resident memory {peak_mib:.0f} MiB")
    print(f"post_max_ms={max(post_ms.values()):.0f} job_max_s={max(job_s.values()):.1f} worker_peak_mib={peak_mib:.0f}",
          flush=True)


def bench_import(client, database: str, name: str, data: bytes) -> None:
    """Upload → check job → confirm → import job, as the import page does; only the POSTs are in the request."""
    import io

    from django.db import connection
    from django.urls import reverse

    from data_exchange.models import PendingImport
    from jobs.models import Job

    upload = io.BytesIO(data)
    upload.name = name
    response, upload_ms = timed_post(client, reverse("data_exchange:import"),
                                     {"upload-kind": "assessments", "upload-file": upload})
    assert response.status_code == 302 and "/jobs/" in response["Location"], response.status_code
    connection.close()
    _wall, check_mib = worker(database)
    pending = PendingImport.objects.get(file_name=name)
    assert pending.checked_at and not pending.problem_count, pending.problems[:3]
    response, confirm_ms = timed_post(client, reverse("data_exchange:confirm", args=[pending.pk]), {})
    assert response.status_code == 302 and "/jobs/" in response["Location"], response.status_code
    connection.close()
    _wall, confirm_mib = worker(database)
    pending.refresh_from_db()
    check, confirm = Job.objects.get(pk=pending.check_job_id), Job.objects.get(pk=pending.confirm_job_id)
    for label, post_ms, job, mib in (("import: check", upload_ms, check, check_mib),
                                     ("import: confirm", confirm_ms, confirm, confirm_mib)):
        print(f"{label:18} POST {post_ms:7.1f} ms   job {job.state:6} {job_seconds(job):6.1f} s   "
              f"{job.done:,}/{job.total:,} {job.unit}   worker peak {mib:.0f} MiB")
    print(f"imported: {pending.imported}")
    print(f"import_post_max_ms={max(upload_ms, confirm_ms):.0f} import_check_s={job_seconds(check):.1f} "
          f"import_confirm_s={job_seconds(confirm):.1f} import_worker_peak_mib={max(check_mib, confirm_mib):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--import-rows", type=int, default=20_000, help="new assessments in the uploaded file")
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="bench-jobs-media-")
    largest = max(args.rows, args.import_rows, 20_000)
    os.environ.update(PORTAL_TEST_TASKS_BACKEND=DATABASE_BACKEND, PORTAL_TEST_MEDIA_ROOT=media,
                      IMPORT_MAX_ROWS=str(largest), IMPORT_MAX_CELLS=str(max(largest * 40, 1_000_000)))
    database = django_setup(None if os.environ.get("DATABASE_URL") else
                            f"sqlite:///{tempfile.mkdtemp(prefix='bench-jobs-')}/bench.sqlite3")
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Role, User
    from assessments.models import Assessment
    from data_exchange.formats import write_table
    from data_exchange.services import data_import

    columns, rows = assessment_rows(args.rows + args.import_rows)
    with measured() as spent:
        data_import(kind="assessments", name="setup.csv", data=write_table(columns, rows[:args.rows], "csv"))
    year = Assessment.objects.order_by("-year").values_list("year", flat=True).first()
    print(f"database: {Assessment.objects.count():,} assessments, latest year {year} (setup import {spent})",
          flush=True)

    client = Client()
    admin = User.objects.get_or_create(username="bench-admin", role=Role.ADMIN)[0]
    client.force_login(admin)
    # An administrator must have passed the second step (as the sign-in pages leave the session).
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get_or_create(
        user=admin, name="bench", defaults={"confirmed": True})[0].persistent_id
    session.save()
    bench_exports(client, database, year)
    to_import = rows[args.rows:]
    bench_import(client, database, f"import-{len(to_import)}.csv", write_table(columns, to_import, "csv"))


if __name__ == "__main__":
    main()
