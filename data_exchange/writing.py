"""Writing a checked import plan, one function per kind, inside the caller's transaction.

New assessments (the bulk of a large file) are written a batch at a time, without building model
objects for their results: the assessments by bulk_create (their ids are needed), their criterion
results and workflow steps as plain rows (PostgreSQL's COPY, multi-row INSERTs elsewhere), and the
history records of both by INSERT … SELECT. The few rows that update an existing object go through
the services (assessment_record, recognition_record_revocation); every rule was checked with the
services' rule functions when the plan was made.

Each function returns the (programme id, year) pairs whose figures the write touched.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from itertools import batched

from django.db import connection
from django.db.models import NOT_PROVIDED, BigIntegerField, CharField, DateTimeField, Max, Value
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments.models import (
    Assessment,
    CriteriaSet,
    CriterionResult,
    Recognition,
    Registration,
    Result,
    Status,
    Transition,
)
from assessments.services import assessment_mark_returned, assessment_record, recognition_record_revocation
from inventory.services import model_counts_import

from .importing import CREATED, UPDATED, AssessmentChange, ImportPlan

BATCH = 2000  # new assessments written per step (with their 32,000 results)
Progress = Callable[[int], None]  # called with the number of rows written so far
Touched = set[tuple[int, int]]


def apply_assessments(plan: ImportPlan, *, actor, reason: str, progress: Progress) -> Touched:
    touched: Touched = set()
    written = 0
    for batch in batched((c for c in plan.changes if c.action == CREATED), BATCH):
        _insert_assessments(batch, actor=actor, reason=reason)
        touched.update((c.programme_id, c.year) for c in batch)
        written += len(batch)
        progress(written)
    updated = [c for c in plan.changes if c.action == UPDATED]
    sets = CriteriaSet.objects.in_bulk({c.criteria_set_id for c in updated})
    for change in updated:
        assessment_record(unit=change.unit, year=change.year, stage=change.stage, results=change.results(),
                          actor=actor, reason=reason, criteria_set=sets[change.criteria_set_id],
                          returned=change.returned)
        touched.add((change.programme_id, change.year))
    progress(len(plan.changes))
    return touched


def _insert_assessments(batch: tuple[AssessmentChange, ...], *, actor, reason: str) -> None:
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    # As if created and then recorded, like assessment_record(): version 2, submitted (and verified) now.
    recorded = {"version": 2, "submitted_at": now}
    verified = [c for c in batch if c.stage == "verified"]
    BulkRows(Assessment, ["unit", "criteria_set", "year", "self_met_count", "verified_met_count"], {
        **recorded, "status": Status.VERIFIED, "verified_at": now, "verified_by": actor_id,
    }).write((c.unit.id, c.criteria_set_id, c.year, met, met) for c in verified
             for met in [c.values.count(Result.MET)])
    BulkRows(Assessment, ["unit", "criteria_set", "year", "self_met_count"], {
        **recorded, "status": Status.SUBMITTED,
    }).write((c.unit.id, c.criteria_set_id, c.year, c.values.count(Result.MET)) for c in batch
             if c.stage != "verified")
    # The new ids, by the unique (unit, set, year) of each row: COPY returns none.
    ids = {(unit_id, set_id, year): pk for pk, unit_id, set_id, year in Assessment.objects.filter(
        unit_id__in={c.unit.id for c in batch}, year__in={c.year for c in batch},
        criteria_set_id__in={c.criteria_set_id for c in batch},
    ).values_list("id", "unit_id", "criteria_set_id", "year")}
    created = [ids[(c.unit.id, c.criteria_set_id, c.year)] for c in batch]
    last_result = CriterionResult.objects.aggregate(last=Max("pk"))["last"] or 0
    BulkRows(CriterionResult, ["assessment", "criterion", "self_result", "verified_result"]).write(
        (pk, criterion_id, value, value if change.stage == "verified" else "")
        for change, pk in zip(batch, created, strict=True)
        for (_number, criterion_id), value in zip(change.criteria, change.values, strict=True)
    )
    BulkRows(Transition, ["assessment", "to_status"], {"from_status": Status.DRAFT, "actor": actor_id,
                                                       "reason": reason}).write(
        (pk, Status.VERIFIED if change.stage == "verified" else Status.SUBMITTED)
        for change, pk in zip(batch, created, strict=True)
    )
    history_from_rows(Assessment, "pk", created, actor=actor, reason=reason)
    history_from_rows(CriterionResult, "assessment_id", created, actor=actor, reason=reason, after=last_result)
    returned = Assessment.objects.in_bulk([pk for change, pk in zip(batch, created, strict=True) if change.returned])
    for assessment in returned.values():  # a backup's returned assessments come back returned (few rows)
        assessment_mark_returned(assessment=assessment, actor=actor, reason=reason)


def apply_recognitions(plan: ImportPlan, *, actor, reason: str, progress: Progress) -> Touched:
    new = [c for c in plan.changes if c.action == CREATED]
    bulk_create_with_history([
        Recognition(programme_id=c.programme_id, unit=c.unit, level=c.level, decision_number=c.decision_number,
                    decision_date=c.decision_date, issued_by=c.issued_by, revoked_on=c.revoked_on,
                    revoke_reason=reason if c.revoked_on else "", recorded_by=actor)
        for c in new
    ], Recognition, batch_size=BATCH, default_user=actor, default_change_reason=reason)
    revoked = [c for c in plan.changes if c.action == UPDATED]
    recorded = Recognition.objects.in_bulk([c.recognition_id for c in revoked])
    for change in revoked:
        recognition_record_revocation(recognition=recorded[change.recognition_id], revoked_on=change.revoked_on,
                                      actor=actor, reason=reason)
    progress(len(plan.changes))
    touched = {(c.programme_id, c.decision_date.year) for c in plan.changes}
    return touched | {(c.programme_id, c.revoked_on.year) for c in plan.changes if c.revoked_on}


def apply_registrations(plan: ImportPlan, *, actor, reason: str, progress: Progress) -> Touched:
    bulk_create_with_history([
        Registration(programme_id=c.programme_id, unit=c.unit, year=c.year, created_by=actor, note=reason[:255])
        for c in plan.changes
    ], Registration, batch_size=BATCH, default_user=actor, default_change_reason=reason)
    progress(len(plan.changes))
    return {(c.programme_id, c.year) for c in plan.changes}


def apply_model_counts(plan: ImportPlan, *, actor, reason: str, progress: Progress) -> Touched:
    model_counts_import(rows=[{"unit": c.unit, "year": c.year, "model_type": c.model_type, "count": c.count,
                               "status": c.status, "existing": c.existing} for c in plan.changes],
                        actor=actor, reason=reason)
    progress(len(plan.changes))
    return {(programme_id, c.year) for c in plan.changes for programme_id in c.programme_ids}


APPLY = {"assessments": apply_assessments, "recognitions": apply_recognitions,
         "registrations": apply_registrations, "models": apply_model_counts}


# ---------------------------------------------------------------- rows without model objects


class BulkRows:
    """Rows of `model` written without model objects (no signals, no ids returned): COPY on PostgreSQL,
    multi-row INSERTs elsewhere. Each row gives the values of `fields`, as the database stores them
    (ids, choice values, text, aware datetimes); `same` gives values shared by every row; every other
    column takes its default, computed once (auto_now fields: now), or the database's own default."""

    def __init__(self, model, fields: list[str], same: dict | None = None):
        self.table = connection.ops.quote_name(model._meta.db_table)
        given = [model._meta.get_field(name) for name in fields]
        same = same or {}
        now = timezone.now()
        others = [f for f in model._meta.concrete_fields if not f.primary_key and f not in given
                  and (f.name in same or f.db_default is NOT_PROVIDED)]
        self.columns = [connection.ops.quote_name(f.column) for f in given + others]
        self.prepare = [f.get_db_prep_save if isinstance(f, DateTimeField) else None for f in given]
        self.defaults = [f.get_db_prep_save(same[f.name] if f.name in same else now if getattr(f, "auto_now", False)
                                            or getattr(f, "auto_now_add", False) else f.get_default(), connection)
                         for f in others]
        # Ids, numbers and choice values never need escaping in COPY's text format.
        self.plain = all(not f.null and (f.choices or f.get_internal_type().endswith(("IntegerField", "AutoField"))
                                         or f.is_relation) for f in given)

    def write(self, rows: Iterable[tuple]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert"):
                self._copy(cursor.cursor, rows)
                return
            placeholder = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
            per_statement = min(1000, (connection.features.max_query_params or 65535) // len(self.columns))
            for chunk in batched(rows, per_statement):
                values = [self._prepared(row) for row in chunk]
                cursor.execute(f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES "
                               f"{', '.join([placeholder] * len(chunk))}", [value for row in values for value in row])

    def _prepared(self, row: tuple) -> list:
        return [value if prepare is None else prepare(value, connection)
                for value, prepare in zip(row, self.prepare, strict=True)] + self.defaults

    def _copy(self, cursor, rows: Iterable[tuple]) -> None:
        suffix = "".join("\t" + _copy_text(value) for value in self.defaults) + "\n"
        line = (lambda row: "\t".join(map(str, row))) if self.plain else (lambda row: "\t".join(map(_copy_text, row)))
        buffer = io.StringIO()
        buffer.writelines(line(row) + suffix for row in rows)
        if not buffer.tell():
            return
        buffer.seek(0)
        with connection.wrap_database_errors:
            cursor.copy_expert(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN", buffer)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def history_from_rows(model, column: str, values: list, *, actor, reason: str, after: int = 0) -> None:
    """One '+' history record per row of `model` whose `column` is in `values`, copied in SQL.

    Same records as bulk_create_with_history() writes (every tracked field, date, user, reason),
    but made by INSERT … SELECT, without building the objects twice. `after`: every such row has a
    larger id (the largest id before they were written), so that the rows are found by the primary
    key's index — statistics not yet updated after a large insert made PostgreSQL scan the table.
    """
    history = model.history.model
    extra = {
        "history_date": Value(timezone.now(), output_field=DateTimeField()),
        "history_change_reason": Value(reason, output_field=CharField()),
        "history_type": Value("+", output_field=CharField()),
        "history_user_id": Value(getattr(actor, "pk", None), output_field=BigIntegerField()),
    }
    tracked = {f.attname for f in model._meta.concrete_fields}
    columns, selected = [], []
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        if field.attname in extra:
            selected.append(f"_h_{field.attname}")
        elif field.attname in tracked:
            selected.append(field.attname)
        else:  # a history field we do not know how to fill: do it the slow, generic way
            raise NotImplementedError(field.attname)
        columns.append(connection.ops.quote_name(field.column))
    rows = model._default_manager.filter(**{f"{column}__in": values, "pk__gt": after})
    annotations = {f"_h_{name}": value for name, value in extra.items()}
    sql, params = rows.annotate(**annotations).values_list(*selected).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} ({', '.join(columns)}) {sql}",
                       params)
