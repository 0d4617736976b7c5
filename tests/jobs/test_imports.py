"""The import through its jobs (issue 19): the upload only queues the check, the confirm only queues the
import; the worker reports rows checked and written; the import stays all-or-nothing through the task, a
double click imports once, and a worker that died mid-import leaves nothing written and can be retried."""

import datetime
import io

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import Assessment
from data_exchange import jobs as imports
from data_exchange.models import PendingImport
from jobs import services
from jobs.models import Job, Kind, State
from tests import factories
from tests.data_exchange.conftest import assessment_row, csv_bytes
from tests.imports import job_of, result_of, status_of

from .conftest import run_worker

IMPORT = reverse("data_exchange:import")
YEARS = (2023, 2024)


@pytest.fixture
def rows(criteria_set, district):
    """A valid file of 24 rows: 12 units of the reviewer's district, two years each."""
    units = factories.UnitFactory.create_batch(12, district=district)
    return [assessment_row(unit, year, met=13) for unit in units for year in YEARS]


def upload(client, rows, name="ket-qua.csv"):
    file = io.BytesIO(csv_bytes(rows))
    file.name = name
    return client.post(IMPORT, {"upload-kind": "assessments", "upload-file": file})


def confirm(client, pending):
    return client.post(reverse("data_exchange:confirm", args=[pending.pk]))


def watch_progress(monkeypatch, client, job) -> list[tuple]:
    """Every progress write of the worker, as the job's JSON shows it at that moment."""
    seen = []
    original = services.Progress._write

    def watched(progress):
        original(progress)
        if progress.job.pk == job.pk:
            body = status_of(client, job)
            seen.append((body["state"], body["done"], body["total"]))

    monkeypatch.setattr(services, "WRITE_EVERY", 0)
    monkeypatch.setattr(services.Progress, "_write", watched)
    return seen


def test_the_upload_queues_the_check_and_the_worker_makes_the_preview(client, reviewer_user, rows, database_tasks,
                                                                     monkeypatch):
    client.force_login(reviewer_user)
    response = upload(client, rows)
    check = job_of(response)
    # The request stored the file and queued the check: nothing was read yet.
    assert status_of(client, check) == {"state": "queued", "done": 0, "total": 0,
                                        "message": "Đang chờ đến lượt xử lý…", "result_url": None}
    pending = PendingImport.objects.get()
    assert pending.checked_at is None and pending.check_job == check
    # The preview of a file still being checked is its job's page.
    preview = reverse("data_exchange:preview", args=[pending.pk])
    assert client.get(preview)["Location"] == reverse("jobs:detail", args=[check.pk])

    monkeypatch.setattr("data_exchange.importing.PROGRESS_EVERY", 10)
    seen = watch_progress(monkeypatch, client, check)
    run_worker()
    assert seen[:-1] == [("running", 10, 24), ("running", 20, 24), ("running", 24, 24)]  # every 10 rows checked
    assert result_of(client, response) == preview
    page = client.get(preview).content.decode()
    assert "Sẽ tạo mới 24, cập nhật 0, giữ nguyên 0." in page
    assert reverse("data_exchange:confirm", args=[pending.pk]) in page
    assert not Assessment.objects.exists()
    detail = client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "Xem trước dữ liệu nhập" in detail and "data-follow" in detail and "Tải tệp về" not in detail


def test_the_confirm_queues_the_import_and_progress_counts_rows_without_a_query_each(
        client, reviewer_user, rows, database_tasks, monkeypatch):
    client.force_login(reviewer_user)
    upload(client, rows)
    run_worker()
    pending = PendingImport.objects.get()
    job = job_of(confirm(client, pending))
    assert status_of(client, job)["state"] == "queued" and not Assessment.objects.exists()

    monkeypatch.setattr("data_exchange.importing.PROGRESS_EVERY", 8)
    monkeypatch.setattr("data_exchange.writing.BATCH", 8)
    writes = []
    original = services.Progress._write
    monkeypatch.setattr(services, "WRITE_EVERY", 0)
    monkeypatch.setattr(services.Progress, "_write", lambda p: (writes.append((p.job.done, p.job.total)), original(p)))
    run_worker()
    # Half a row once checked again, the other half once written; one write per 8 rows, never one per row.
    assert writes[:7] == [(4, 24), (8, 24), (12, 24), (16, 24), (20, 24), (24, 24), (24, 24)]
    assert len(writes) < len(rows) / 2
    body = status_of(client, job)
    assert (body["state"], body["done"], body["total"]) == ("done", 24, 24)
    assert body["message"] == "Đã nhập dữ liệu từ tệp ket-qua.csv: 24 tạo mới, 0 cập nhật, 0 giữ nguyên."
    assert body["result_url"] == reverse("data_exchange:preview", args=[pending.pk])
    assert set(Assessment.objects.values_list("year", "verified_met_count")) == {(2023, 13), (2024, 13)}
    assert Assessment.objects.count() == 24
    assert "Đã tạo mới 24, cập nhật 0, giữ nguyên 0." in client.get(body["result_url"]).content.decode()


