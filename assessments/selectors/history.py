"""Who did what and when: an assessment's timeline, and the edit history of decisions and targets."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..models import (
    Assessment,
    CriterionResult,
    Evidence,
    Recognition,
    Result,
    Status,
    Transition,
)


@dataclass
class TimelineEntry:
    at: datetime.datetime
    who: str
    title: str
    changes: list[str] = field(default_factory=list)
    reason: str = ""
    kind: str = "change"  # "transition" or "change"


RESULT_FIELDS = ("self_result", "note", "verified_result", "reviewer_comment")


def _result_label(value: str) -> str:
    if not value:
        return "—"
    try:
        return str(Result(value).label)
    except ValueError:
        return value


def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    if not text:
        return "—"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _who(user) -> str:
    if user is None:
        return _("Hệ thống")
    return user.get_full_name() or user.username


# The assessment page shows every workflow step but only this many of the latest edits (an officer's
# autosaves can number in the hundreds); `?timeline=all` shows them all.
TIMELINE_EDITS = 20


@dataclass
class Timeline:
    entries: list[TimelineEntry]
    hidden: int = 0  # the older edits left out

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def bounded(entries: list[TimelineEntry], limit: int | None) -> Timeline:
    """Every workflow step, and the latest `limit` edits (None: all)."""
    edits = [e for e in entries if e.kind != "transition"]
    if limit is None or len(edits) <= limit:
        return Timeline(entries)
    dropped = {id(e) for e in edits[: len(edits) - limit]}
    return Timeline([e for e in entries if id(e) not in dropped], hidden=len(dropped))


def assessment_timeline(*, assessment: Assessment, edits: int | None = TIMELINE_EDITS) -> Timeline:
    """Who did what and when, oldest first: workflow steps plus the changes to the answers (the latest
    `edits` of them; None: all).

    Built from Transition rows and the simple-history records of the assessment and its
    results, in three queries whatever the number of criteria.
    """
    entries = _transition_entries(assessment)
    numbers = dict(assessment.results.values_list("id", "criterion__number"))
    entries += _result_entries(assessment, numbers)
    entries += _evidence_entries(numbers)
    entries += _met_count_entries(assessment)
    entries.sort(key=lambda e: (e.at, 0 if e.kind == "change" else 1))
    return bounded(entries, edits)


def _transition_entries(assessment: Assessment) -> list[TimelineEntry]:
    """The workflow steps: created, then each change of status."""
    entries = []
    for step in Transition.objects.filter(assessment=assessment).select_related("actor").order_by("at", "pk"):
        if step.from_status:
            title = _("Chuyển trạng thái: %(old)s → %(new)s") % {
                "old": Status(step.from_status).label,
                "new": Status(step.to_status).label,
            }
        else:
            title = _("Tạo đánh giá (%(status)s)") % {"status": Status(step.to_status).label}
        entries.append(TimelineEntry(step.at, _who(step.actor), title, reason=step.reason, kind="transition"))
    return entries


def _result_entries(assessment: Assessment, numbers: dict[int, int]) -> list[TimelineEntry]:
    """The changes to the criteria's answers; those made by one person in one save are one entry."""
    labels = {
        "self_result": _("Tự đánh giá"),
        "note": _("Ghi chú"),
        "verified_result": _("Kết quả thẩm định"),
        "reviewer_comment": _("Nhận xét của cán bộ thẩm định"),
    }
    history = (
        CriterionResult.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    entries: list[TimelineEntry] = []
    previous: dict[int, object] = {}
    grouped: dict[tuple, TimelineEntry] = {}
    for record in history:
        before = previous.get(record.id)
        previous[record.id] = record
        changed = _changed_result_fields(before, record)
        if not changed:
            continue
        lines = [_result_change_line(name, before, record, numbers.get(record.id, "?"), labels) for name in changed]
        key = (record.history_user_id, record.history_date.replace(microsecond=0))
        entry = grouped.get(key)
        if entry is None:
            entry = TimelineEntry(
                record.history_date, _who(record.history_user), _("Cập nhật kết quả tiêu chí"),
                reason=record.history_change_reason or "",
            )
            grouped[key] = entry
            entries.append(entry)
        entry.changes.extend(lines)
    return entries


def _changed_result_fields(before, record) -> list[str]:
    """The fields a history record changed; a result's first record counts only the answers it already gives."""
    if before is None:
        return [f for f in ("self_result", "verified_result") if getattr(record, f) not in ("", Result.NOT_YET)]
    return [f for f in RESULT_FIELDS if getattr(record, f) != getattr(before, f)]


def _result_change_line(name: str, before, record, number, labels: dict[str, str]) -> str:
    old = getattr(before, name) if before is not None else ""
    new = getattr(record, name)
    if name.endswith("result"):
        old, new = _result_label(old), _result_label(new)
    else:
        old, new = _short(old), _short(new)
    return (_("Tiêu chí %(number)s – %(field)s: %(old)s → %(new)s")
            % {"number": number, "field": labels[name], "old": old, "new": new})


def _evidence_entries(numbers: dict[int, int]) -> list[TimelineEntry]:
    """Evidence files added and removed (one query)."""
    entries = []
    for record in (
        Evidence.history.filter(result_id__in=list(numbers)).select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        if record.history_type == "+":
            title = _("Thêm minh chứng “%(name)s” – tiêu chí %(number)s")
        elif record.history_type == "-":
            title = _("Xóa minh chứng “%(name)s” – tiêu chí %(number)s")
        else:
            continue
        entries.append(TimelineEntry(record.history_date, _who(record.history_user),
                                     title % {"name": record.original_name, "number": numbers.get(record.result_id, "?")}))
    return entries


def _met_count_entries(assessment: Assessment) -> list[TimelineEntry]:
    """Counts recorded on the assessment itself (e.g. by an import) complete the picture."""
    entries = []
    last = None
    for record in assessment.history.select_related("history_user").order_by("history_date", "history_id"):
        if last is not None and record.verified_met_count != last.verified_met_count and record.verified_met_count is not None:
            entries.append(
                TimelineEntry(
                    record.history_date,
                    _who(record.history_user),
                    _("Số tiêu chí đạt sau thẩm định: %(old)s → %(new)s")
                    % {"old": last.verified_met_count if last.verified_met_count is not None else "—",
                       "new": record.verified_met_count},
                    reason=record.history_change_reason or "",
                )
            )
        last = record
    return entries


# ---------------------------------------------------------------- history of decisions and targets


RECOGNITION_FIELDS = ("decision_number", "decision_date", "issued_by", "revoked_on", "revoke_reason", "level")


TARGET_FIELDS = ("number", "deadline", "text", "kind", "level", "band")


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return _short(str(value))


def object_history(model, ids: list[int], fields: tuple[str, ...]) -> dict[int, list[TimelineEntry]]:
    """Who changed what and when, per object, from its simple-history records (one query)."""
    out: dict[int, list[TimelineEntry]] = {}
    previous: dict[int, object] = {}
    labels = {f: capfirst(str(model._meta.get_field(f).verbose_name)) for f in fields}
    for record in (
        model.history.filter(id__in=ids).select_related("history_user").order_by("id", "history_date", "history_id")
    ):
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "+":
            entry = TimelineEntry(record.history_date, _who(record.history_user), _("Ghi nhận"),
                                  reason=record.history_change_reason or "")
        elif before is not None:
            changes = [
                _("%(field)s: %(old)s → %(new)s") % {"field": labels[f], "old": _value(getattr(before, f)),
                                                     "new": _value(getattr(record, f))}
                for f in fields if getattr(before, f) != getattr(record, f)
            ]
            if not changes:
                continue
            entry = TimelineEntry(record.history_date, _who(record.history_user), _("Sửa đổi"), changes=changes,
                                  reason=record.history_change_reason or "")
        else:
            continue
        out.setdefault(record.id, []).append(entry)
    return out


def recognition_history(recognitions: list[Recognition]) -> dict[int, list[TimelineEntry]]:
    return object_history(Recognition, [r.pk for r in recognitions], RECOGNITION_FIELDS)
