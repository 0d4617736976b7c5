"""Operational logs: one line per event for sign-ins, imports, exports, workflow steps, reminders and errors,
each with the request id; JSON with LOG_FORMAT=json."""

import datetime
import io
import json
import logging

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from assessments import services
from operations.logs import event, json_formatter
from operations.request_id import HEADER, RequestIdFilter
from tests import factories
from tests.assessments.conftest import all_values
from tests.data_exchange.conftest import assessment_row, csv_bytes
from tests.imports import result_of

EVENTS = "portal"


@pytest.fixture
def events(caplog):
    """The portal's events as {name: [record, …]}, with the request id the console handler adds."""
    caplog.set_level(logging.INFO, logger=EVENTS)
    caplog.handler.addFilter(RequestIdFilter())

    def read() -> dict:
        found: dict = {}
        for record in caplog.records:
            if hasattr(record, "event"):
                found.setdefault(record.event, []).append(record)
        return found

    yield read
    caplog.handler.filters.clear()


def test_sign_in_success_failure_and_lockout(client, db, events, settings):
    user = factories.UserFactory(username="can_bo", role="admin")
    user.set_password("đúng-mật-khẩu")
    user.save()
    login = reverse("accounts:login")
    client.post(login, {"username": "can_bo", "password": "đúng-mật-khẩu"})
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": "can_bo", "password": "sai"})
    found = events()
    assert found["signin.success"][0].user == "can_bo" and found["signin.success"][0].address == "127.0.0.1"
    assert len(found["signin.failure"]) == settings.AXES_FAILURE_LIMIT
    assert found["signin.failure"][0].levelno == logging.WARNING
    assert found["signin.lockout"][0].user == "can_bo"
    assert all("sai" not in r.getMessage() and "đúng-mật-khẩu" not in r.getMessage()
               for records in found.values() for r in records)
    # Each line carries the id of the request it belongs to.
    assert len(found["signin.success"][0].request_id) == 32


def test_workflow_steps_each_write_one_line(criteria_set, unit, officer_user, reviewer_user, admin_user, events):
    draft = services.assessment_get_or_create(unit=unit, year=2025, actor=officer_user)
    a = services.assessment_save_self(assessment=draft, actor=officer_user, version=draft.version,
                                      values=all_values(draft))
    a = services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
    a = services.assessment_recall(assessment=a, actor=officer_user, reason="thiếu", version=a.version)
    a = services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
    a = services.assessment_return(assessment=a, actor=reviewer_user, reason="bổ sung", version=a.version)
    a = services.assessment_submit(assessment=a, actor=officer_user, version=a.version)
    a = services.assessment_verify(assessment=a, actor=reviewer_user, version=a.version)
    services.assessment_reopen(assessment=a, actor=admin_user, reason="sai số", version=a.version)
    found = events()
    assert {name: len(records) for name, records in found.items() if name.startswith("workflow.")} == {
        "workflow.submit": 3, "workflow.recall": 1, "workflow.return": 1, "workflow.verify": 1,
        "workflow.reopen": 1}
    verify = found["workflow.verify"][0]
    assert (verify.assessment, verify.unit, verify.year, verify.actor) == (a.pk, unit.pk, 2025, reviewer_user.pk)
    assert verify.getMessage() == f"workflow.verify assessment={a.pk} unit={unit.pk} year=2025 actor={reviewer_user.pk}"


def test_an_import_logs_its_start_refusal_and_result(client, criteria_set, reviewer_user, unit, other_unit, events):
    client.force_login(reviewer_user)

    def upload(row):
        data = io.BytesIO(csv_bytes([row]))
        data.name = "danh-gia.csv"
        return client.post(reverse("data_exchange:import"), {"upload-kind": "assessments", "upload-file": data})

    upload(assessment_row(other_unit, 2024))  # outside the reviewer's scope: refused
    response = upload(assessment_row(unit, 2024, met=14))
    client.post(result_of(client, response).replace("/preview/", "/confirm/"))
    found = events()
    assert len(found["import.started"]) == 2 and found["import.started"][0].file_name == "danh-gia.csv"
    assert found["import.rejected"][0].problems == 1
    assert found["import.checked"][0].rows_created == 1
    assert (found["import.done"][0].rows_created, found["import.done"][0].kind) == (1, "assessments")


