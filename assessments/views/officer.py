"""The commune officer's pages: home, start, the assessment form, autosave, prefill, recall, reopen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.offline import offline_key

from .. import selectors, services
from ..forms import (
    CriterionSaveForm,
    RecallForm,
    ReopenForm,
    SelfAssessmentForm,
    StartForm,
)
from ..models import Result, Status
from .common import criterion_fields, mark_differences, other_user_answer, stale_data


@login_required
@require_GET
def officer_home(request):
    permissions.require(request.user, "assessment.edit")
    unit = request.user.unit
    year = selectors.current_year()
    assessments = list(selectors.assessment_list_for_unit(user=request.user, unit=unit))
    current = selectors.officer_programmes(unit=unit, year=year, assessments=assessments)
    shown = {c.assessment.pk for c in current if c.assessment}
    return render(request, "assessments/officer_home.html", {
        "unit": unit,
        "year": year,
        "current": current,
        "in_force": unit.in_force_on(selectors.today()),
        "earlier": [a for a in assessments if a.pk not in shown],
        "Status": Status,
    })


@login_required
@require_POST
def assessment_start(request):
    permissions.require(request.user, "assessment.edit")
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Năm không hợp lệ."))
        return redirect("assessments:officer_home")
    try:
        assessment = services.assessment_get_or_create(
            unit=request.user.unit, year=form.cleaned_data["year"], actor=request.user,
            programme=form.cleaned_data.get("programme") or None,
        )
    except services.DomainError as error:
        messages.error(request, str(error))
        return redirect("assessments:officer_home")
    return redirect("assessments:assessment_detail", pk=assessment.pk)


def _detail_context(request, assessment, results, form=None, **extra):
    user = request.user
    editable = permissions.has_capability(user, "assessment.edit") and assessment.status in (
        Status.DRAFT, Status.RETURNED,
    )
    if editable and form is None:
        form = SelfAssessmentForm(initial={"version": assessment.version}, results=results)
    if editable:
        extra.setdefault("autosave", _autosave_config(assessment, results, conflict=bool(extra.get("conflict"))))
        extra.setdefault("error_summary", _error_summary(form, results))
    return {
        "assessment": assessment,
        "results": results,
        "form": form if editable else None,
        "rows": [(r, criterion_fields(form, r, "result", "note", "files")) for r in results] if editable else None,
        "timeline": selectors.assessment_timeline(
            assessment=assessment, edits=None if request.GET.get("timeline") == "all" else selectors.TIMELINE_EDITS),
        "can_review": permissions.has_capability(user, "assessment.review") and assessment.status == Status.SUBMITTED,
        "can_reopen": permissions.has_capability(user, "assessment.reopen") and assessment.status == Status.VERIFIED,
        "reopen_form": ReopenForm(initial={"version": assessment.version}),
        "recall": _recall_state(user, assessment),
        "answered": sum(1 for r in results if r.self_result != "not_yet"),
        "result_choices": Result.choices,
        "can_prefill": editable and services.can_prefill_from_previous_year(assessment),
        "Status": Status,
        **extra,
    }


def _recall_state(user, assessment) -> str:
    """"open" (the officer may take it back), "closed" (a reviewer opened it) or "" (not the officer's case)."""
    if not permissions.has_capability(user, "assessment.edit") or assessment.status != Status.SUBMITTED:
        return ""
    return "open" if services.can_recall(assessment) else "closed"


def _autosave_config(assessment, results, *, conflict: bool) -> dict:
    """What the page's script needs (json_script): where to save, the saved values, and its words."""
    return {
        "assessment": assessment.pk,
        "version": assessment.version,
        "conflict": conflict,
        "save_url": reverse("assessments:criterion_save", args=[assessment.pk]),
        "page_url": reverse("assessments:assessment_detail", args=[assessment.pk]),
        "sw_url": reverse("assessments:service_worker"),
        "results": [{"criterion": r.criterion_id, "self_result": r.self_result, "note": r.note} for r in results],
        "result_labels": {value: str(label) for value, label in Result.choices},
        "text": {
            "saved": _("Đã lưu lúc %(time)s"),
            "unsaved": _("Chưa lưu"),
            "saving": _("Đang lưu…"),
            "error": _("Lỗi – thử lại"),
            "offline": _("Mất kết nối mạng. Những gì bạn nhập được giữ trên máy này và sẽ tự gửi khi có mạng lại."),
            "restored": _("Đã khôi phục %(count)s thay đổi chưa lưu từ máy này."),
            "conflict": _("Tiêu chí này vừa được người khác lưu với nội dung khác. Không mất bản nào; hãy chọn bản cần giữ:"),
            "server": _("Bản đã lưu trên máy chủ"),
            "yours": _("Bản bạn vừa nhập"),
            "keep_mine": _("Giữ bản của tôi"),
            "use_server": _("Dùng bản trên máy chủ"),
            "no_note": _("(không có ghi chú)"),
            "leave": _("Còn thay đổi chưa lưu. Bạn có chắc muốn rời trang?"),
            "uploading": _("Đang tải lên %(name)s"),
            "upload_failed": _("Không tải lên được tệp “%(name)s”."),
            "network": _("Mất kết nối mạng."),
            "retry": _("Thử lại"),
            "dismiss": _("Bỏ qua"),
            "delete": _("Xóa"),
            "confirm_delete": _("Xóa tệp minh chứng “%(name)s”?"),
            "delete_failed": _("Không xóa được tệp; hãy thử lại."),
            "commented": _("có ý kiến của cấp trên"),
            "has_files": _("có tệp minh chứng"),
            "jump_label": _("Tiêu chí %(number)s: %(state)s"),
            "expired": _("Phiên đăng nhập đã hết hạn: chưa lưu được."),
            "stale_copy": _("Đây là bản trang lưu trên máy khi mất mạng. Các thay đổi từng tiêu chí sẽ tự gửi khi có "
                            "mạng, rồi trang tự tải lại; sau đó mới lưu hoặc gửi cả trang."),
        },
    }


def _error_summary(form, results) -> list[dict]:
    """Criteria with an error after a failed save or submit, for the summary at the top of the page."""
    if form is None or not form.is_bound:
        return []
    summary = []
    for result in results:
        errors = [str(e) for name in ("result", "note", "files") for e in form.errors.get(f"c{result.criterion_id}_{name}", [])]
        if errors:
            summary.append({"number": result.criterion.number, "title": result.criterion.title, "errors": errors})
    return summary



@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    results = selectors.result_list(assessment=assessment)
    if request.method == "GET":
        context = _detail_context(request, assessment, results)
        response = render(request, "assessments/assessment_detail.html", context)
        if context.get("autosave"):
            # The officer's form: the service worker keeps a copy of it for this officer only (sw.js).
            response["X-Offline-Key"] = offline_key(request.user)
        return response

    permissions.require(request.user, "assessment.edit")
    if assessment.status not in (Status.DRAFT, Status.RETURNED):
        messages.error(request, _("Đánh giá ở trạng thái “%(status)s” không thể sửa.") % {
            "status": assessment.get_status_display()})
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    form = SelfAssessmentForm(request.POST, request.FILES, results=results)
    if form.is_valid():
        submit = form.cleaned_data["action"] == "submit"
        try:
            services.assessment_self_update(
                assessment=assessment, actor=request.user, version=form.cleaned_data["version"],
                values=form.values(), evidence=form.evidence(), submit=submit,
            )
        except services.StaleAssessmentError as error:
            assessment.refresh_from_db()
            results = selectors.result_list(assessment=assessment)
            form = SelfAssessmentForm(stale_data(request, assessment), results=results)
            mark_differences(form, results, ("result", "self_result"), ("note", "note"))
            return render(request, "assessments/assessment_detail.html", _detail_context(
                request, assessment, results, form, conflict=str(error)), status=409)
        except services.DomainError as error:
            form.add_error(None, str(error))
        else:
            confirmed = [int(v) for v in request.POST.getlist("confirm") if v.isdigit()]
            if confirmed:
                services.assessment_confirm_criteria(assessment=assessment, actor=request.user,
                                                     criterion_ids=confirmed)
            if submit:
                messages.success(request, _("Đã gửi đánh giá năm %(year)s lên cấp trên để thẩm định.") % {"year": assessment.year})
            else:
                messages.success(request, _("Đã lưu nháp."))
            return redirect("assessments:assessment_detail", pk=assessment.pk)
    return render(request, "assessments/assessment_detail.html",
                  _detail_context(request, assessment, results, form), status=400)


def _result_json(result) -> dict:
    return {
        "criterion": result.criterion_id,
        "number": result.criterion.number,
        "self_result": result.self_result,
        "self_result_label": str(Result(result.self_result).label),
        "note": result.note,
    }


@login_required
@require_POST
def criterion_save(request, pk: int):
    """Autosave of one criterion (JSON). 409 on a stale version, with the saved value and the typed one."""
    if refused := other_user_answer(request):
        return refused
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, "assessment.edit")
    form = CriterionSaveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("Dữ liệu gửi lên không hợp lệ."), "fields": form.errors}, status=400)
    data = form.cleaned_data
    yours = {"self_result": data["self_result"] or Result.NOT_YET, "note": data["note"].strip()}
    try:
        version = services.assessment_save_criterion(
            assessment=assessment, actor=request.user, version=data["version"], criterion_id=data["criterion"],
            self_result=yours["self_result"], note=yours["note"],
        )
    except services.StaleAssessmentError as error:
        assessment.refresh_from_db()
        results = selectors.result_list(assessment=assessment)
        current = {r.criterion_id: _result_json(r) for r in results}
        if data["criterion"] not in current:
            raise Http404 from error
        yours["self_result_label"] = str(Result(yours["self_result"]).label)
        return JsonResponse({
            "error": str(error), "conflict": True, "version": assessment.version,
            "server": current[data["criterion"]], "yours": yours, "results": list(current.values()),
        }, status=409)
    except services.DomainError as error:
        return JsonResponse({"error": str(error)}, status=400)
    results = selectors.result_list(assessment=assessment)
    saved = next(r for r in results if r.criterion_id == data["criterion"])
    return JsonResponse({
        "version": version,
        "confirmed": True,
        "saved_at": timezone.localtime().strftime("%H:%M"),
        "saved": _result_json(saved),
        "answered": sum(1 for r in results if r.self_result != Result.NOT_YET),
        "total": len(results),
    })


