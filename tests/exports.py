"""Exports are made by background jobs (issue 19): start one as a user does and get its file.

The test settings run tasks with the immediate backend, so the job has run when the POST answers.
"""

from django.http import HttpResponse
from django.urls import resolve, reverse

from jobs.models import Job, State


def download_via_job(client, url: str, data: dict | None = None) -> HttpResponse:
    """POST the export button's form, check the job it started is done, and return its download
    (an HttpResponse with the file's bytes as `.content` and the download's headers)."""
    response = client.post(url, data or {})
    assert response.status_code == 302, (url, response.status_code)
    match = resolve(response["Location"])
    assert match.view_name == "jobs:detail", response["Location"]
    job = Job.objects.get(pk=match.kwargs["pk"])
    assert job.state == State.DONE, (job.state, job.message)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    copy = HttpResponse(b"".join(download.streaming_content), status=download.status_code)
    for header in ("Content-Type", "Content-Disposition", "Cache-Control"):
        copy[header] = download[header]
    return copy