def test_a_double_click_on_confirm_imports_once(client, reviewer_user, rows, database_tasks):
    client.force_login(reviewer_user)
    upload(client, rows)
    run_worker()
    pending = PendingImport.objects.get()
    first, second = job_of(confirm(client, pending)), job_of(confirm(client, pending))
    assert first == second and Job.objects.filter(kind=Kind.IMPORT_CONFIRM).count() == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(reverse("data_exchange:preview", args=[pending.pk])).content.decode()
    assert 'data-testid="import-running"' in page and reverse("data_exchange:confirm", args=[pending.pk]) not in page
    run_worker()
    assert job_of(confirm(client, pending)) == first  # after it is done, still the same job
    run_worker()
    assert Assessment.objects.count() == 24 and Job.objects.get(pk=first.pk).attempts == 1


def test_a_row_that_fails_mid_way_leaves_nothing_written_and_the_job_failed(client, reviewer_user, rows, monkeypatch):
    """The first 8 rows are written, then the database refuses the next batch: all rolled back."""
    from data_exchange import writing

    client.force_login(reviewer_user)
    upload(client, rows)
    pending = PendingImport.objects.get()
    monkeypatch.setattr(writing, "BATCH", 8)
    original, batches = writing._insert_assessments, []

    def insert(batch, **kwargs):
        batches.append(len(batch))
        if len(batches) == 2:
            assert Assessment.objects.count() == 8  # the first batch is in the transaction
            raise IntegrityError("duplicate key value violates unique constraint")
        original(batch, **kwargs)

    monkeypatch.setattr(writing, "_insert_assessments", insert)
    response = confirm(client, pending)
    body = status_of(client, job_of(response))
    assert body["state"] == "failed" and body["result_url"] is None
    assert body["message"].startswith("Dữ liệu đã thay đổi từ lúc xem trước nên tệp không còn hợp lệ; không có dữ liệu "
                                      "nào được ghi. Hãy sửa tệp rồi tải lên lại. Dòng 1, cột -: Dữ liệu vừa được")
    assert not Assessment.objects.exists()
    pending.refresh_from_db()
    assert pending.consumed_at is None and bytes(pending.data)  # not imported: it can be tried again
    page = client.get(reverse("data_exchange:preview", args=[pending.pk])).content.decode()
    assert 'data-testid="import-failed"' in page and "Dữ liệu đã thay đổi từ lúc xem trước" in page

    # Any other error: a general message, nothing written either.
    monkeypatch.setattr(writing, "_insert_assessments", lambda batch, **kwargs: 1 / 0)
    client.post(reverse("jobs:retry", args=[pending.confirm_job_id]))
    body = status_of(client, pending.confirm_job)
    assert body["state"] == "failed" and body["message"].startswith(
        "Có lỗi khi xử lý tác vụ; không có dữ liệu nào được ghi.")
    assert not Assessment.objects.exists()

    monkeypatch.setattr(writing, "_insert_assessments", original)
    client.post(reverse("jobs:retry", args=[pending.confirm_job_id]))
    assert status_of(client, pending.confirm_job)["state"] == "done" and Assessment.objects.count() == 24


class WorkerKilled(BaseException):
    """What the work sees of a SIGKILL, as far as a test can: it stops in the middle and no handler of ours runs."""


