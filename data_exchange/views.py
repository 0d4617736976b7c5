"""Import page: template download, upload → preview → confirm; exports. Thin views over services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions

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
    if isinstance(data, bytes):
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Scoped data: never kept by a shared proxy or left in the browser's cache (as the reports' exports).
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    permissions.require(request.user, "data.import")
    upload_form = UploadForm(request.POST or None, request.FILES or None, prefix="upload")
    if request.method == "POST" and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        pending = services.pending_import_create(
            user=request.user, kind=upload_form.cleaned_data["kind"], name=upload.name, data=upload.read()
        )
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
@require_GET
def export_download(request):
    permissions.require(request.user, "data.import")
    form = ExportForm(request.GET, prefix="export")
    if not form.is_valid():
        messages.error(request, _("Hãy chọn loại dữ liệu, định dạng và năm hợp lệ để xuất."))
        return redirect("data_exchange:import")
    kind, fmt, year = (form.cleaned_data[k] for k in ("kind", "format", "year"))
    if fmt == "csv":  # streamed: a large export never sits whole in the worker's memory
        data = selectors.export_csv_chunks(kind=kind, user=request.user, year=year)
    else:
        data = selectors.export_file(kind=kind, fmt=fmt, user=request.user, year=year)
    suffix = f"-{year}" if year else ""
    return _download(data, f"{kind}{suffix}-{timezone.localdate():%Y%m%d}.{fmt}", fmt)


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
        messages.error(request, _("Dữ liệu đã thay đổi từ lúc xem trước và tệp không còn hợp lệ; "
                                  "không có gì được ghi. Hãy xem lại danh sách lỗi."))
        return redirect("data_exchange:preview", pk=pending.pk)
    totals = plan.totals()
    messages.success(request, _(
        "Đã nhập %(kind)s từ tệp %(name)s: %(created)s tạo mới, %(updated)s cập nhật, %(unchanged)s giữ nguyên."
    ) % {"kind": _kind_label(plan.kind).lower(), "name": plan.file_name,
         **{k: number_format(v, force_grouping=True) for k, v in totals.items()}})
    return redirect("data_exchange:import")
