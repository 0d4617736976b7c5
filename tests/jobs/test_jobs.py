"""Background jobs: a job's life with its progress, its page and JSON, failure and retry, and whose it is."""

import re

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from jobs import services
from jobs.models import Job, Kind, State
from jobs.selectors import job_json, job_status_text
from tests import factories

from .conftest import run_worker

EXPORT = reverse("data_exchange:export")
REGISTRATIONS_CSV = {"export-kind": "registrations", "export-format": "csv", "export-year": ""}


def start_export(client) -> Job:
    response = client.post(EXPORT, REGISTRATIONS_CSV)
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def status(client, job) -> dict:
    response = client.get(reverse("jobs:status", args=[job.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    return response.json()


def test_a_job_goes_from_queued_through_running_to_done_with_its_progress(client, registrations, database_tasks,
                                                                         monkeypatch):
    client.force_login(registrations["reviewer"])
    job = start_export(client)
    # The request only queued it: nothing was read or written yet.
    assert status(client, job) == {"state": "queued", "done": 0, "total": 0,
                                   "message": "Đang chờ đến lượt xử lý…", "result_url": None}
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    seen = []
    original = services.Progress._write

    def watched(progress):
        original(progress)
        seen.append(status(client, job))  # what the page's script reads while the worker runs

    monkeypatch.setattr(services, "WRITE_EVERY", 0)
    monkeypatch.setattr(services.Progress, "_write", watched)
    run_worker()

    assert [(s["state"], s["done"], s["total"]) for s in seen][:6] == [("running", n, 5) for n in range(6)]
    assert seen[3]["message"] == "Đang xử lý 3/5 dòng" and seen[3]["result_url"] is None
    final = status(client, job)
    assert final["state"] == "done" and (final["done"], final["total"]) == (5, 5)
    download = client.get(final["result_url"])
    assert download["Content-Disposition"].startswith('attachment; filename="registrations-')
    lines = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "commune_code,year,programme" and len(lines) == 6
    job.refresh_from_db()
    assert job.attempts == 1 and job.started_at and job.finished_at and job.task_result_id
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_status_counts_rows_in_vietnamese_number_format(db):
    job = Job(state=State.RUNNING, done=1200, total=20000, unit="rows")
    assert job_status_text(job) == "Đang xử lý 1.200/20.000 dòng"
    assert job_status_text(Job(state=State.RUNNING, done=1, total=2, unit="steps")) == "Đang xử lý bước 1/2"


def test_the_page_shows_a_labelled_progress_bar_and_loads_its_script_without_inline_code(client, registrations,
                                                                                        database_tasks):
    client.force_login(registrations["reviewer"])
    job = start_export(client)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<label id="job-progress-label" for="job-progress"' in page and "<progress" in page
    assert 'role="status" aria-live="polite"' in page and "Đang chờ đến lượt xử lý" in page
    assert "jobs/job.js" in page and "<script>" not in page
    assert f'data-status-url="{reverse("jobs:status", args=[job.pk])}"' in page


def test_an_export_get_shows_the_button_and_starts_nothing(client, registrations):
    client.force_login(registrations["reviewer"])
    response = client.get(EXPORT, REGISTRATIONS_CSV)
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="job-start"' in page
    assert not Job.objects.exists()
    # The button posts the same choice, which starts the job (done at once with the immediate backend).
    hidden = dict(re.findall(r'<input type="hidden" name="(export-[a-z]+)" value="([^"]*)">', page))
    assert hidden == REGISTRATIONS_CSV
    assert client.post(EXPORT, hidden).status_code == 302
    job = Job.objects.get()
    assert job.state == State.DONE and job.params["kind"] == "registrations"


def test_a_failed_job_says_why_and_can_be_retried(client, registrations, monkeypatch):
    from jobs.work import WORK

    def broken(job, progress):
        progress.start(5)
        raise RuntimeError("disk full")

    monkeypatch.setitem(WORK, Kind.DATA_EXPORT, broken)
    client.force_login(registrations["reviewer"])
    job = start_export(client)
    failed = status(client, job)
    assert failed["state"] == "failed" and failed["result_url"] is None
    assert failed["message"].startswith("Có lỗi khi xử lý tác vụ; không có tệp nào được tạo.")
    assert "disk full" not in failed["message"]  # the cause goes to the log, not to the page
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Thử lại" in page and 'data-when="failed">' in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404

    monkeypatch.undo()
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.attempts, job.done, job.total) == (State.DONE, 2, 5, 5)
    assert job.result.name.startswith(f"jobs/{job.pk}/2/")
    # A done job is not run again by a second click on an old retry button.
    client.post(reverse("jobs:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.attempts == 2 and job.state == State.DONE


def test_a_refusal_the_user_can_act_on_is_the_message(client, registrations):
    reviewer = registrations["reviewer"]
    client.force_login(reviewer)
    job = services.job_start(owner=reviewer, kind=Kind.PROGRESS_XLSX, title="x", unit="steps",
                             params={"year": 2025, "programme": "nope", "figures": "official"})
    assert job.state == State.FAILED and job.message == "Tài khoản của bạn không còn quyền tạo tệp này."


ROUTES = ("jobs:detail", "jobs:status", "jobs:download")


def test_a_user_sees_only_their_own_jobs(client, registrations):
    owner = registrations["reviewer"]
    client.force_login(owner)
    job = start_export(client)
    for name in ROUTES:
        assert client.get(reverse(name, args=[job.pk])).status_code == 200
    for other in (factories.reviewer(factories.DistrictFactory()), factories.administrator()):
        client.force_login(other)
        for name in ROUTES:
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other.role, name)
        assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
        assert job.title not in client.get(reverse("jobs:list")).content.decode()
    client.logout()
    for name in ROUTES:
        assert "/accounts/login/" in client.get(reverse(name, args=[job.pk]))["Location"]


def test_my_jobs_is_in_the_navigation_once_a_user_has_jobs(client, registrations):
    reviewer = registrations["reviewer"]
    client.force_login(reviewer)
    assert 'data-testid="nav-jobs"' not in client.get(reverse("notifications:list")).content.decode()
    job = start_export(client)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="nav-jobs"' in page
    listing = client.get(reverse("jobs:list")).content.decode()
    assert job.title in listing and reverse("jobs:download", args=[job.pk]) in listing
    # A new sign-in finds out from the database (one query at sign-in, none per page).
    client.logout()
    client.force_login(reviewer)
    assert 'data-testid="nav-jobs"' in client.get(reverse("notifications:list")).content.decode()


def _list_queries(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("jobs:list")).status_code == 200
    return len(ctx.captured_queries)


def test_my_jobs_takes_the_same_queries_for_3_and_30_jobs(client, db, django_assert_max_num_queries):
    user = factories.province_viewer()
    client.force_login(user)
    for n in range(3):
        Job.objects.create(owner=user, kind=Kind.NATIONAL_XLSX, title=f"t{n}", state=State.DONE)
    small = _list_queries(client, django_assert_max_num_queries)
    for n in range(27):
        Job.objects.create(owner=user, kind=Kind.NATIONAL_XLSX, title=f"u{n}", state=State.RUNNING, total=9, done=n % 9)
    with django_assert_max_num_queries(8):
        large = _list_queries(client, django_assert_max_num_queries)
    assert small == large


def test_old_jobs_and_their_files_are_pruned(client, registrations):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(registrations["reviewer"])
    job = start_export(client)
    stored = job.result.name
    assert default_storage.exists(stored)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("prune_jobs", "--days", "7", stdout=__import__("io").StringIO())
    assert not Job.objects.exists() and not default_storage.exists(stored)


def test_the_json_has_exactly_the_documented_keys(db):
    with translation.override("vi"):
        body = job_json(Job(state=State.QUEUED))
    assert set(body) == {"state", "done", "total", "message", "result_url"}


def test_the_post_only_queues_the_work(client, db, database_tasks, monkeypatch):
    """A web request never builds the file: with the production backend the builders are not even called."""
    def never(**kwargs):
        raise AssertionError("built inside the request")

    monkeypatch.setattr("reports.exports.xlsx_for", never)
    monkeypatch.setattr("reports.docx_report.docx_for", never)
    monkeypatch.setattr("reports.exports.national_xlsx", never)
    client.force_login(factories.administrator())
    programme = factories.ProgrammeFactory()
    for url in (reverse("reports:progress_xlsx") + f"?year=2025&programme={programme.code}",
                reverse("reports:progress_docx") + f"?year=2025&programme={programme.code}",
                reverse("reports:national_xlsx") + "?year=2025"):
        assert client.post(url).status_code == 302
    assert list(Job.objects.values_list("state", flat=True)) == [State.QUEUED] * 3
    assert DBTaskResult.objects.filter(status="READY").count() == 3


def test_the_national_table_comes_from_its_job(client, db):
    import io

    from openpyxl import load_workbook

    from tests.exports import download_via_job

    client.force_login(factories.UserFactory(role="national_viewer"))
    response = download_via_job(client, reverse("reports:national_xlsx") + "?year=2025")
    assert response["Content-Disposition"] == 'attachment; filename="toan-quoc-2025.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).sheetnames
