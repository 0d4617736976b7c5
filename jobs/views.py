"""A job's page, its JSON, its file, retry, and "Tác vụ của tôi"; plus the helpers export and import views
use to start a job (POST) and open its page, or to ask for the click that starts it (GET of an old link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from criteria_portal.downloads import download

from . import selectors, services
from .models import State
from .signals import SESSION_KEY

LIST_LIMIT = 50


def _own_job(request, pk: int):
    services.jobs_reap_stale()
    return get_object_or_404(selectors.job_list(user=request.user), pk=pk)


@login_required
@require_GET
def job_list(request):
    services.jobs_reap_stale()
    jobs = list(selectors.job_list(user=request.user)[:LIST_LIMIT])
    for job in jobs:
        job.status_text = selectors.job_status_text(job)
    return render(request, "jobs/job_list.html", {"jobs": jobs, "limit": LIST_LIMIT})


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    return render(request, "jobs/job_detail.html", {"job": job, "status": selectors.job_json(job)})


@login_required
@require_GET
def job_status(request, pk: int):
    job = _own_job(request, pk)
    response = JsonResponse(selectors.job_json(job), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.state != State.DONE or not job.result:
        raise Http404
    try:
        handle = job.result.open("rb")  # the storage's file, streamed in blocks: no local path assumed
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    return download(handle, filename=job.result_name, content_type=job.result_type or "application/octet-stream")


@login_required
@require_POST
def job_retry(request, pk: int):
    job = _own_job(request, pk)
    try:
        services.job_retry(job=job, actor=request.user)
    except services.JobError as error:
        messages.error(request, str(error))
    return redirect("jobs:detail", pk=job.pk)


def start(request, *, kind: str, title: str, params: dict, unit: str = "rows"):
    """Start a job for the signed-in user and send them to its page (the POST of an export button)."""
    job = services.job_start(owner=request.user, kind=kind, title=title, unit=unit,
                             params={**params, "language": translation.get_language()})
    return show(request, job)


def show(request, job):
    """Send the user to the page of a job of theirs just started (or found again: a double click)."""
    request.session[SESSION_KEY] = True
    return redirect("jobs:detail", pk=job.pk)


def confirm(request, *, title: str, fields: dict | None = None):
    """The page behind a GET of an export address (a bookmark, an old link): one button that POSTs to
    the same address and starts the job; `fields` are posted with it (else the query string stays on the
    address). A GET never starts work."""
    action = request.path if fields is not None else request.get_full_path()
    return render(request, "jobs/start.html", {"title": title, "action": action, "fields": (fields or {}).items()})
