"""The officer's criterion-by-criterion entry: each answer saved as it is typed (autosave).

Same rules as the whole form (assessment_save_self): editable statuses only, the officer's own unit,
and the optimistic lock — a save built on an older version is refused with StaleAssessmentError so
that the page can show the saved value beside the typed one and lose neither.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Assessment
from .carry_over import assessment_confirm_criteria
from .common import DomainError
from .workflow import assessment_save_self


@transaction.atomic
def assessment_save_criterion(
    *, assessment: Assessment, actor, version: int, criterion_id: int, self_result: str, note: str
) -> int:
    """Save one criterion's self result and note; return the assessment's new version."""
    if not assessment.results.filter(criterion_id=criterion_id).exists():
        raise DomainError(_("Dữ liệu gửi lên có tiêu chí không thuộc bộ tiêu chí của đánh giá này."))
    saved = assessment_save_self(
        assessment=assessment, actor=actor, version=version,
        values={criterion_id: {"self_result": self_result, "note": (note or "").strip()}},
    )
    # Saving a criterion the officer sees is confirming it: a prefilled one is no longer "from last year".
    assessment_confirm_criteria(assessment=saved, actor=actor, criterion_ids=[criterion_id])
    return saved.version
