"""The one task every job runs in: claim the job, run its kind's work with progress, store the result.

A job's work is a function `work(job, progress) -> Output | Page` registered by its app (jobs/work.py): the
report files (reports/jobs.py) and the /data/ exports make a file, the import's check and confirm
(data_exchange/jobs.py) a page; adding a kind is registering such a function.
An error the user can act on (JobFailure) becomes the job's message; any other error is logged with its
traceback and the user gets a general message. The result file is written to a temporary file that dies
with the process, and stored only once complete; an import writes in one transaction, which the database
rolls back when its connection dies. So a worker killed mid-job leaves nothing behind but a running job
whose heartbeat stops (then reaped).
"""

from __future__ import annotations

import logging
import time

from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext_lazy

from operations.logs import event
from operations.request_id import current as current_request_id

from . import services
from .models import Job


def _work(kind: str):
    from .work import work_for

    return work_for(kind)


FAILED = gettext_lazy("Có lỗi khi xử lý tác vụ; không có tệp nào được tạo. Hãy thử lại; nếu vẫn lỗi, hãy báo "
                      "quản trị hệ thống.")
FAILED_IMPORT = gettext_lazy("Có lỗi khi xử lý tác vụ; không có dữ liệu nào được ghi. Hãy thử lại; nếu vẫn lỗi, "
                             "hãy báo quản trị hệ thống.")


@task
def job_run(job_id: int) -> str:
    services.jobs_reap_stale()
    job = services.job_claim(job_id=job_id)
    if job is None:
        return "skipped"
    token = current_request_id.set(job.request_id or f"job-{job.pk}")
    started = time.monotonic()
    try:
        with translation.override(job.params.get("language") or translation.get_language()):
            return _run(job, started)
    finally:
        current_request_id.reset(token)


def _run(job: Job, started: float) -> str:
    event("job.started", job=job.pk, kind=job.kind, attempt=job.attempts, user_id=job.owner_id)
    progress = services.Progress(job)
    try:
        output = _work(job.kind)(job, progress)
        size = 0
        if isinstance(output, services.Output):
            with output.file:
                size = output.file.seek(0, 2)
                services.job_finish(job=job, output=output)
        else:
            services.job_finish(job=job, output=output)
    except services.JobLost:
        event("job.lost", level=logging.WARNING, job=job.pk, attempt=job.attempts)
        return "lost"
    except services.JobFailure as failure:
        services.job_fail(job=job, message=str(failure))
        event("job.failed", level=logging.WARNING, job=job.pk, kind=job.kind, reason=str(failure))
        return "failed"
    except Exception:
        services.job_fail(job=job, message=str(FAILED_IMPORT if job.is_import else FAILED))
        event("job.failed", level=logging.ERROR, exc_info=True, job=job.pk, kind=job.kind)
        raise
    finally:
        progress.close()
    # What was counted: rows of a data export or an import, steps of a report file.
    event("job.done", job=job.pk, kind=job.kind, count=max(job.done, job.total), unit=job.unit, bytes=size,
          seconds=round(time.monotonic() - started, 3))
    return "done"
