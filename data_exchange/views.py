"""Import page: template download, upload → preview → confirm; exports. Thin views over services."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from criteria_portal.downloads import download
from jobs import views as jobs_views
from jobs.models import Kind as JobKind
from operations.logs import event

from . import selectors, services
from .forms import KIND_CHOICES, ExportForm, TemplateForm, UploadForm

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _rows(totals: dict) -> dict:
    """The import's counts as log fields: rows_created, rows_updated, rows_unchanged."""
    return {f"rows_{key}": value for key, value in totals.items()}


def _kind_label(kind):
    return dict(KIND_CHOICES).get(kind, kind)


def _download(data, filename: str, fmt: str) -> HttpResponse:
    """`data`: the bytes, or an iterator of pieces (streamed)."""
    return download(data, filename=filename, content_type=CONTENT_TYPES[fmt])


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    permissions.require(request.user, "data.import")
    upload_form = UploadForm(request.POST or None, request.FILES or None, prefix="upload")
    if request.method == "POST" and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        kind = upload_form.cleaned_data["kind"]
        event("import.started", kind=kind, file_name=upload.name, bytes=upload.size, user_id=request.user.pk)
        pending = services.pending_import_create(user=request.user, kind=kind, name=upload.name, data=upload.read())
        if pending.problem_count:
            event("import.rejected", level=logging.WARNING, kind=kind, file_name=upload.name, stage="check",
                  problems=pending.problem_count, user_id=request.user.pk)
        else:
            event("import.checked", kind=kind, file_name=upload.name, user_id=request.user.pk,
                  **_rows((pending.summary or {}).get("totals", {})))
        return redirect("data_exchange:preview", pk=pending.pk)
    return render(request, "data_exchange/import.html", {
        "upload_form": upload_form,
        "template_form": TemplateForm(initial={"year": timezone.localdate().year}, prefix="template"),
        "export_form": ExportForm(prefix="export"),
        "scope": request.user.scope_label,
    })


@login_required
@require_GET
def template_download(request):
    permissions.require(request.user, "data.import")
    form = TemplateForm(request.GET, prefix="template")
    if not form.is_valid():
        messages.error(request, _("Hãy chọn loại dữ liệu và năm hợp lệ để tải biểu mẫu."))
        return redirect("data_exchange:import")
    kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
    data = selectors.template_file(kind=kind, user=request.user, year=year)
    return _download(data, f"bieu-mau-{kind}-{year}.xlsx", "xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def export_download(request):
    """An export of the user's scope, made by a background job (jobs/exports.py): a POST starts it and
    opens its page; a GET (an old link) shows the button that starts it."""
    permissions.require(request.user, "data.import")
    form = ExportForm(request.POST if request.method == "POST" else request.GET, prefix="export")
    if not form.is_valid():
        messages.error(request, _("Hãy chọn loại dữ liệu, định dạng và năm hợp lệ để xuất."))
        return redirect("data_exchange:import")
    kind, fmt, year = (form.cleaned_data[k] for k in ("kind", "format", "year"))
    title = _("Xuất %(kind)s – %(year)s (.%(format)s)") % {
        "kind": str(_kind_label(kind)).lower(), "year": year or _("tất cả các năm"), "format": fmt}
    if request.method == "POST":
        return jobs_views.start(request, kind=JobKind.DATA_EXPORT, title=title,
                                params={"kind": kind, "format": fmt, "year": year})
    return jobs_views.confirm(request, title=title, fields={
        "export-kind": kind, "export-format": fmt, "export-year": year or ""})


@login_required
@require_GET
def preview(request, pk):
    permissions.require(request.user, "data.import")
    pending = get_object_or_404(selectors.pending_import_list(user=request.user), pk=pk)
    return render(request, "data_exchange/preview.html", {
        "pending": pending, "kind_label": _kind_label(pending.kind), **selectors.pending_import_preview(pending=pending),
    })


@login_required
@require_POST
def confirm(request, pk):
    permissions.require(request.user, "data.import")
    pending = get_object_or_404(selectors.pending_import_list(user=request.user, consumed=None), pk=pk)
    try:
        plan = services.pending_import_confirm(pending=pending, user=request.user)
    except services.AlreadyImported:
        messages.warning(request, _("Tệp này đã được nhập hoặc không còn hiệu lực; không có gì thay đổi."))
        return redirect("data_exchange:import")
    except services.ImportRejected:
        event("import.rejected", level=logging.WARNING, kind=pending.kind, file_name=pending.file_name,
              stage="confirm", user_id=request.user.pk)
        messages.error(request, _("Dữ liệu đã thay đổi từ lúc xem trước và tệp không còn hợp lệ; "
                                  "không có gì được ghi. Hãy xem lại danh sách lỗi."))
        return redirect("data_exchange:preview", pk=pending.pk)
    totals = plan.totals()
    event("import.done", kind=plan.kind, file_name=plan.file_name, user_id=request.user.pk, **_rows(totals))
    messages.success(request, _(
        "Đã nhập %(kind)s từ tệp %(name)s: %(created)s tạo mới, %(updated)s cập nhật, %(unchanged)s giữ nguyên."
    ) % {"kind": _kind_label(plan.kind).lower(), "name": plan.file_name,
         **{k: number_format(v, force_grouping=True) for k, v in totals.items()}})
    return redirect("data_exchange:import")
