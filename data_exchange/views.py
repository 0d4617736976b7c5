"""Import page: template download, upload → check → preview → confirm; exports. Thin views over services.

The check and the import run as background jobs (data_exchange/jobs.py): the upload and the confirm only start
one and open its page, which shows the progress and then opens the preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
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
        title = _("Kiểm tra tệp %(name)s (%(kind)s)") % {"name": upload.name, "kind": str(_kind_label(kind)).lower()}
        pending = services.pending_import_upload(user=request.user, kind=kind, name=upload.name, data=upload.read(),
                                                 title=title, language=translation.get_language())
        return jobs_views.show(request, pending.check_job)
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
    """An export of the user's scope, made by a background job (data_exchange/jobs.py): a POST starts it and
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
    """What the check found, the button that imports the file, or (once imported) what was imported."""
    permissions.require(request.user, "data.import")
    pending = get_object_or_404(selectors.pending_import_list(user=request.user, consumed=None)
                                .select_related("confirm_job"), pk=pk)
    if pending.checked_at is None:
        if pending.check_job_id is None:
            raise Http404
        return redirect("jobs:detail", pk=pending.check_job_id)  # still being checked, or its check failed
    return render(request, "data_exchange/preview.html", {
        "pending": pending, "kind_label": _kind_label(pending.kind), "confirm_job": pending.confirm_job,
        **selectors.pending_import_preview(pending=pending),
    })


@login_required
@require_POST
def confirm(request, pk):
    """Start the import of a previewed file (a job) and open its page; a second click opens the same job."""
    permissions.require(request.user, "data.import")
    pending = get_object_or_404(selectors.pending_import_list(user=request.user, consumed=None), pk=pk)
    title = _("Nhập %(kind)s từ tệp %(name)s") % {"kind": str(_kind_label(pending.kind)).lower(),
                                                  "name": pending.file_name}
    try:
        job = services.pending_import_confirm_start(pending=pending, user=request.user, title=title,
                                                    language=translation.get_language())
    except services.NotConfirmable:
        messages.warning(request, _("Tệp này có lỗi, chưa kiểm tra xong hoặc đã được nhập; không có gì thay đổi."))
        return redirect("data_exchange:preview", pk=pending.pk)
    return jobs_views.show(request, job)
