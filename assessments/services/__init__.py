"""Writes: every change to assessments, registrations and recognitions goes through here.

Each service runs in one transaction, checks the rule it owns (not only the template),
records who/when/why, and raises a DomainError subclass with a message for the user. The web
pages, the admin, the bulk import and the commands all call these same functions.
"""

from .carry_over import (
    assessment_confirm_criteria,
    assessment_prefill_from_previous_year,
    can_prefill_from_previous_year,
    previous_year_assessment,
)
from .common import (
    DomainError,
    RecognitionRuleError,
    StaleAssessmentError,
    check_year,
    criteria_set_for,
    criteria_sets_for,
    recognition_threshold,
    refresh_met_counts,
    year_range,
)
from .criteria import criteria_set_copy, criteria_set_in_use, criteria_set_publish
from .entry import assessment_save_criterion
from .evidence import REVIEW_DECISIONS, assessment_review_update, assessment_self_update, evidence_add, evidence_delete
from .recall import assessment_recall, assessment_review_start, can_recall, review_opened
from .recognitions import (
    LEVEL_CAPABILITY,
    ChainFacts,
    recognition_chain_problem,
    recognition_create,
    recognition_programme,
    recognition_revoke,
    recognition_rule_problem,
)
from .records import assessment_mark_returned, assessment_record, recognition_record_revocation
from .registrations import registration_create, registration_delete
from .transitions import STEPS, assessment_transition
from .uploads import ALLOWED_UPLOADS, DOCX, JPEG, PDF, PNG, XLSX, upload_check
from .workflow import (
    assessment_get_or_create,
    assessment_reopen,
    assessment_return,
    assessment_save_review,
    assessment_save_self,
    assessment_submit,
    assessment_verify,
)

__all__ = [
    "STEPS", "assessment_transition", "ALLOWED_UPLOADS", "DOCX", "JPEG", "PDF", "PNG", "REVIEW_DECISIONS", "XLSX", "DomainError",
    "LEVEL_CAPABILITY", "RecognitionRuleError", "StaleAssessmentError", "assessment_get_or_create",
    "assessment_mark_returned", "assessment_record", "assessment_reopen", "recognition_record_revocation", "assessment_return", "assessment_review_update",
    "assessment_confirm_criteria", "assessment_prefill_from_previous_year", "can_prefill_from_previous_year",
    "previous_year_assessment", "assessment_review_start", "assessment_recall", "can_recall", "review_opened",
    "assessment_save_criterion", "assessment_save_review", "assessment_save_self", "assessment_self_update", "assessment_submit",
    "assessment_verify", "check_year", "criteria_set_copy", "criteria_set_in_use", "criteria_set_publish", "criteria_set_for", "criteria_sets_for", "evidence_add", "evidence_delete",
    "ChainFacts", "recognition_chain_problem", "recognition_create", "recognition_programme", "recognition_revoke", "recognition_rule_problem",
    "recognition_threshold", "refresh_met_counts", "registration_create", "registration_delete", "upload_check",
    "year_range",
]
