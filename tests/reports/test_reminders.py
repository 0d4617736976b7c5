"""send_reminders: the right people, in Vietnamese, once per user, rule and day; nothing when run twice.

Every run names its day (--as-of); year 2026, commune deadline 30/11, district deadline 15/12.
"""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command, execute_from_command_line

from accounts.models import User
from assessments.models import ProgrammeYear
from notifications.models import Kind, Notification, ReminderLog
from reports.reminders import deliver, plan_reminders, rule_on
from tests import factories
from tests.reports.completeness_fixtures import at, merged_unit, walk

pytestmark = pytest.mark.django_db
D = datetime.date
Y = 2026


def run(day, *extra):
    out, err = StringIO(), StringIO()
    call_command("send_reminders", "--as-of", day.isoformat(), *extra, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


@pytest.fixture
def world(criteria_set):
    A = factories.DistrictFactory(name="Huyện A")
    B = factories.DistrictFactory(name="Huyện B")
    w = {"A": A, "B": B}
    for key in ("a1", "a2", "a3", "a4"):
        w[key] = factories.UnitFactory(district=A, name=f"Xã {key.upper()}")
    w["b1"] = factories.UnitFactory(district=B, name="Xã B1")
    w["reviewer"] = factories.reviewer(A, username="thamdinh_a", email="thamdinh.a@example.vn")
    w["reviewer_b"] = factories.reviewer(B, username="thamdinh_b", email="thamdinh.b@example.vn")
    w["viewer"] = factories.province_viewer(username="tinh", email="tinh@example.vn")
    w["o1"] = factories.officer(w["a1"], username="xa_a1")  # no e-mail address
    w["o2"] = factories.officer(w["a2"], username="xa_a2", email="xa.a2@example.vn")
    w["o2_off"] = factories.officer(w["a2"], username="xa_a2_tat", email="tat@example.vn", reminders_enabled=False)
    w["o3"] = factories.officer(w["a3"], username="xa_a3", email="xa.a3@example.vn")
    w["o4"] = factories.officer(w["a4"], username="xa_a4", email="xa.a4@example.vn")
    w["ob1"] = factories.officer(w["b1"], username="xa_b1", email="xa.b1@example.vn")
    # a1: nothing. a2: a draft. a3: submitted on 20/11. a4: returned on 20/11. b1: verified on 10/11.
    walk(w["a2"], ("start", at(D(Y, 11, 2))), officer=w["o2"], reviewer=w["reviewer"])
    walk(w["a3"], ("start", at(D(Y, 11, 2))), ("submit", at(D(Y, 11, 20))), officer=w["o3"], reviewer=w["reviewer"])
    walk(w["a4"], ("start", at(D(Y, 11, 2))), ("submit", at(D(Y, 11, 10))), ("return", at(D(Y, 11, 20))),
         officer=w["o4"], reviewer=w["reviewer"])
    walk(w["b1"], ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 5))), ("verify", at(D(Y, 11, 10))),
         officer=w["ob1"], reviewer=w["reviewer_b"])
    Notification.objects.all().delete()  # the return above told a4's officer; start from a clean list
    mail.outbox.clear()
    return w


COMMUNE_7 = "[Cổng tiêu chí] Còn 7 ngày đến hạn gửi tự đánh giá năm 2026"


@pytest.mark.parametrize("day,rule", [
    (D(Y, 11, 22), None), (D(Y, 11, 23), "before_7"), (D(Y, 11, 24), None), (D(Y, 11, 27), "before_3"),
    (D(Y, 11, 29), "before_1"), (D(Y, 11, 30), None), (D(Y, 12, 1), "late"), (D(Y, 12, 2), "late"),
    (D(Y, 12, 3), "late"), (D(Y, 12, 4), None), (D(Y, 12, 9), None), (D(Y, 12, 10), "late"),
    (D(Y, 12, 17), "late"), (D(Y, 12, 18), None), (D(Y + 1, 1, 21), "late"), (D(Y + 1, 1, 28), None),
])
def test_rule_rhythm_around_a_deadline(day, rule):
    # 7, 3, 1 days before; each of the first 3 days late; then weekly (10th, 17th … day) up to 8 weeks.
    assert rule_on(D(Y, 11, 30), day) == rule


