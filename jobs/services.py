"""Every write to a job: start, claim, progress, finish, fail, retry, and the clean-up of dead and old jobs.

The web request only creates the job and enqueues its task (a few milliseconds); the worker does the
work through jobs/tasks.py. A worker's writes are conditional on the job still being its own (state
running, same attempt), so a worker that was given up for dead cannot overwrite a retry.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operations.logs import event
from operations.request_id import current as current_request_id

from .models import IMPORT_KINDS, Job, Kind, State


class JobError(Exception):
    """A user-facing reason why a job cannot be (re)started."""


class JobLost(Exception):
    """The job is no longer this worker's (marked failed as dead, or retried): stop working on it."""


class JobFailure(Exception):
    """The work found a problem the user can act on; its message is shown on the job's page."""


DIED = gettext_lazy("Tác vụ bị gián đoạn (máy xử lý đã dừng giữa chừng). Không có tệp nào được tạo; hãy bấm “Thử lại”.")
DIED_IMPORT = gettext_lazy("Tác vụ bị gián đoạn (máy xử lý đã dừng giữa chừng). Không có dữ liệu nào được ghi; "
                           "hãy bấm “Thử lại”.")


def _enqueue(job: Job) -> Job:
    from .tasks import job_run

    try:
        result = job_run.enqueue(job_id=job.pk)
    except Exception:
        Job.objects.filter(pk=job.pk).update(state=State.FAILED, finished_at=timezone.now(),
                                             message=_("Không đưa được tác vụ vào hàng đợi; hãy thử lại sau."))
        raise
    # Only the id: with the immediate backend (tests) the job has already run and its state is final.
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_start(*, owner, kind: str, title: str, params: dict, unit: str = "rows") -> Job:
    """Create the job and put its task in the queue. Nothing else happens in the request."""
    if kind not in Kind.values:
        raise JobError(_("Loại tác vụ không hợp lệ."))
    job = Job.objects.create(owner=owner, kind=kind, title=title[:255], params=params, unit=unit,
                             request_id=current_request_id.get()[:64])
    event("job.queued", job=job.pk, kind=kind, user_id=owner.pk)
    return _enqueue(job)


def job_retry(*, job: Job, actor) -> Job:
    """A failed job again, from the start, as the same job (its page stays where the user is)."""
    if job.owner_id != actor.pk:
        raise JobError(_("Chỉ người tạo tác vụ mới chạy lại được."))
    stored = job.result.name
    updated = Job.objects.filter(pk=job.pk, state=State.FAILED).update(
        state=State.QUEUED, done=0, message="", result="", result_name="", result_type="", result_page="",
        started_at=None, finished_at=None, updated_at=timezone.now(), request_id=current_request_id.get()[:64])
    if not updated:
        raise JobError(_("Chỉ chạy lại được tác vụ không thành công."))
    if stored:
        job.result.storage.delete(stored)
    job.refresh_from_db()
    event("job.retried", job=job.pk, kind=job.kind, user_id=actor.pk)
    return _enqueue(job)


