"""Evidence files of an assessment's criteria, and the officer's and reviewer's whole-form actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import permissions

from ..models import Assessment, CriterionResult, Evidence, Status
from .common import DomainError, require_unit_write
from .recall import assessment_review_start
from .uploads import upload_check
from .workflow import (
    assessment_return,
    assessment_save_review,
    assessment_save_self,
    assessment_submit,
    assessment_verify,
)


def _check_editable(assessment: Assessment, actor) -> None:
    permissions.require(actor, "assessment.edit")
    require_unit_write(actor, assessment.unit)
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        raise DomainError(
            _("Đánh giá ở trạng thái “%(status)s” không thể sửa.") % {"status": assessment.get_status_display()}
        )


@transaction.atomic
def evidence_add(*, result: CriterionResult, actor, upload) -> Evidence:
    """Attach one evidence file to a criterion result of an editable assessment."""
    assessment = Assessment.objects.select_for_update().select_related("unit").get(pk=result.assessment_id)
    _check_editable(assessment, actor)
    name, content_type = upload_check(upload)
    evidence = Evidence(
        result=result, original_name=name, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    evidence.file.save(name, upload, save=False)
    evidence._history_user = actor
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor) -> None:
    assessment = Assessment.objects.select_for_update().select_related("unit").get(pk=evidence.result.assessment_id)
    _check_editable(assessment, actor)
    storage, stored_name = evidence.file.storage, evidence.file.name
    evidence._history_user = actor
    evidence.delete()
    # The row is gone for good only when the transaction commits; then the file goes too.
    transaction.on_commit(lambda: storage.delete(stored_name))


@transaction.atomic
def assessment_self_update(
    *,
    assessment: Assessment,
    actor,
    version: int,
    values: Mapping[int, Mapping[str, str]],
    evidence: Mapping[int, Iterable] | None = None,
    submit: bool = False,
) -> Assessment:
    """The officer's form: save answers, attach files (criterion id → uploads) and optionally submit.

    All or nothing: a bad file or a failed submit leaves the assessment as it was.
    """
    assessment = assessment_save_self(assessment=assessment, actor=actor, version=version, values=values)
    results = {r.criterion_id: r for r in assessment.results.all()}
    for criterion_id, uploads in (evidence or {}).items():
        if criterion_id not in results:
            raise DomainError(_("Dữ liệu gửi lên có tiêu chí không thuộc bộ tiêu chí của đánh giá này."))
        for upload in uploads:
            evidence_add(result=results[criterion_id], actor=actor, upload=upload)
    if submit:
        assessment = assessment_submit(assessment=assessment, actor=actor, version=assessment.version)
    return assessment


REVIEW_DECISIONS = ("save", "return", "verify")


@transaction.atomic
def assessment_review_update(
    *,
    assessment: Assessment,
    actor,
    version: int,
    values: Mapping[int, Mapping[str, str]],
    decision: str = "save",
    reason: str = "",
) -> Assessment:
    """The reviewer's form: save the per-criterion review, then return it, verify it, or neither."""
    if decision not in REVIEW_DECISIONS:
        raise DomainError(_("Thao tác không hợp lệ."))
    if decision == "return" and not (reason or "").strip():
        raise DomainError(_("Cần ghi lý do trả lại."))
    assessment = assessment_save_review(assessment=assessment, actor=actor, version=version, values=values)
    if decision == "save":
        # Saving a review is reviewing it, even from a page that skipped "Bắt đầu thẩm định": no recall after.
        assessment_review_start(assessment=assessment, actor=actor)
        assessment.refresh_from_db()
    if decision == "return":
        assessment = assessment_return(assessment=assessment, actor=actor, reason=reason, version=assessment.version)
    elif decision == "verify":
        assessment = assessment_verify(assessment=assessment, actor=actor, version=assessment.version)
    return assessment
