"""Writes of the data exchange: applying a checked import file, keeping uploads until confirmed.

An import is all-or-nothing: the file is checked again inside the transaction that writes it,
and any problem rolls everything back. New assessments (the bulk of a large file) are
written in bulk with their results, workflow steps and history records; the few that update
an existing assessment go through assessments.services.assessment_record().
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, CharField, DateTimeField, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts import permissions
from assessments import facts
from assessments.models import Assessment, CriterionResult, Recognition, Registration, Result, Status, Transition
from assessments.services import assessment_mark_returned, assessment_record, recognition_record_revocation
from inventory.services import model_counts_import

from .importing import CREATED, UNCHANGED, UPDATED, ImportPlan, build_plan
from .models import PendingImport

BATCH = 1000
HISTORY_REASON_MAX = 100
PENDING_MAX_AGE = datetime.timedelta(days=1)


class ImportRejected(Exception):
    """The file has problems; nothing was written. `plan.problems` lists them."""

    def __init__(self, plan: ImportPlan):
        super().__init__(f"{plan.problem_count} problem(s)")
        self.plan = plan


def import_reason(name: str) -> str:
    """The reason written in the history. Stored data, so always in Vietnamese whatever the UI language."""
    reason = f"Nhập dữ liệu từ tệp {name}"
    if len(reason) > HISTORY_REASON_MAX:  # history keeps at most 100 characters
        reason = f"Nhập dữ liệu từ tệp {name[:40]}…{name[-35:]}"
    return reason


@transaction.atomic
def data_import(*, kind: str, name: str, data: bytes, actor=None) -> ImportPlan:
    """Check and import a whole file, or nothing. `actor` None: command line, full scope, no user.

    Raises ImportRejected when any row is bad.
    """
    plan = build_plan(kind=kind, name=name, data=data, user=actor)
    if not plan.ok:
        raise ImportRejected(plan)
    reason = import_reason(name)
    try:
        with transaction.atomic():
            {"assessments": _apply_assessments, "recognitions": _apply_recognitions,
             "registrations": _apply_registrations, "models": _apply_models}[kind](plan, actor, reason)
            facts.forget()  # the multi-row inserts: drop the stored figures, read again from the records
    except IntegrityError:
        # Someone wrote the same data between the check and the write.
        plan.add_problem(1, "-", _("Dữ liệu vừa được người khác thay đổi; hãy nhập lại tệp."))
        raise ImportRejected(plan) from None
    return plan


def _apply_assessments(plan: ImportPlan, actor, reason: str) -> None:
    now = timezone.now()
    new = [c for c in plan.changes if c.action == CREATED]
    assessments, returned = [], []
    for change in new:
        verified = change.data["stage"] == "verified"
        met = sum(1 for v in change.data["results"].values() if v == Result.MET)
        assessments.append(Assessment(
            unit=change.unit, year=change.data["year"], criteria_set=change.data["criteria_set"],
            status=Status.VERIFIED if verified else Status.SUBMITTED,
            version=2,  # as if created and then recorded, like assessment_record()
            self_met_count=met, verified_met_count=met if verified else None,
            submitted_at=now, verified_at=now if verified else None, verified_by=actor if verified else None,
        ))
    created = Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    # PostgreSQL and SQLite ≥ 3.35 return the new ids from a bulk insert.
    assert not created or created[0].pk is not None
    _history_from_rows(Assessment, "pk", [a.pk for a in created], actor=actor, reason=reason)
    results, transitions = [], []
    for change, assessment in zip(new, created, strict=True):
        verified = change.data["stage"] == "verified"
        for number, value in change.data["results"].items():
            results.append((assessment.pk, change.data["criterion_ids"][number], value, value if verified else "", "", ""))
        transitions.append(Transition(
            assessment_id=assessment.pk, from_status=Status.DRAFT, to_status=assessment.status,
            actor=actor, reason=reason,
        ))
        if change.data["returned"]:
            returned.append(assessment)
    _insert_rows(CriterionResult, ["assessment", "criterion", "self_result", "verified_result", "note",
                                   "reviewer_comment"], results)
    _history_from_rows(CriterionResult, "assessment_id", [a.pk for a in created], actor=actor, reason=reason)
    Transition.objects.bulk_create(transitions, batch_size=BATCH)
    for assessment in returned:  # a backup's returned assessments come back returned (few rows)
        assessment_mark_returned(assessment=assessment, actor=actor, reason=reason)
    for change in plan.changes:
        if change.action == UPDATED:
            assessment_record(
                unit=change.unit, year=change.data["year"], stage=change.data["stage"],
                results=change.data["results"], actor=actor, reason=reason,
                criteria_set=change.data["criteria_set"], returned=change.data["returned"],
            )


def _insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Multi-row INSERTs of plain values (no signals, no returned ids): the 160,000 results of a
    10,000-row file. Values must already be what the database stores (ids, choice values, text)."""
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = min(BATCH, (connection.features.max_query_params or 65535) // len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def _history_from_rows(model, column: str, values: list, *, actor, reason: str) -> None:
    """One '+' history record per row of `model` whose `column` is in `values`, copied in SQL.

    Same records as bulk_create_with_history() writes (every tracked field, date, user, reason),
    but made by INSERT … SELECT, without building 160,000 Python objects twice.
    """
    history = model.history.model
    now = timezone.now()
    extra = {
        "history_date": Value(now, output_field=DateTimeField()),
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
    annotations = {f"_h_{name}": value for name, value in extra.items()}
    for start in range(0, len(values), BATCH):
        rows = model._default_manager.filter(**{f"{column}__in": values[start:start + BATCH]})
        sql, params = rows.annotate(**annotations).values_list(*selected).order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} ({', '.join(columns)}) {sql}",
                params,
            )


