"""Recall: the officer takes back a submission that no reviewer has opened yet (submitted → draft)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from operations.logs import event

from ..models import Assessment, Status
from .common import DomainError, lock, move, save


def review_opened(assessment: Assessment) -> bool:
    """A reviewer has opened the current submission (an earlier submission's opening does not count)."""
    opened, submitted = assessment.review_opened_at, assessment.submitted_at
    return opened is not None and (submitted is None or opened >= submitted)


def can_recall(assessment: Assessment) -> bool:
    return assessment.status == Status.SUBMITTED and not review_opened(assessment)


def assessment_mark_review_opened(*, assessment: Assessment, actor) -> None:
    """Record the first time a reviewer opens the review page of a submitted assessment.

    Not a change of the assessment (no version bump, no history entry): it only closes the recall.
    """
    if not permissions.has_capability(actor, "assessment.review") or assessment.status != Status.SUBMITTED:
        return
    if review_opened(assessment):
        return
    now = timezone.now()
    Assessment.objects.filter(pk=assessment.pk, status=Status.SUBMITTED).update(review_opened_at=now)
    assessment.review_opened_at = now


@transaction.atomic
def assessment_recall(*, assessment: Assessment, actor, reason: str, version: int | None) -> Assessment:
    permissions.require(actor, "assessment.edit")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi lý do rút lại."))
    assessment = lock(assessment, version, actor)
    if assessment.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ rút lại được đánh giá đã gửi lên."))
    if review_opened(assessment):
        raise DomainError(
            _("Cấp trên đã mở xem đánh giá này lúc %(at)s nên không thể rút lại. Hãy liên hệ cán bộ thẩm định "
              "để được trả lại.")
            % {"at": timezone.localtime(assessment.review_opened_at).strftime("%H:%M %d/%m/%Y")}
        )
    move(assessment, to=Status.DRAFT, actor=actor, reason=reason)
    assessment.submitted_at = None
    save(assessment, actor=actor, reason=reason)
    event("workflow.recall", assessment=assessment.pk, unit=assessment.unit_id, year=assessment.year, actor=actor.pk)
    return assessment