def job_claim(*, job_id: int) -> Job | None:
    """queued → running for this worker (attempts + 1); None when the job is not queued any more."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, state=State.QUEUED).first()
        if job is None:
            return None
        job.state, job.started_at, job.updated_at, job.attempts = State.RUNNING, now, now, job.attempts + 1
        job.save(update_fields=["state", "started_at", "updated_at", "attempts"])
    return job


WRITE_EVERY = 0.5  # seconds between two progress writes of one job


@dataclass
class Progress:
    """The worker's progress on a job, written at most every WRITE_EVERY seconds (and when it ends).

    Each write is also the job's heartbeat; a write that finds the job no longer this worker's raises
    JobLost, which stops the work. Inside a transaction (the import writes all its rows in one) a write on
    the worker's connection would be seen by nobody until the end; on PostgreSQL it then goes through a
    connection of its own (settings.JOBS_PROGRESS_APART), so the bar moves and the heartbeat beats.
    """

    job: Job
    _written: float = 0.0
    _apart: object = field(default=None, repr=False)  # the connection of its own, opened when first needed

    def _write(self) -> None:
        self.job.total = max(self.job.total, self.job.done)
        now = timezone.now()
        if connection.in_atomic_block and connection.vendor == "postgresql" and settings.JOBS_PROGRESS_APART:
            updated = self._write_apart(now)
        else:
            updated = Job.objects.filter(pk=self.job.pk, state=State.RUNNING, attempts=self.job.attempts).update(
                done=self.job.done, total=self.job.total, updated_at=now)
        if not updated:
            raise JobLost(self.job.pk)
        self._written = time.monotonic()

    def _write_apart(self, now: datetime.datetime) -> int:
        if self._apart is None:
            self._apart = connections.create_connection(DEFAULT_DB_ALIAS)  # autocommit: each write is seen at once
        table = self._apart.ops.quote_name(Job._meta.db_table)
        with self._apart.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET done = %s, total = %s, updated_at = %s "  # noqa: S608 (no user input)
                           "WHERE id = %s AND state = %s AND attempts = %s",
                           [self.job.done, self.job.total, now, self.job.pk, State.RUNNING.value, self.job.attempts])
            return cursor.rowcount

    def start(self, total: int) -> None:
        self.job.done, self.job.total = 0, max(total, 0)
        self._write()

    def advance(self, count: int = 1) -> None:
        self.job.done += count
        if time.monotonic() - self._written >= WRITE_EVERY:
            self._write()

    def report(self, done: int, total: int) -> None:
        """Where the work stands (the import's reader and writer call this every batch of rows)."""
        self.job.done, self.job.total = min(done, total), total
        if time.monotonic() - self._written >= WRITE_EVERY:
            self._write()

    def flush(self) -> None:
        self._write()

    def close(self) -> None:
        if self._apart is not None:
            self._apart.close()
            self._apart = None


@dataclass
class Output:
    """What a job made: a file (any readable binary file, e.g. a temporary one) and its download name."""

    file: IO[bytes]
    name: str
    content_type: str


@dataclass
class Page:
    """What a job made when its result is a page of the portal (the import's preview or imported counts):
    its address, and the sentence the job's page shows once done."""

    url: str
    message: str = ""


def job_finish(*, job: Job, output: Output | Page) -> None:
    """Store the file (or the page's address), then mark the job done; if the job is no longer ours, the
    stored file goes again."""
    if isinstance(output, Page):
        fields = {"result_page": output.url[:255], "message": output.message}
    else:
        job.result.save(output.name, File(output.file, name=output.name), save=False)
        fields = {"result": job.result.name, "result_name": output.name, "result_type": output.content_type,
                  "message": ""}
    now = timezone.now()
    updated = Job.objects.filter(pk=job.pk, state=State.RUNNING, attempts=job.attempts).update(
        state=State.DONE, done=F("total"), updated_at=now, finished_at=now, **fields)
    if not updated:
        if job.result.name:
            job.result.storage.delete(job.result.name)
        raise JobLost(job.pk)


def job_fail(*, job: Job, message: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk, state=State.RUNNING, attempts=job.attempts).update(
        state=State.FAILED, message=message, updated_at=now, finished_at=now)


def jobs_reap_stale(*, now: datetime.datetime | None = None) -> int:
    """Running jobs whose heartbeat stopped JOBS_STALE_MINUTES ago died with their worker: failed, and
    whatever file an attempt may have left is deleted. Called on every read of a job and by the worker."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(minutes=settings.JOBS_STALE_MINUTES)
    stale = list(Job.objects.filter(state=State.RUNNING, updated_at__lt=limit).values_list("pk", "attempts", "kind"))
    reaped = 0
    for pk, attempts, kind in stale:
        # An import's transaction died with its worker's connection: the database rolled it back.
        message = DIED_IMPORT if kind in IMPORT_KINDS else DIED
        reaped += Job.objects.filter(pk=pk, state=State.RUNNING, attempts=attempts).update(
            state=State.FAILED, message=str(message), finished_at=now)
        _delete_attempt_files(pk, attempts)
        event("job.died", level=logging.WARNING, job=pk, attempt=attempts)
    return reaped


def _delete_attempt_files(pk: int, attempts: int) -> None:
    from django.core.files.storage import default_storage

    folder = f"jobs/{pk}/{attempts}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")


def jobs_prune(*, days: int, now: datetime.datetime | None = None) -> int:
    """Delete finished jobs older than `days` days, and their files."""
    limit = (now or timezone.now()) - datetime.timedelta(days=days)
    old = Job.objects.filter(state__in=[State.DONE, State.FAILED], created_at__lt=limit)
    count = 0
    for job in old.iterator():
        if job.result.name:
            job.result.storage.delete(job.result.name)
        job.delete()
        count += 1
    return count
