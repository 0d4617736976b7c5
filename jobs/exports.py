"""The work of each export job: the same public functions the direct downloads called, now in the worker.

Each function re-checks, as the job's owner and at run time, what the view checked when the job was
started (a role or scope changed in between is a refusal, not a leak), reports progress, and returns
the file as an Output. Data exports count rows; the report files count steps.
"""

from __future__ import annotations

import io
import tempfile

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from assessments.models import Assessment, Status
from assessments.programmes import ProgrammeError, programme_get

from .models import Job, Kind
from .services import JobFailure, Output, Progress

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def _require(job: Job, capability: str) -> None:
    try:
        permissions.require(job.owner, capability)
    except PermissionDenied:
        raise JobFailure(_("Tài khoản của bạn không còn quyền tạo tệp này.")) from None


def _programme(job: Job):
    try:
        programme = programme_get(job.params.get("programme"))
    except ProgrammeError as error:
        raise JobFailure(str(error)) from None
    if not permissions.can_see_programme(job.owner, programme):
        raise JobFailure(_("Tài khoản của bạn không còn quyền xem chương trình này."))
    return programme


def _suffix(figures: str) -> str:
    return "-so-bo" if figures != "official" else ""


def _assessment_total(user, year) -> int:
    # The rows assessment_export_rows() yields: every assessment in scope but drafts (only for the bar).
    assessments = permissions.scoped(Assessment.objects.exclude(status=Status.DRAFT), user)
    return (assessments.filter(year=year) if year is not None else assessments).count()


def _counted(rows, progress: Progress):
    for row in rows:
        yield row
        progress.advance()


def data_export(job: Job, progress: Progress) -> Output:
    """A /data/ export (the import format) of the owner's scope, one kind, one year or all."""
    from data_exchange.formats import save_table
    from data_exchange.selectors import EXPORTS

    _require(job, "data.import")
    kind, fmt, year = job.params["kind"], job.params["format"], job.params.get("year")
    columns, rows = EXPORTS[kind](user=job.owner, year=year)
    progress.start(len(rows) if isinstance(rows, list) else _assessment_total(job.owner, year))
    out = tempfile.TemporaryFile()  # gone with the process if the worker dies
    save_table(columns, _counted(rows, progress), fmt, out, sheet_title=kind)
    progress.flush()
    suffix = f"-{year}" if year else ""
    return Output(out, f"{kind}{suffix}-{timezone.localdate():%Y%m%d}.{fmt}", CONTENT_TYPES[fmt])


def _report_file(job: Job, progress: Progress, build, name: str, content_type: str) -> Output:
    progress.start(2)
    content = build()
    progress.advance()
    progress.flush()
    return Output(io.BytesIO(content), name, content_type)


def progress_xlsx(job: Job, progress: Progress) -> Output:
    from reports.exports import xlsx_for

    _require(job, "reports.view_province")
    programme, year, figures = _programme(job), job.params["year"], job.params["figures"]
    return _report_file(job, progress, lambda: xlsx_for(year=year, programme=programme, figures=figures),
                        f"tien-do-{programme.code}-{year}{_suffix(figures)}.xlsx", XLSX)


def progress_docx(job: Job, progress: Progress) -> Output:
    from reports.docx_report import docx_for

    _require(job, "reports.view_province")
    programme, year, figures = _programme(job), job.params["year"], job.params["figures"]
    return _report_file(job, progress, lambda: docx_for(year=year, programme=programme, figures=figures),
                        f"bao-cao-{programme.code}-{year}{_suffix(figures)}.docx", DOCX)


def national_xlsx(job: Job, progress: Progress) -> Output:
    from reports.exports import national_xlsx as national_file
    from reports.national import national_report

    _require(job, "reports.view_national")
    year = job.params["year"]
    return _report_file(job, progress, lambda: national_file(national_report(year=year)),
                        f"toan-quoc-{year}.xlsx", XLSX)


WORK = {
    Kind.DATA_EXPORT: data_export,
    Kind.PROGRESS_XLSX: progress_xlsx,
    Kind.PROGRESS_DOCX: progress_docx,
    Kind.NATIONAL_XLSX: national_xlsx,
}
