"""The web import runs its check and its confirm as background jobs (issue 19): follow them as a user does.

The test settings run tasks with the immediate backend, so the job has run when the POST answers.
"""

from django.urls import resolve, reverse

from jobs.models import Job, State


def job_of(response) -> Job:
    """The job a POST (upload or confirm) started and sent the user to."""
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "jobs:detail", response["Location"]
    return Job.objects.get(pk=match.kwargs["pk"])


def status_of(client, job: Job) -> dict:
    response = client.get(reverse("jobs:status", args=[job.pk]))
    assert response.status_code == 200
    return response.json()


def result_of(client, response, *, state: str = State.DONE) -> str:
    """The page the job of `response` ended on (the import's preview), read from its JSON as the job's page does."""
    job = job_of(response)
    status = status_of(client, job)
    assert status["state"] == state, status
    return status["result_url"]
