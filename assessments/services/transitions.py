"""The workflow's transitions as one table, and the one function that applies a row of it.

draft → submitted → (returned → submitted)* → verified; recall (submitted → draft) while no reviewer has opened
the submission; reopen (verified → submitted) by an administrator. A (status, action) pair that is not in
`STEPS` is refused by `assessment_transition` with the action's message and changes nothing — the services
(`assessment_submit`, `assessment_return`, …) are its thin wrappers, so no page is the only guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import permissions
from notifications import services as notifications
from operations.logs import event

from .. import facts
from ..models import Assessment, Result, Status
from .common import DomainError, lock, move, refresh_met_counts, save

SUBMIT, RETURN, VERIFY, REOPEN, RECALL = "submit", "return", "verify", "reopen", "recall"


def review_opened(assessment: Assessment) -> bool:
    """A reviewer has opened the current submission (an earlier submission's opening does not count)."""
    opened, submitted = assessment.review_opened_at, assessment.submitted_at
    return opened is not None and (submitted is None or opened >= submitted)


def can_recall(assessment: Assessment) -> bool:
    return assessment.status in STEPS[RECALL].sources and not review_opened(assessment)


# A rule of its own, checked after the status (the row is locked): raise DomainError to refuse.

def _every_criterion_answered(assessment: Assessment) -> None:
    missing = list(
        assessment.results.filter(self_result=Result.NOT_YET).values_list("criterion__number", flat=True)
    )
    if missing:
        raise DomainError(
            _("Chưa đánh giá các tiêu chí: %(numbers)s. Cần đánh giá đủ tất cả tiêu chí trước khi gửi.")
            % {"numbers": ", ".join(str(n) for n in missing)}
        )


def _review_not_opened(assessment: Assessment) -> None:
    if review_opened(assessment):
        raise DomainError(
            _("Cấp trên đã mở xem đánh giá này lúc %(at)s nên không thể rút lại. Hãy liên hệ cán bộ thẩm định "
              "để được trả lại.")
            % {"at": timezone.localtime(assessment.review_opened_at).strftime("%H:%M %d/%m/%Y")}
        )


# What is recorded on the assessment besides its status (before the step is written).

def _record_submit(assessment: Assessment, actor, reason: str) -> None:
    assessment.submitted_at = timezone.now()


def _record_return(assessment: Assessment, actor, reason: str) -> None:
    assessment.return_reason = reason


def _record_verify(assessment: Assessment, actor, reason: str) -> None:
    # A criterion the reviewer did not touch is confirmed as the commune assessed it.
    for result in assessment.results.filter(verified_result=""):
        result.verified_result = Result.MET if result.self_result == Result.MET else Result.NOT_MET
        result._history_user = actor
        result.save()
    assessment.verified_at = timezone.now()
    assessment.verified_by = actor
    assessment.return_reason = ""


def _record_reopen(assessment: Assessment, actor, reason: str) -> None:
    assessment.verified_at = None
    assessment.verified_by = None


def _record_recall(assessment: Assessment, actor, reason: str) -> None:
    assessment.submitted_at = None


@dataclass(frozen=True)
class Step:
    """One action of the workflow: from which statuses, to which, who may, what is recorded, who is told."""

    sources: frozenset[str]
    target: str
    capability: str  # accounts.permissions; the unit's scope is checked on the locked row (common.lock)
    refused: Promise  # the status is not one of `sources`
    record: Callable[[Assessment, object, str], None]
    recount: bool = False  # the cached met counts change (the verified count is kept only when verified)
    reason_missing: Promise | None = None  # a written reason is required; this is the message without one
    history_reason: Promise | None = None  # kept by simple-history; None: the reason given
    check: Callable[[Assessment], None] | None = None
    notify: Callable[..., object] | None = None


STEPS: dict[str, Step] = {
    SUBMIT: Step(
        sources=frozenset({Status.DRAFT, Status.RETURNED}), target=Status.SUBMITTED, capability="assessment.edit",
        refused=gettext_lazy("Chỉ gửi được đánh giá đang soạn hoặc bị trả lại."),
        record=_record_submit, recount=True, history_reason=gettext_lazy("Gửi lên cấp trên"),
        check=_every_criterion_answered,
    ),
    RETURN: Step(
        sources=frozenset({Status.SUBMITTED}), target=Status.RETURNED, capability="assessment.review",
        refused=gettext_lazy("Chỉ trả lại được đánh giá đã gửi lên."),
        record=_record_return, reason_missing=gettext_lazy("Cần ghi lý do trả lại."),
        notify=notifications.notify_assessment_returned,
    ),
    VERIFY: Step(
        sources=frozenset({Status.SUBMITTED}), target=Status.VERIFIED, capability="assessment.review",
        refused=gettext_lazy("Chỉ xác nhận thẩm định được đánh giá đã gửi lên."),
        record=_record_verify, recount=True, history_reason=gettext_lazy("Xác nhận thẩm định"),
        notify=notifications.notify_assessment_verified,
    ),
    REOPEN: Step(
        sources=frozenset({Status.VERIFIED}), target=Status.SUBMITTED, capability="assessment.reopen",
        refused=gettext_lazy("Chỉ mở lại được đánh giá đã thẩm định."),
        record=_record_reopen, recount=True, reason_missing=gettext_lazy("Cần ghi lý do mở lại."),
    ),
    RECALL: Step(
        sources=frozenset({Status.SUBMITTED}), target=Status.DRAFT, capability="assessment.edit",
        refused=gettext_lazy("Chỉ rút lại được đánh giá đã gửi lên."),
        record=_record_recall, reason_missing=gettext_lazy("Cần ghi lý do rút lại."), check=_review_not_opened,
    ),
}


def assessment_transition(
    *, assessment: Assessment, actor, action: str, reason: str = "", version: int | None = None
) -> Assessment:
    """Apply STEPS[action] in the caller's transaction: the actor's role, the reason if one is required, the row
    locked (scope, version), the status, the step's own rule; then the status and what the step records, the
    history step, the figures (facts), the notification and the log line."""
    step = STEPS.get(action)
    if step is None:
        raise DomainError(_("Thao tác không hợp lệ."))
    permissions.require(actor, step.capability)
    reason = (reason or "").strip()
    if step.reason_missing is not None and not reason:
        raise DomainError(str(step.reason_missing))
    assessment = lock(assessment, version, actor)
    if assessment.status not in step.sources:
        raise DomainError(str(step.refused))
    if step.check is not None:
        step.check(assessment)
    step.record(assessment, actor, reason)
    move(assessment, to=step.target, actor=actor, reason=reason)
    if step.recount:
        refresh_met_counts(assessment)
    save(assessment, actor=actor, reason=str(step.history_reason) if step.history_reason is not None else reason)
    facts.assessment_changed(assessment)
    if step.notify is not None:
        step.notify(assessment=assessment, actor=actor)
    event(f"workflow.{action}", assessment=assessment.pk, unit=assessment.unit_id, year=assessment.year,
          actor=actor.pk)
    return assessment
