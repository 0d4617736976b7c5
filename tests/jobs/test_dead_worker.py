"""A worker killed in the middle of a job: nothing partial is left, the job is marked failed, and it can be
retried. Once simulated (any database; the import's in tests/jobs/test_imports.py), and with a real
`db_worker` process killed by SIGKILL (PostgreSQL) in an export and in an import."""

import datetime
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from jobs import services
from jobs.models import Job, Kind, State
from tests import factories

from .conftest import DATABASE_BACKEND, run_worker

ROOT = Path(__file__).resolve().parents[2]


def _files_of(job) -> list[str]:
    """Every file stored for the job, whatever the attempt."""
    try:
        attempts, _files = default_storage.listdir(f"jobs/{job.pk}")
    except FileNotFoundError:
        return []
    return [f"jobs/{job.pk}/{a}/{name}" for a in attempts for name in default_storage.listdir(f"jobs/{job.pk}/{a}")[1]]


def _stale(job):
    Job.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=settings.JOBS_STALE_MINUTES + 1))


def test_a_job_whose_heartbeat_stopped_is_failed_on_read_and_retried(client, registrations, database_tasks):
    reviewer = registrations["reviewer"]
    client.force_login(reviewer)
    job = services.job_start(owner=reviewer, kind=Kind.DATA_EXPORT, title="x",
                             params={"kind": "registrations", "format": "csv", "year": None})
    claimed = services.job_claim(job_id=job.pk)
    services.Progress(claimed).start(5)  # the worker started, then its process died here
    # Within the limit the job is still running: a slow job is not a dead one.
    assert client.get(reverse("jobs:status", args=[job.pk])).json()["state"] == "running"
    _stale(job)
    body = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert body["state"] == "failed" and body["message"].startswith("Tác vụ bị gián đoạn")
    assert _files_of(job) == []
    # The dead worker, were it to wake up, can no longer write to the job.
    with pytest.raises(services.JobLost):
        services.Progress(claimed).flush()

    client.post(reverse("jobs:retry", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.total) == (State.DONE, 2, 5)


def _worker(settings) -> subprocess.Popen:
    """A real `db_worker` process on the test database (PostgreSQL: another process can see it)."""
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "criteria_portal.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "PORTAL_TEST_MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
           "PORTAL_TEST_TASKS_BACKEND": DATABASE_BACKEND["default"]["BACKEND"]}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                             "--interval", "0.2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_when(worker: subprocess.Popen, job, ready) -> None:
    """SIGKILL the worker once `ready(job)` holds: no handler runs, as on a machine that loses power."""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state == State.RUNNING and ready(job):
                break
            assert worker.poll() is None, worker.stderr.read().decode()
            time.sleep(0.1)
        assert job.state == State.RUNNING and 0 < job.done < job.total, (job.state, job.done)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stderr.close()


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_process_mid_job_leaves_nothing_and_the_job_is_retried(client, settings, registrations):
    if connection.vendor != "postgresql":
        pytest.skip("a second process cannot see SQLite's in-memory test database; CI runs this on PostgreSQL")
    settings.TASKS = DATABASE_BACKEND
    from tests.jobs.worker_tasks import slow_job_run

    reviewer = registrations["reviewer"]
    job = Job.objects.create(owner=reviewer, kind=Kind.DATA_EXPORT, title="x",
                             params={"kind": "registrations", "format": "csv", "year": None})
    slow_job_run.enqueue(job_id=job.pk)
    _kill_when(_worker(settings), job, lambda job: job.done > 20)
    job.refresh_from_db()
    assert job.state == State.RUNNING and not job.result and _files_of(job) == []

    _stale(job)
    client.force_login(reviewer)
    body = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert body["state"] == "failed" and body["result_url"] is None
    client.post(reverse("jobs:retry", args=[job.pk]))
    run_worker()  # the real export this time
    job.refresh_from_db()
    assert (job.state, job.attempts, job.done) == (State.DONE, 2, 5)
    assert _files_of(job) == [job.result.name]  # only the retry's complete file


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_import_writes_nothing_and_the_import_is_retried(client, settings, criteria_set,
                                                                                  district, reviewer_user):
    """The worker is killed while it writes the rows, its progress seen meanwhile: the database rolls the
    transaction back, the job is reaped as failed, and its retry imports the file once."""
    if connection.vendor != "postgresql":
        pytest.skip("a second process cannot see SQLite's in-memory test database; CI runs this on PostgreSQL")
    from data_exchange.models import PendingImport
    from data_exchange.services import pending_import_check
    from tests.data_exchange.conftest import assessment_row, csv_bytes
    from tests.jobs.worker_tasks import slow_import_run

    settings.TASKS = DATABASE_BACKEND
    rows = [assessment_row(unit, 2024) for unit in factories.UnitFactory.create_batch(20, district=district)]
    data = csv_bytes(rows)
    pending = pending_import_check(pending=PendingImport.objects.create(
        user=reviewer_user, kind="assessments", file_name="a.csv", data=data, sha256=hashlib.sha256(data).hexdigest()))
    job = Job.objects.create(owner=reviewer_user, kind=Kind.IMPORT_CONFIRM, title="x", params={"pending": str(pending.pk)})
    PendingImport.objects.filter(pk=pending.pk).update(confirm_job=job)
    slow_import_run.enqueue(job_id=job.pk)
    # Rows checked count half, written the other half: past 14 of 20, rows are being written.
    _kill_when(_worker(settings), job, lambda job: job.done > 14)
    assert not Assessment.objects.exists()
    pending.refresh_from_db()
    assert pending.consumed_at is None and bytes(pending.data) == data

    _stale(job)
    client.force_login(reviewer_user)
    body = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert body["state"] == "failed" and "Không có dữ liệu nào được ghi" in body["message"]
    client.post(reverse("jobs:retry", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.DONE, 2) and Assessment.objects.count() == 20
