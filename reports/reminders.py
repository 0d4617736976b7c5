"""Deadline reminders, sent by `send_reminders` (a daily cron job): who is reminded of what, and when.

They live beside the deadlines and the completeness they read (`reports.completeness`); what they leave in
the portal is a notification (`notifications.services.notification_create`), so notifications depends on
accounts alone.

The rules, read against each programme's calendar (`assessments.programmes.calendar_for`) for the
years around the day (a deadline of year Y may be reminded in January of Y+1):

* ``commune_before_7`` / ``_3`` / ``_1`` — the officers of each unit whose assessment of the year
  (in each programme the unit is in) is not with the district — not started, draft or returned —
  7, 3 and 1 days before the commune deadline;
* ``commune_late`` — the same officers after that deadline: on each of the first 3 days, then once a
  week (the 10th, 17th, … day late) up to 8 weeks late; after that the completeness page is the
  follow-up;
* ``district_before_7`` / ``_3`` / ``_1`` and ``district_late`` — the reviewers with submitted
  assessments waiting in their scope (accounts.permissions), on the same rhythm around the
  district deadline.

A user gets at most one message per rule and day, listing everything the rule found for them
(an officer of a unit in two programmes gets one e-mail). ReminderLog's unique (user, rule, day)
row is claimed in the same transaction that sends, so a second run, even a concurrent one,
sends nothing twice; a failed send leaves no row and is retried by the next run. Users who
turned reminders off get nothing; users without an e-mail address get the notice in the portal
only and are reported as not reachable — so are users whose address the mailer cannot use or the mail
server refuses, without failing the run. Every reminder sent is also a notification in the portal.
"""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import permissions
from accounts.email_addresses import refusal_reason
from accounts.models import Role, User
from assessments.models import Programme
from assessments.programmes import Calendar, calendar_for, programme_list
from notifications.models import Kind, ReminderLog
from notifications.services import notification_create
from operations.logs import event

from .completeness import RETURNED, WAITING, UnitState, completeness_load

BEFORE_DAYS = (7, 3, 1)
LATE_DAILY = 3  # the first days after a deadline, one reminder each
LATE_WEEKS = 8  # then one a week, up to this many weeks after the deadline
COMMUNE, DISTRICT = "commune", "district"
SUBJECT_PREFIX = "[Cổng tiêu chí] "


def rule_on(deadline: datetime.date, day: datetime.date) -> str | None:
    """The rule a deadline triggers on `day` ("before_7", "late", …), or None."""
    left = (deadline - day).days
    if left in BEFORE_DAYS:
        return f"before_{left}"
    late = -left
    if 1 <= late <= LATE_DAILY:
        return "late"
    if LATE_DAILY < late <= 7 * LATE_WEEKS and (late - LATE_DAILY) % 7 == 0:
        return "late"
    return None


@dataclass
class Item:
    programme: Programme
    year: int
    calendar: Calendar
    state: UnitState  # the unit and its state of the year on the day


@dataclass
class Reminder:
    """One message to one user for one rule on one day."""

    user: User
    level: str  # COMMUNE or DISTRICT
    rule: str  # e.g. "commune_before_7", "district_late"
    day: datetime.date
    items: list[Item] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return self.rule.endswith("_late")

    def deadline(self, item: Item) -> datetime.date:
        return item.calendar.commune_deadline if self.level == COMMUNE else item.calendar.district_deadline

    @property
    def days(self) -> int:
        """Days left before the deadline, or days late (the latest one when several)."""
        gaps = [abs((self.deadline(i) - self.day).days) for i in self.items]
        return max(gaps) if self.late else min(gaps)

    @property
    def has_returned(self) -> bool:
        return any(i.state.state == RETURNED for i in self.items)

    @property
    def years(self) -> str:
        return ", ".join(str(y) for y in sorted({i.year for i in self.items}))

    @property
    def text(self) -> str:
        """The subject without its prefix: also the notification in the portal."""
        n, days, years = len(self.items), self.days, self.years
        if self.level == COMMUNE and self.late:
            return ngettext("Tự đánh giá năm %(years)s đã quá hạn gửi %(days)s ngày",
                            "Tự đánh giá năm %(years)s đã quá hạn gửi %(days)s ngày", days) % {
                "years": years, "days": days}
        if self.level == COMMUNE:
            return ngettext("Còn %(days)s ngày đến hạn gửi tự đánh giá năm %(years)s",
                            "Còn %(days)s ngày đến hạn gửi tự đánh giá năm %(years)s", days) % {
                "years": years, "days": days}
        if self.late:
            return ngettext("Đã quá hạn thẩm định năm %(years)s %(days)s ngày: %(n)s đánh giá đang chờ",
                            "Đã quá hạn thẩm định năm %(years)s %(days)s ngày: %(n)s đánh giá đang chờ", n) % {
                "years": years, "days": days, "n": n}
        return ngettext("Còn %(days)s ngày đến hạn thẩm định năm %(years)s: %(n)s đánh giá đang chờ",
                        "Còn %(days)s ngày đến hạn thẩm định năm %(years)s: %(n)s đánh giá đang chờ", n) % {
            "years": years, "days": days, "n": n}

    @property
    def subject(self) -> str:
        return SUBJECT_PREFIX + self.text

    @property
    def link(self) -> str:
        return reverse("assessments:officer_home" if self.level == COMMUNE else "assessments:reviewer_inbox")

    def body(self) -> str:
        return render_to_string(f"emails/reminder_{self.level}.txt", {
            "reminder": self,
            "user": self.user,
            "items": self.items,
            "link": settings.PORTAL_URL + self.link,
            "account_link": settings.PORTAL_URL + reverse("accounts:account"),
        })