def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_is_reaped_then_retried(
        client, reviewer_user, rows, database_tasks, monkeypatch):
    from data_exchange import writing

    client.force_login(reviewer_user)
    upload(client, rows)
    run_worker()
    pending = PendingImport.objects.get()
    job = job_of(confirm(client, pending))
    claimed = services.job_claim(job_id=job.pk)  # the worker takes it …
    monkeypatch.setattr(writing, "BATCH", 8)
    original = writing._insert_assessments

    def insert_then_die(batch, **kwargs):
        original(batch, **kwargs)
        raise WorkerKilled  # … writes a first batch, and dies

    monkeypatch.setattr(writing, "_insert_assessments", insert_then_die)
    with pytest.raises(WorkerKilled):
        imports.import_confirm(claimed, services.Progress(claimed))
    # The transaction died with it: nothing written, the file not marked imported, the job still "running".
    assert not Assessment.objects.exists()
    pending.refresh_from_db()
    assert pending.consumed_at is None
    assert status_of(client, job)["state"] == "running"

    Job.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=settings.JOBS_STALE_MINUTES + 1))
    body = status_of(client, job)
    assert body["state"] == "failed" and body["message"] == (
        "Tác vụ bị gián đoạn (máy xử lý đã dừng giữa chừng). Không có dữ liệu nào được ghi; hãy bấm “Thử lại”.")
    assert not Assessment.objects.exists()

    monkeypatch.setattr(writing, "_insert_assessments", original)
    client.post(reverse("jobs:retry", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (State.DONE, 2) and Assessment.objects.count() == 24
    # Run once more (a worker that lost the job after the import committed): it only shows the result.
    again = Job.objects.create(owner=reviewer_user, kind=Kind.IMPORT_CONFIRM, title="x", params=job.params,
                               state=State.RUNNING, attempts=1)
    assert imports.import_confirm(again, services.Progress(again)).url == reverse("data_exchange:preview",
                                                                                   args=[pending.pk])
    assert Assessment.objects.count() == 24


def test_a_check_whose_file_is_gone_fails_with_a_clear_message(client, reviewer_user, rows, database_tasks):
    client.force_login(reviewer_user)
    check = job_of(upload(client, rows))
    PendingImport.objects.all().delete()  # forgotten before a worker came
    run_worker()
    body = status_of(client, check)
    assert body["state"] == "failed" and body["message"] == (
        "Không còn tệp đã tải lên (tệp chờ nhập chỉ được giữ một ngày); không có dữ liệu nào được ghi. "
        "Hãy tải tệp lên lại.")


def test_a_check_job_that_crashes_says_no_data_was_written(client, reviewer_user, rows, monkeypatch):
    monkeypatch.setattr("data_exchange.services.build_plan", lambda **kwargs: 1 / 0)
    client.force_login(reviewer_user)
    check = job_of(upload(client, rows))
    body = status_of(client, check)
    assert body["state"] == "failed" and body["message"].startswith(
        "Có lỗi khi xử lý tác vụ; không có dữ liệu nào được ghi.")
    page = client.get(reverse("jobs:detail", args=[check.pk])).content.decode()
    assert "Thử lại" in page
    pending = PendingImport.objects.get()
    # The preview of a file whose check failed is that job's page, where it can be tried again.
    assert client.get(reverse("data_exchange:preview", args=[pending.pk]))["Location"] == reverse(
        "jobs:detail", args=[check.pk])
    monkeypatch.undo()
    client.post(reverse("jobs:retry", args=[check.pk]))
    assert "Sẽ tạo mới 24" in client.get(status_of(client, check)["result_url"]).content.decode()


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_import_transaction_is_seen_from_another_connection(settings, reviewer_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: a second connection cannot write while the import's transaction runs")
    settings.JOBS_PROGRESS_APART = True
    job = Job.objects.create(owner=reviewer_user, kind=Kind.IMPORT_CONFIRM, title="x", params={})
    claimed = services.job_claim(job_id=job.pk)
    progress = services.Progress(claimed)
    other = connections.create_connection("default")
    try:
        with transaction.atomic():
            progress.report(5, 10)
            with other.cursor() as cursor:  # what the web's status request sees meanwhile
                cursor.execute(f"SELECT done, total FROM {Job._meta.db_table} WHERE id = %s", [job.pk])
                assert cursor.fetchone() == (5, 10)
    finally:
        progress.close()
        other.close()
