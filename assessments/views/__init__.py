"""Assessment entry and review pages. Thin: scoped selector → one service → redirect with a message.

Split by who uses them: the officer, evidence files, the reviewer, decisions."""

from .decisions import (  # noqa: F401
    recognition_create,
    recognition_list,
    recognition_revoke,
    recognition_scan,
    registration_create,
    registration_delete,
    registration_list,
)
from .evidence import evidence_delete, evidence_download, evidence_upload  # noqa: F401
from .officer import (  # noqa: F401
    assessment_detail,
    assessment_prefill,
    assessment_recall,
    assessment_reopen,
    assessment_start,
    criterion_save,
    officer_home,
    service_worker,
)
from .review import assessment_review, assessment_review_start, reviewer_inbox  # noqa: F401
