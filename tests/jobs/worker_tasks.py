"""Tasks for the tests that kill a worker in the middle of a job: the job runner with a slow export, or with
an import that writes one row at a time, slowly."""

import tempfile
import time

from django.tasks import task

from jobs import tasks
from jobs.models import Kind
from jobs.services import Output
from jobs.work import WORK

ROWS = 400


def slow_export(job, progress):
    progress.start(ROWS)
    out = tempfile.TemporaryFile()
    for _ in range(ROWS):
        out.write(b"row\r\n")
        time.sleep(0.05)
        progress.advance()
    return Output(out, "slow.csv", "text/csv")


@task
def slow_job_run(job_id: int) -> str:
    WORK[Kind.DATA_EXPORT] = slow_export  # in the worker process only
    return tasks.job_run.call(job_id)


def slow_writes():
    from data_exchange import writing

    original = writing._insert_assessments

    def slow(batch, **kwargs):
        original(batch, **kwargs)
        time.sleep(0.2)

    writing.BATCH = 1
    writing._insert_assessments = slow


@task
def slow_import_run(job_id: int) -> str:
    slow_writes()  # in the worker process only
    return tasks.job_run.call(job_id)
