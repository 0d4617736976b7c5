"""Reads for the assessment pages: always scoped to the user, with a constant number of queries.

Split by concern: deadlines, assessments (results, evidence, the inbox), units of the scope, decisions,
history. Every name is re-exported here, so `from assessments.selectors import X` keeps working; the day
(`today`) is defined here and read through the package by the submodules, so that a test naming a day on
`assessments.selectors.today` reaches every page."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .assessments import (  # noqa: F401
    assessment_get,
    assessment_list_for_unit,
    evidence_get,
    result_get,
    result_list,
    review_inbox,
    review_inbox_rows,
)
from .deadlines import (  # noqa: F401
    Countdown,
    OfficerProgramme,
    ReviewDeadline,
    Timeliness,
    officer_programmes,
    review_deadlines,
    submission_late,
    timeliness_of,
)
from .decisions import recognition_get, recognition_list, registration_get, registration_list  # noqa: F401
from .history import (  # noqa: F401
    RECOGNITION_FIELDS,
    RESULT_FIELDS,
    TARGET_FIELDS,
    TIMELINE_EDITS,
    Timeline,
    TimelineEntry,
    assessment_timeline,
    bounded,
    object_history,
    recognition_history,
)
from .units import UnitRow, eligible_unit_list, programmes_of, scope_membership, unit_status_table  # noqa: F401


def today() -> datetime.date:
    """The day the pages count deadlines from (one place, so that tests can name a day)."""
    return timezone.localdate()


def current_year() -> int:
    return today().year
