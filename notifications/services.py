"""Writes of notifications. The assessment workflow calls the two `notify_*` functions (in its
transaction), the reminders call `notification_create`; pages only mark them read.

This module depends on accounts only: it receives the assessment and reads its attributes.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User

from .models import Kind, Notification


def notification_create(*, user: User, kind: str, text: str, link: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, text=text, link=link)


def _officers(unit_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.COMMUNE_OFFICER, unit_id=unit_id, is_active=True))


def _short(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notify_assessment_returned(*, assessment, actor) -> list[Notification]:
    """The unit's officers learn that their assessment came back, and why."""
    link = reverse("assessments:assessment_detail", args=[assessment.pk])
    with translation.override("vi"):  # stored text, read by Vietnamese officers
        text = _("Đánh giá năm %(year)s của %(unit)s đã bị trả lại. Lý do: %(reason)s") % {
            "year": assessment.year, "unit": assessment.unit, "reason": _short(assessment.return_reason)}
    return [notification_create(user=u, kind=Kind.RETURNED, text=text, link=link) for u in _officers(assessment.unit_id)]


def notify_assessment_verified(*, assessment, actor) -> list[Notification]:
    """The unit's officers learn that their assessment was verified, with the count met."""
    link = reverse("assessments:assessment_detail", args=[assessment.pk])
    with translation.override("vi"):
        text = _("Đánh giá năm %(year)s của %(unit)s đã được thẩm định: đạt %(met)s tiêu chí.") % {
            "year": assessment.year, "unit": assessment.unit, "met": assessment.verified_met_count}
    return [notification_create(user=u, kind=Kind.VERIFIED, text=text, link=link) for u in _officers(assessment.unit_id)]


def notifications_mark_read(*, user: User) -> int:
    """Everything in the user's list is read once they have opened it."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