def plan_reminders(day: datetime.date) -> list[Reminder]:
    """Every reminder due on `day`, whoever will or will not receive it (see `send_reminders`)."""
    found: dict[tuple[int, str], Reminder] = {}

    def add(user: User, level: str, rule: str, item: Item) -> None:
        key = (user.id, f"{level}_{rule}")
        if key not in found:
            found[key] = Reminder(user, level, key[1], day)
        found[key].items.append(item)

    reviewers = None
    for programme in programme_list():
        for year in (day.year - 1, day.year, day.year + 1):
            if not programme.covers_year(year):
                continue
            calendar = calendar_for(programme, year)
            commune_rule = rule_on(calendar.commune_deadline, day)
            district_rule = rule_on(calendar.district_deadline, day)
            if not (commune_rule or district_rule):
                continue
            units = completeness_load(programme=programme, year=year, as_of=day).units
            if commune_rule:
                missing = {u.unit.id: u for u in units if u.missing}
                officers = User.objects.filter(role=Role.COMMUNE_OFFICER, is_active=True, unit_id__in=list(missing))
                for officer in officers.order_by("username"):
                    add(officer, COMMUNE, commune_rule, Item(programme, year, calendar, missing[officer.unit_id]))
            waiting = {u.unit.id: u for u in units if u.state in WAITING} if district_rule else {}
            if waiting:
                if reviewers is None:
                    reviewers = list(User.objects.filter(role=Role.DISTRICT_REVIEWER, is_active=True)
                                     .order_by("username"))
                for reviewer in reviewers:
                    # Whose units these are is the scoping module's decision, as everywhere.
                    visible = set(permissions.unit_list(user=reviewer).filter(id__in=list(waiting))
                                  .values_list("id", flat=True))
                    for unit_id in sorted(visible, key=lambda i: (waiting[i].unit.code, i)):
                        add(reviewer, DISTRICT, district_rule, Item(programme, year, calendar, waiting[unit_id]))
    return sorted(found.values(), key=lambda r: (r.level != COMMUNE, r.user.username, r.rule))


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)  # stdout: "to <email>: <subject>", "not reachable: …"
    errors: list[str] = field(default_factory=list)
    sent: int = 0
    queued: int = 0  # handed to the worker (database backend): sent, or retried by a later run
    portal_only: int = 0
    switched_off: int = 0
    already: int = 0


@dataclass
class Delivery:
    """What a delivery did. False when another run had already claimed (user, rule, day)."""

    claimed: bool
    refused: str = ""  # the mail server refused the address: only the notice in the portal was left

    def __bool__(self) -> bool:
        return self.claimed


# The mail server's (or the mailer's) refusal of one address, as opposed to a server that does not answer:
# the first is that user's problem and must not stop or fail the run, the second is retried by the next run.
ADDRESS_REFUSED = (smtplib.SMTPRecipientsRefused, ValueError)


def deliver(reminder: Reminder, *, connection=None, by_email: bool = True) -> Delivery:
    """Deliver one planned reminder now (see deliver_message)."""
    return deliver_message(connection=connection, by_email=by_email, **reminder_message(reminder))