def test_officers_are_reminded_seven_days_before(world):
    lines, summary = run(D(Y, 11, 23))
    assert lines == [
        "not reachable: xa_a1 (chưa có địa chỉ e-mail)",
        f"to xa.a2@example.vn: {COMMUNE_7}",
        f"to xa.a4@example.vn: {COMMUNE_7}",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["xa.a2@example.vn", "xa.a4@example.vn"]
    message = next(m for m in mail.outbox if m.to == ["xa.a4@example.vn"])
    assert message.subject == COMMUNE_7
    assert "Kính gửi" in message.body and "Xã A4" in message.body and "Bị trả lại" in message.body
    assert "30/11/2026" in message.body and "http://portal.test/assessments/" in message.body
    assert "http://portal.test/accounts/me/" in message.body
    assert "gửi lại" in message.body  # a4 was returned: fix and send again
    assert "gửi lại" not in next(m for m in mail.outbox if m.to == ["xa.a2@example.vn"]).body
    # Who is not reminded: the submitted a3, the officer who turned reminders off, reviewers, the province.
    assert not {"xa.a3@example.vn", "tat@example.vn", "thamdinh.a@example.vn", "tinh@example.vn"} & {
        m.to[0] for m in mail.outbox}
    assert "1 người đã tắt nhắc hạn" in summary
    # Everyone reminded also finds it in the portal, the one without an address included.
    notes = Notification.objects.filter(kind=Kind.REMINDER)
    assert {n.user.username for n in notes} == {"xa_a1", "xa_a2", "xa_a4"}
    assert notes.first().text == COMMUNE_7.removeprefix("[Cổng tiêu chí] ")
    assert set(ReminderLog.objects.values_list("rule", flat=True)) == {"commune_before_7"}


def test_running_twice_sends_nothing_more(world):
    run(D(Y, 11, 23))
    sent, notes = len(mail.outbox), Notification.objects.count()
    lines, summary = run(D(Y, 11, 23))
    assert lines == [] and len(mail.outbox) == sent == 2 and Notification.objects.count() == notes
    assert "3 đã gửi trước đó" in summary
    # The next rule is a new day's business.
    run(D(Y, 11, 27))
    assert len(mail.outbox) == 4 and mail.outbox[-1].subject.startswith("[Cổng tiêu chí] Còn 3 ngày")


def test_dry_run_says_the_same_and_writes_nothing(world):
    dry, summary = run(D(Y, 11, 23), "--dry-run")
    assert mail.outbox == [] and not ReminderLog.objects.exists() and not Notification.objects.exists()
    assert "Chạy thử" in summary
    real, _summary = run(D(Y, 11, 23))
    assert dry == real


def test_a_claim_taken_by_another_run_is_not_sent_again(world):
    reminder = next(r for r in plan_reminders(D(Y, 11, 23)) if r.user == world["o2"])
    # Another run claimed it between our plan and our send (what the unique constraint settles).
    ReminderLog.objects.create(user=world["o2"], rule=reminder.rule, day=reminder.day, subject="x")
    assert not deliver(reminder)
    assert mail.outbox == [] and not Notification.objects.exists()
    assert ReminderLog.objects.count() == 1


def test_a_failed_send_leaves_no_trace_and_is_retried(world, monkeypatch):
    def broken(self, messages):
        raise OSError("máy chủ thư không trả lời")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with pytest.raises(CommandError, match="không gửi được"):
        run(D(Y, 11, 23))
    assert set(ReminderLog.objects.values_list("user__username", flat=True)) == {"xa_a1"}  # portal only
    monkeypatch.undo()
    lines, _summary = run(D(Y, 11, 23))
    assert [line.split(":")[0] for line in lines] == ["to xa.a2@example.vn", "to xa.a4@example.vn"]


def test_an_unusable_stored_address_is_reported_and_the_others_still_get_theirs(world):
    # Saved before addresses were checked strictly: the mailer cannot encode it (it used to fail the whole run).
    User.objects.filter(pk=world["o2"].pk).update(email='"a\x01b"@example.vn')
    lines, summary = run(D(Y, 11, 23))  # no CommandError: the command exits 0
    assert lines[0] == "not reachable: xa_a1 (chưa có địa chỉ e-mail)"
    assert lines[1].startswith("not reachable: xa_a2 (địa chỉ e-mail không dùng được: ")
    assert lines[2:] == [f"to xa.a4@example.vn: {COMMUNE_7}"]
    assert [m.to for m in mail.outbox] == [["xa.a4@example.vn"]]
    assert Notification.objects.filter(user=world["o2"], kind=Kind.REMINDER, text=COMMUNE_7.removeprefix(
        "[Cổng tiêu chí] ")).exists()
    assert ReminderLog.objects.get(user=world["o2"]).email == ""
    assert "1 thư, 2 chỉ thông báo trong cổng" in summary
    assert run(D(Y, 11, 23))[0] == []  # done for the day: not retried, not reported again


def test_an_address_the_mail_server_refuses_does_not_fail_the_run(world, monkeypatch):
    real = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == ["xa.a2@example.vn"]:
            raise smtplib.SMTPRecipientsRefused({"xa.a2@example.vn": (550, b"5.1.1 User unknown")})
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    lines, summary = run(D(Y, 11, 23))  # exits 0
    assert ("not reachable: xa_a2 (máy chủ thư từ chối địa chỉ xa.a2@example.vn: 550 5.1.1 User unknown)"
            in lines)
    assert f"to xa.a4@example.vn: {COMMUNE_7}" in lines
    assert [m.to for m in mail.outbox] == [["xa.a4@example.vn"]]
    assert Notification.objects.filter(user=world["o2"], kind=Kind.REMINDER).exists()
    assert ReminderLog.objects.get(user=world["o2"]).email == ""


def exit_status(*args) -> int:
    """Run the command as cron does (manage.py's argument parsing and exit status), in this process."""
    from django.core.management import base

    # run_from_argv closes every database connection when done; the test's own is needed afterwards.
    close_all, base.connections.close_all = base.connections.close_all, lambda: None
    try:
        execute_from_command_line(["manage.py", "send_reminders", *args])
    except SystemExit as exc:
        return exc.code
    finally:
        base.connections.close_all = close_all
    return 0


def test_the_exit_status_is_zero_for_an_unreachable_user_and_not_for_a_dead_server(world, monkeypatch, capsys):
    User.objects.filter(pk=world["o2"].pk).update(email='"a\x01b"@example.vn')
    assert exit_status("--as-of", "2026-11-23") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("not reachable: xa_a2 (") and out[2] == f"to xa.a4@example.vn: {COMMUNE_7}"
    ReminderLog.objects.all().delete()

    def dead(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", dead)
    assert exit_status("--as-of", "2026-11-23") == 1
    assert "failed: xa.a4@example.vn" in capsys.readouterr().err


def test_a_pending_new_address_gets_nothing_until_confirmed(world):
    User.objects.filter(pk=world["o2"].pk).update(pending_email="moi@example.vn")
    lines, _summary = run(D(Y, 11, 23))
    assert f"to xa.a2@example.vn: {COMMUNE_7}" in lines
    assert "moi@example.vn" not in {m.to[0] for m in mail.outbox}


def test_late_reminders_follow_the_rhythm(world):
    subjects = {}
    for day in (D(Y, 11, 30), D(Y, 12, 1), D(Y, 12, 2), D(Y, 12, 3), D(Y, 12, 4), D(Y, 12, 10)):
        before = len(mail.outbox)
        run(day)
        subjects[day] = [m.subject for m in mail.outbox[before:] if m.to == ["xa.a2@example.vn"]]
    assert subjects[D(Y, 11, 30)] == [] and subjects[D(Y, 12, 4)] == []
    assert subjects[D(Y, 12, 1)] == ["[Cổng tiêu chí] Tự đánh giá năm 2026 đã quá hạn gửi 1 ngày"]
    assert subjects[D(Y, 12, 3)] == ["[Cổng tiêu chí] Tự đánh giá năm 2026 đã quá hạn gửi 3 ngày"]
    assert subjects[D(Y, 12, 10)] == ["[Cổng tiêu chí] Tự đánh giá năm 2026 đã quá hạn gửi 10 ngày"]


def test_reviewers_are_reminded_of_what_waits_in_their_scope(world):
    lines, _summary = run(D(Y, 12, 8))  # 7 days before 15/12; the officers' 8th day late is a quiet day
    assert lines == ["to thamdinh.a@example.vn: [Cổng tiêu chí] Còn 7 ngày đến hạn thẩm định năm 2026: "
                     "1 đánh giá đang chờ"]
    body = mail.outbox[0].body
    assert "Xã A3" in body and "20/11/2026" in body and "15/12/2026" in body
    assert "http://portal.test/assessments/review/" in body
    lines, _summary = run(D(Y, 12, 16))
    assert "to thamdinh.a@example.vn: [Cổng tiêu chí] Đã quá hạn thẩm định năm 2026 1 ngày: 1 đánh giá đang chờ" \
        in lines
    assert not any("thamdinh.b" in line or "tinh@" in line for line in lines)


def test_a_province_reviewer_is_reminded_for_units_without_a_district(criteria_set):
    _old, new = merged_unit(criteria_set)
    reviewer = factories.province_reviewer(new.province, username="thamdinh_25", email="td25@example.vn")
    walk(new, ("start", at(D(Y, 11, 1))), ("submit", at(D(Y, 11, 20))), reviewer=reviewer)
    lines, _summary = run(D(Y, 12, 14))
    assert lines == ["to td25@example.vn: [Cổng tiêu chí] Còn 1 ngày đến hạn thẩm định năm 2026: 1 đánh giá đang chờ"]


def test_an_officer_of_a_unit_in_two_programmes_gets_one_message(world):
    ward = factories.ProgrammeFactory(code="nq12_ward", name="Phường điển hình", unit_kinds=["xa"])
    factories.CriteriaSetFactory(programme=ward)
    lines, _summary = run(D(Y, 11, 23))
    assert lines.count(f"to xa.a2@example.vn: {COMMUNE_7}") == 1
    body = next(m.body for m in mail.outbox if m.to == ["xa.a2@example.vn"])
    assert "Phường điển hình" in body and "Xã, thị trấn điển hình" in body
    assert "Đang soạn" in body and "Chưa bắt đầu" in body


def test_a_year_calendar_moves_the_reminders(world, criteria_set):
    ProgrammeYear.objects.create(programme=criteria_set.programme, year=Y, window_start=D(Y - 1, 11, 16),
                                 window_end=D(Y, 11, 15), commune_deadline=D(Y, 12, 7),
                                 district_deadline=D(Y, 12, 21))
    assert run(D(Y, 11, 23))[0] == []
    lines, _summary = run(D(Y, 11, 30))
    assert f"to xa.a2@example.vn: {COMMUNE_7}" in lines


def test_a_bad_day_is_refused():
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("send_reminders", "--as-of", "30-11-2026", stdout=StringIO(), stderr=StringIO())
