"""Reads of jobs: a user's own jobs only (anyone else's is not found), the JSON of a job, queue figures."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Job, State


def job_list(*, user):
    """The user's own jobs, newest first. Nobody, not even an administrator, sees another user's job."""
    if not (user and user.is_authenticated):
        return Job.objects.none()
    return Job.objects.filter(owner=user).defer("params")


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)  # 1.200 in Vietnamese, 1,200 in English


def job_status_text(job: Job) -> str:
    """One sentence for the page and the screen reader: "Đang xử lý 1.200/20.000 dòng"."""
    if job.state == State.QUEUED:
        return _("Đang chờ đến lượt xử lý…")
    if job.state == State.FAILED:
        return job.message or _("Tác vụ không thành công.")
    if job.state == State.DONE:
        if job.result_page:  # the import's jobs say what they found or wrote
            return job.message or _("Hoàn tất.")
        return _("Hoàn tất: tệp đã sẵn sàng để tải về.")
    if not job.total:
        return _("Đang xử lý…")
    values = {"done": _count(job.done), "total": _count(job.total)}
    if job.unit == "steps":
        return _("Đang xử lý bước %(done)s/%(total)s") % values
    return _("Đang xử lý %(done)s/%(total)s dòng") % values


def job_result_url(job: Job) -> str | None:
    """Where a done job's result is: its file to download, or the page it made (the import's preview)."""
    if job.state != State.DONE:
        return None
    if job.result_page:
        return job.result_page
    return reverse("jobs:download", args=[job.pk]) if job.result else None


def job_json(job: Job) -> dict:
    """{"state", "done", "total", "message", "result_url"} (DESIGN §5)."""
    return {
        "state": job.state,
        "done": job.done,
        "total": job.total,
        "message": job_status_text(job),
        "result_url": job_result_url(job),
    }


def job_counts() -> dict[str, int]:
    counts = dict.fromkeys(State.values, 0)
    counts.update(Job.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return counts


def queue_age_seconds() -> float | None:
    """How long the oldest task still waiting in the queue has waited (None: the queue is empty).

    With the database backend that is the queue itself (jobs and reminders alike); with another backend
    the portal can only see its own queued jobs.
    """
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    else:
        oldest = Job.objects.filter(state=State.QUEUED).aggregate(oldest=Min("created_at"))["oldest"]
    return (timezone.now() - oldest).total_seconds() if oldest else None