def reminder_message(reminder: Reminder) -> dict:
    """What the task that sends a reminder needs, rendered now (plain JSON: it goes into the queue)."""
    return {"user_id": reminder.user.pk, "rule": reminder.rule, "day": reminder.day.isoformat(),
            "subject": reminder.subject[:255], "body": reminder.body(), "text": reminder.text,
            "link": reminder.link}


def deliver_message(*, user_id: int, rule: str, day: str, subject: str, body: str, text: str, link: str,
                    connection=None, by_email: bool = True) -> Delivery:
    """Claim (user, rule, day), send the e-mail (if the user has a usable address and `by_email`) and leave
    the notice in the portal, in one transaction. Not claimed when another run has already claimed it."""
    user = User.objects.get(pk=user_id)
    email = user.email if by_email else ""
    refused = ""
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(user=user, rule=rule, day=datetime.date.fromisoformat(day), email=email,
                                             subject=subject)
            if email:
                message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
                try:
                    (connection or mailers.default).send_messages([message])
                except ADDRESS_REFUSED as exc:
                    refused = _("máy chủ thư từ chối địa chỉ %(email)s: %(reason)s") % {
                        "email": email, "reason": _refusal_text(exc)}
                    log.email = ""
                    log.save(update_fields=["email"])
            notification_create(user=user, kind=Kind.REMINDER, text=text, link=link)
    except IntegrityError:
        return Delivery(claimed=False)
    return Delivery(claimed=True, refused=refused)


def _refusal_text(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}".strip()[:200]
    return str(exc)[:200]


def _send(reminder: Reminder, outcome: Outcome, not_reachable) -> None:
    """Hand one reminder to its task (reports/tasks.py): the worker sends it (the database backend),
    or it is sent right here (the immediate backend) and its outcome counted."""
    from .tasks import reminder_deliver

    user = reminder.user
    result = reminder_deliver.enqueue(**reminder_message(reminder))
    if not result.is_finished:
        outcome.lines.append(f"to {user.email}: {reminder.subject}")
        outcome.queued += 1
        return
    status = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else "failed: task error"
    if status == "sent":
        outcome.lines.append(f"to {user.email}: {reminder.subject}")
        outcome.sent += 1
    elif status == "already":
        outcome.already += 1
    elif status.startswith("refused: "):
        not_reachable(user, status.removeprefix("refused: "))
        outcome.portal_only += 1
    else:
        outcome.errors.append(f"failed: {user.email} ({status.removeprefix('failed: ')})")


def send_reminders(*, day: datetime.date, dry_run: bool = False) -> Outcome:
    """Send what is due on `day`, one task per message. With `dry_run`, say what would be sent and write nothing.

    A user without a usable address (none, one the mailer cannot send to, or one the mail server refuses) is
    reported as `not reachable: <username> (<why>)` and still gets the notice in the portal; that is not a
    failure of the run. A mail server that does not answer is (the next run retries)."""
    outcome = Outcome()
    with translation.override("vi"):
        reminders = plan_reminders(day)
        done = set(ReminderLog.objects.filter(day=day).values_list("user_id", "rule"))
        unreachable: set[int] = set()

        def not_reachable(user: User, why: str) -> None:
            if user.id not in unreachable:
                unreachable.add(user.id)
                outcome.lines.append(f"not reachable: {user.username} ({why})")
                event("reminder.not_reachable", user=user.username, day=day.isoformat(), reason=why)

        for reminder in reminders:
            user = reminder.user
            if (user.id, reminder.rule) in done:
                outcome.already += 1
                continue
            if not user.reminders_enabled:
                outcome.switched_off += 1
                continue
            why = _("chưa có địa chỉ e-mail") if not user.email else address_refusal(user.email)
            if why:
                not_reachable(user, why)
                if not dry_run:
                    deliver(reminder, by_email=False)
                outcome.portal_only += 1
                continue
            if dry_run:
                outcome.lines.append(f"to {user.email}: {reminder.subject}")
                outcome.sent += 1
                continue
            _send(reminder, outcome, not_reachable)
    return outcome


def address_refusal(email: str) -> str:
    """Why the mailer cannot send to a stored address (one saved before addresses were checked strictly)."""
    reason = refusal_reason(email)
    return _("địa chỉ e-mail không dùng được: %(reason)s") % {"reason": reason} if reason else ""