@login_required
@require_POST
def assessment_prefill(request, pk: int):
    """Start from last year: fill an untouched draft with last year's answers and notes, to be confirmed."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, "assessment.edit")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    if version is None:
        messages.error(request, _("Trang đã cũ hoặc bị sửa đổi; hãy tải lại trang."))
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    try:
        filled = services.assessment_prefill_from_previous_year(assessment=assessment, actor=request.user,
                                                                version=version)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã lấy kết quả và ghi chú năm trước cho %(n)s tiêu chí; hãy xác nhận hoặc sửa "
                                    "từng tiêu chí. Tệp minh chứng không được sao chép.") % {"n": filled})
    return redirect("assessments:assessment_detail", pk=assessment.pk)


def _reason_step(request, pk: int, *, capability: str, form_class, service, missing: str, done: str):
    """A workflow step that needs a written reason (recall, reopen): scoped fetch, role, one service."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, capability)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, missing)
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    try:
        service(assessment=assessment, actor=request.user, reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"])
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("assessments:assessment_detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_recall(request, pk: int):
    """The officer takes back a submission no reviewer has opened yet, with a reason."""
    return _reason_step(request, pk, capability="assessment.edit", form_class=RecallForm,
                        service=services.assessment_recall, missing=_("Cần ghi lý do rút lại."),
                        done=_("Đã rút lại đánh giá về trạng thái Đang soạn; sửa xong hãy gửi lại."))


@login_required
@require_POST
def assessment_reopen(request, pk: int):
    return _reason_step(request, pk, capability="assessment.reopen", form_class=ReopenForm,
                        service=services.assessment_reopen, missing=_("Cần ghi lý do mở lại."),
                        done=_("Đã mở lại đánh giá để thẩm định lại."))


@login_required
@require_GET
def service_worker(request):
    """The officer form's service worker, served under /assessments/ so that its scope covers the form."""
    path = finders.find("assessments/sw.js")
    if not path:
        raise Http404
    with open(path, encoding="utf-8") as handle:
        response = HttpResponse(handle.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
