"""Recall: the officer takes back a submission that no reviewer has opened yet (submitted → draft)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions

from ..models import Assessment, Status
from .common import DomainError
from .transitions import RECALL, assessment_transition, can_recall, review_opened

__all__ = ["assessment_recall", "assessment_review_start", "can_recall", "review_opened"]


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
    return assessment_transition(assessment=assessment, actor=actor, action=RECALL, reason=reason, version=version)
