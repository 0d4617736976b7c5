"""Recall: the officer takes back a submission that no reviewer has opened yet (submitted → draft)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from operations.logs import event

from .. import facts
from ..models import Assessment, Status
from .common import DomainError, lock, move, save


def review_opened(assessment: Assessment) -> bool:
    """A reviewer has opened the current submission (an earlier submission's opening does not count)."""
    opened, submitted = assessment.review_opened_at, assessment.submitted_at
    return opened is not None and (submitted is None or opened >= submitted)


def can_recall(assessment: Assessment) -> bool:
    return assessment.status == Status.SUBMITTED and not review_opened(assessment)


@transaction.atomic
def assessment_review_start(*, assessment: Assessment, actor) -> Assessment:
    """The reviewer presses "Bắt đầu thẩm định" (a POST; opening the page changes nothing): from now on the
    officer can no longer take the submission back. Not a change of the assessment (no version bump, no
    history entry). Starting a review already started changes nothing (a double click)."""
    permissions.require(actor, "assessment.review")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Status.SUBMITTED:
        raise DomainError(_("Chỉ thẩm định được đánh giá đã gửi lên."))
    if not review_opened(assessment):
        assessment.review_opened_at = timezone.now()
        Assessment.objects.filter(pk=assessment.pk).update(review_opened_at=assessment.review_opened_at)
    return assessment


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
    facts.assessment_changed(assessment)
    event("workflow.recall", assessment=assessment.pk, unit=assessment.unit_id, year=assessment.year, actor=actor.pk)
    return assessment