def test_an_export_logs_its_job(client, reviewer_user, unit, events):
    factories.RegistrationFactory(unit=unit, year=2023)
    client.force_login(reviewer_user)
    client.post(reverse("data_exchange:export"), {"export-kind": "registrations", "export-format": "xlsx",
                                                  "export-year": ""})
    found = events()
    done = found["job.done"][0]
    assert [name for name in found if name.startswith("job.")] == ["job.queued", "job.started", "job.done"]
    assert (done.kind, done.count, done.unit) == ("data_export", 1, "rows") and done.bytes > 0 and done.seconds >= 0
    # The worker's lines carry the request id of the POST that started the job.
    assert done.request_id == found["job.queued"][0].request_id != "-"


def test_reminders_log_sent_not_reachable_and_failed(db, events, monkeypatch):
    from reports.reminders import send_reminders

    officers = [factories.officer(factories.UnitFactory(district=factories.DistrictFactory())) for _ in range(3)]
    for officer, email in zip(officers, ("a@example.vn", "", "c@example.vn"), strict=True):
        officer.email = email
        officer.save()
    from reports import reminders as module

    day = datetime.date(2026, 11, 23)

    def plan(on):
        return [module.Reminder(officer, module.COMMUNE, "commune_before_7", on) for officer in officers]

    monkeypatch.setattr(module, "plan_reminders", plan)
    monkeypatch.setattr(module.Reminder, "text", property(lambda self: "Còn 7 ngày"))
    monkeypatch.setattr(module.Reminder, "body", lambda self: "Nội dung")
    sent = []

    def flaky(self, messages):
        if messages[0].to == [officers[2].email]:
            raise OSError("máy chủ thư không trả lời")
        sent.extend(messages)
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    outcome = send_reminders(day=day)
    found = events()
    assert [r.user_id for r in found["reminder.sent"]] == [officers[0].pk]
    assert found["reminder.not_reachable"][0].user == officers[1].username
    failed = found["reminder.failed"][0]
    assert failed.levelno == logging.ERROR and "không trả lời" in failed.error
    assert len(outcome.errors) == 1 and len(sent) == 1 and mail.outbox == []


@pytest.mark.urls("tests.operations.boom_urls")
def test_a_500_is_logged_with_its_traceback_and_request_id(client, db, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    caplog.handler.addFilter(RequestIdFilter())
    client.raise_request_exception = False
    response = client.get("/boom/", headers={HEADER: "lb-7f3a9c21"})
    assert response.status_code == 500 and response[HEADER] == "lb-7f3a9c21"
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info and "boom for the log test" in str(record.exc_info[1])
    assert record.request_id == "lb-7f3a9c21"
    caplog.handler.filters.clear()


@pytest.mark.parametrize("incoming, kept", [
    ("lb-7f3a9c21", True), ("a" * 64, True), ("short", False), ("x" * 65, False),
    ("bad id\nInjected: 1", False), ("<script>", False),
])
def test_a_sane_incoming_request_id_is_kept_and_any_other_replaced(client, db, incoming, kept):
    response = client.get("/health/live/", headers={HEADER: incoming})
    assert (response[HEADER] == incoming) is kept
    assert len(response[HEADER]) in (len(incoming), 32) and "\n" not in response[HEADER]


def test_json_logs_are_one_object_per_line_with_the_fields(db):
    logger = logging.getLogger("portal.test_json")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        event("test_json.done", rows=1200, file_name="đánh giá.csv")
        try:
            raise ValueError("hỏng")
        except ValueError:
            event("test_json.failed", level=logging.ERROR, exc_info=True, job=7)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    done, failed = (json.loads(line) for line in lines)
    assert done["event"] == "test_json.done" and done["rows"] == 1200 and done["file_name"] == "đánh giá.csv"
    assert {"time", "level", "logger", "message", "request_id"} <= set(done)
    assert done["level"] == "INFO" and done["logger"] == "portal.test_json" and done["request_id"] == "-"
    assert failed["level"] == "ERROR" and "ValueError: hỏng" in failed["exc_info"]
