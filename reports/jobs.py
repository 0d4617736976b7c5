"""The work of the report files' jobs (progress.xlsx, progress.docx, national.xlsx): the same functions the
direct downloads called, now in the worker. Each re-checks, as the job's owner and at run time, what the view
checked when the job was started, and counts its steps as progress. Registered with the jobs app (jobs/work.py).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts import permissions
from assessments.programmes import ProgrammeError, programme_get
from jobs.models import Job, Kind
from jobs.services import JobFailure, Output, Progress
from jobs.work import file_output, register, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def _progress_file(job: Job, progress: Progress, build, stem: str, extension: str, content_type: str) -> Output:
    """The province report of the job's programme, year and figures as a file (`build` is its writer)."""
    require(job, "reports.view_province")
    programme, year, figures = _programme(job), job.params["year"], job.params["figures"]
    return file_output(progress, lambda: build(year=year, programme=programme, figures=figures),
                       f"{stem}-{programme.code}-{year}{_suffix(figures)}.{extension}", content_type)


@register(Kind.PROGRESS_XLSX)
def progress_xlsx(job: Job, progress: Progress) -> Output:
    from .exports import xlsx_for

    return _progress_file(job, progress, xlsx_for, "tien-do", "xlsx", XLSX)


@register(Kind.PROGRESS_DOCX)
def progress_docx(job: Job, progress: Progress) -> Output:
    from .docx_report import docx_for

    return _progress_file(job, progress, docx_for, "bao-cao", "docx", DOCX)


@register(Kind.NATIONAL_XLSX)
def national_xlsx(job: Job, progress: Progress) -> Output:
    from .exports import national_xlsx as national_file
    from .national import national_report

    require(job, "reports.view_national")
    year = job.params["year"]
    return file_output(progress, lambda: national_file(national_report(year=year)), f"toan-quoc-{year}.xlsx", XLSX)
