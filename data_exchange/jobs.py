"""The work of the data exchange's jobs: a /data/ export of the owner's scope, and the import's two jobs —
checking an uploaded file, then importing it once confirmed. Registered with the jobs app (jobs/work.py).

The import runs the data exchange's own services (services.py: the same check and the same all-or-nothing
import as `manage.py import_data`) as the job's owner, with its scope re-checked at run time, and reports the
rows read and written as the job's progress (throttled writes, no query per row). Its result is a page: the
import's preview, which shows the problems found or, once imported, the counts. An export's result is its file.
"""

from __future__ import annotations

import logging
import tempfile

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import permissions
from assessments.models import Assessment, Status
from jobs.models import Job, Kind
from jobs.services import JobFailure, Output, Page, Progress
from jobs.work import counted, register, require
from operations.logs import event

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PROBLEMS_IN_MESSAGE = 3  # the first problems quoted in a failed confirm's message; the rest are counted


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)


def _pending(job: Job):
    from .models import PendingImport

    pending = PendingImport.objects.filter(pk=job.params.get("pending"), user=job.owner).first()
    if pending is None:
        raise JobFailure(_("Không còn tệp đã tải lên (tệp chờ nhập chỉ được giữ một ngày); không có dữ liệu nào "
                           "được ghi. Hãy tải tệp lên lại."))
    return pending


def _rows(totals: dict) -> dict:
    return {f"rows_{key}": value for key, value in totals.items()}


def _assessment_total(user, year) -> int:
    # The rows assessment_export_rows() yields: every assessment in scope but drafts (only for the bar).
    assessments = permissions.scoped(Assessment.objects.exclude(status=Status.DRAFT), user)
    return (assessments.filter(year=year) if year is not None else assessments).count()


@register(Kind.DATA_EXPORT)
def data_export(job: Job, progress: Progress) -> Output:
    """A /data/ export (the import format) of the owner's scope, one kind, one year or all."""
    from .formats import save_table
    from .selectors import EXPORTS

    require(job, "data.import")
    kind, fmt, year = job.params["kind"], job.params["format"], job.params.get("year")
    columns, rows = EXPORTS[kind](user=job.owner, year=year)
    progress.start(len(rows) if isinstance(rows, list) else _assessment_total(job.owner, year))
    out = tempfile.TemporaryFile()  # gone with the process if the worker dies
    save_table(columns, counted(rows, progress), fmt, out, sheet_title=kind)
    progress.flush()
    suffix = f"-{year}" if year else ""
    return Output(out, f"{kind}{suffix}-{timezone.localdate():%Y%m%d}.{fmt}", CONTENT_TYPES[fmt])


@register(Kind.IMPORT_CHECK)
def import_check(job: Job, progress: Progress) -> Page:
    """Read and check the uploaded file (progress: rows checked); the preview shows what was found."""
    from .services import pending_import_check

    require(job, "data.import")
    pending = _pending(job)
    checked = pending.checked_at is not None
    pending = pending_import_check(pending=pending, on_progress=progress.report)
    progress.flush()
    if not checked:
        fields = {"kind": pending.kind, "file_name": pending.file_name, "user_id": job.owner_id}
        if pending.problem_count:
            event("import.rejected", level=logging.WARNING, stage="check", problems=pending.problem_count, **fields)
        else:
            event("import.checked", **fields, **_rows(pending.summary.get("totals", {})))
    if pending.problem_count:
        message = ngettext("Đã kiểm tra xong: tệp có %(count)s lỗi, không có dữ liệu nào được ghi.",
                           "Đã kiểm tra xong: tệp có %(count)s lỗi, không có dữ liệu nào được ghi.",
                           pending.problem_count) % {"count": _count(pending.problem_count)}
    else:
        message = _("Đã kiểm tra xong: tệp hợp lệ. Hãy xem trước rồi xác nhận để nhập.")
    return Page(reverse("data_exchange:preview", args=[pending.pk]), message)


def _rejected(plan) -> str:
    lines = [problem.localised() for problem in plan.problems[:PROBLEMS_IN_MESSAGE]]
    if plan.problem_count > len(lines):
        lines.append(_("… và %(count)s lỗi khác.") % {"count": _count(plan.problem_count - len(lines))})
    return _("Dữ liệu đã thay đổi từ lúc xem trước nên tệp không còn hợp lệ; không có dữ liệu nào được ghi. "
             "Hãy sửa tệp rồi tải lên lại. %(problems)s") % {"problems": " ".join(lines)}


@register(Kind.IMPORT_CONFIRM)
def import_confirm(job: Job, progress: Progress) -> Page:
    """Import the previewed file in one transaction (progress: rows checked again, then rows written). Run
    again after it was imported (a retry after the worker died between the import and the job's end), it
    only shows what was imported."""
    from . import services

    require(job, "data.import")
    pending = _pending(job)
    fields = {"kind": pending.kind, "file_name": pending.file_name, "user_id": job.owner_id}
    if pending.consumed_at is None:
        def counted(done: int, total: int) -> None:
            # data_import counts each row twice (checked again, then written): a row is half done once checked.
            progress.report(done // 2, total // 2)

        try:
            plan = services.pending_import_confirm(pending=pending, user=job.owner, on_progress=counted)
        except services.AlreadyImported:
            raise JobFailure(_("Tệp này không còn hiệu lực để nhập; không có gì thay đổi.")) from None
        except services.ImportRejected as rejected:
            event("import.rejected", level=logging.WARNING, stage="confirm", problems=rejected.plan.problem_count,
                  **fields)
            raise JobFailure(_rejected(rejected.plan)) from None
        pending.imported = plan.totals()
        event("import.done", **fields, **_rows(pending.imported))
    progress.flush()
    totals = {key: _count(pending.imported.get(key, 0)) for key in ("created", "updated", "unchanged")}
    message = _("Đã nhập dữ liệu từ tệp %(name)s: %(created)s tạo mới, %(updated)s cập nhật, "
                "%(unchanged)s giữ nguyên.") % {"name": pending.file_name, **totals}
    return Page(reverse("data_exchange:preview", args=[pending.pk]), message)