def _apply_recognitions(plan: ImportPlan, actor, reason: str) -> None:
    recognitions = [
        Recognition(unit=c.unit, recorded_by=actor, revoke_reason=reason if c.data["revoked_on"] else "", **c.data)
        for c in plan.changes if c.action == CREATED
    ]
    bulk_create_with_history(recognitions, Recognition, batch_size=BATCH, default_user=actor,
                             default_change_reason=reason)
    for change in plan.changes:
        if change.action == UPDATED:
            recognition_record_revocation(recognition=change.data["recognition"], revoked_on=change.data["revoked_on"],
                                          actor=actor, reason=reason)


def _apply_registrations(plan: ImportPlan, actor, reason: str) -> None:
    registrations = [
        Registration(programme=c.data["programme"], unit=c.unit, year=c.data["year"], created_by=actor,
                     note=reason[:255])
        for c in plan.changes if c.action == CREATED
    ]
    bulk_create_with_history(registrations, Registration, batch_size=BATCH, default_user=actor,
                             default_change_reason=reason)


def _apply_models(plan: ImportPlan, actor, reason: str) -> None:
    model_counts_import(rows=[{"unit": c.unit, **c.data} for c in plan.changes if c.action != UNCHANGED],
                        actor=actor, reason=reason)


# ---------------------------------------------------------------- uploads waiting for confirmation


def pending_import_create(*, user, kind: str, name: str, data: bytes) -> PendingImport:
    """Check an uploaded file once and keep what the preview shows; forget the user's stale uploads.

    The bytes are kept only when the file can be confirmed: a refused file (a spreadsheet bomb, a row
    error) is not stored, only its problems.
    """
    permissions.require(user, "data.import")
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_MAX_AGE).delete()
    PendingImport.objects.filter(user=user, consumed_at__isnull=False).delete()
    plan = build_plan(kind=kind, name=name, data=data, user=user)
    if not plan.ok:
        data = b""
    return PendingImport.objects.create(
        user=user, kind=kind, file_name=name[:255], data=data, sha256=hashlib.sha256(data).hexdigest() if data else "",
        problems=[[p.row, p.column, p.reason] for p in plan.problems], problem_count=plan.problem_count,
        summary={
            "totals": plan.totals(), "skipped_rows": plan.skipped_rows,
            "areas": [{"name": entry["district"].name, CREATED: entry[CREATED], UPDATED: entry[UPDATED],
                       UNCHANGED: entry[UNCHANGED]} for entry in plan.summary()],
        },
    )


class AlreadyImported(Exception):
    pass


@transaction.atomic
def pending_import_confirm(*, pending: PendingImport, user) -> ImportPlan:
    """Import a previewed file exactly once. Raises AlreadyImported or ImportRejected."""
    permissions.require(user, "data.import")
    # The conditional update is the lock: a second click waits for the first and then finds it done.
    # A file refused on upload has no bytes to import.
    claimed = PendingImport.objects.filter(pk=pending.pk, user=user, consumed_at__isnull=True,
                                           problem_count=0).update(consumed_at=timezone.now())
    if not claimed:
        raise AlreadyImported
    pending = PendingImport.objects.get(pk=pending.pk)
    data = bytes(pending.data)
    if hashlib.sha256(data).hexdigest() != pending.sha256:
        raise AlreadyImported
    # A rejection rolls back the claim too, so the user can fix the data and confirm again.
    return data_import(kind=pending.kind, name=pending.file_name, data=data, actor=user)
