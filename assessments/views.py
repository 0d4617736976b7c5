"""Assessment entry and review pages. Thin: scoped selector → one service → redirect with a message."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions

from . import selectors, services
from .forms import (
    CriterionSaveForm,
    EvidenceUploadForm,
    RecallForm,
    RecognitionForm,
    RegistrationForm,
    ReopenForm,
    ReviewForm,
    RevokeForm,
    SelfAssessmentForm,
    StartForm,
)
from .models import Result, Status

RECOGNITION_CAPABILITIES = ("recognition.record_commune", "recognition.record_district", "recognition.record_province")


def _require_any(user, capabilities) -> None:
    if not any(permissions.has_capability(user, c) for c in capabilities):
        raise PermissionDenied


def _file_response(file, filename: str, content_type: str):
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(_("Không tìm thấy tệp.")) from error
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _stale_data(request, assessment):
    """The user's own input, re-based on the latest version so that saving again is a deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(assessment.version)
    return data


def _mark_differences(form, results, *pairs) -> None:
    """Flag criteria where what the user typed differs from the latest saved values."""
    form.is_valid()
    for result in results:
        typed = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        result.differs = any(
            (typed.get(f"c{result.criterion_id}_{field}") or "").strip() != (getattr(result, attr) or "").strip()
            and not (field == "result" and not typed.get(f"c{result.criterion_id}_{field}")
                     and result.self_result == "not_yet")
            for field, attr in pairs
        )


# ---------------------------------------------------------------- commune officer


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
        "rows": [(r, _criterion_fields(form, r, "result", "note", "files")) for r in results] if editable else None,
        "timeline": selectors.assessment_timeline(assessment=assessment),
        "can_review": permissions.has_capability(user, "assessment.review") and assessment.status == Status.SUBMITTED,
        "can_reopen": permissions.has_capability(user, "assessment.reopen") and assessment.status == Status.VERIFIED,
        "reopen_form": ReopenForm(initial={"version": assessment.version}),
        "recall": _recall_state(user, assessment),
        "answered": sum(1 for r in results if r.self_result != "not_yet"),
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


def _criterion_fields(form, result, *names):
    return {name: form[f"c{result.criterion_id}_{name}"] for name in names}


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    results = selectors.result_list(assessment=assessment)
    if request.method == "GET":
        return render(request, "assessments/assessment_detail.html", _detail_context(request, assessment, results))

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
            form = SelfAssessmentForm(_stale_data(request, assessment), results=results)
            _mark_differences(form, results, ("result", "self_result"), ("note", "note"))
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
                messages.success(request, _("Đã gửi đánh giá năm %(year)s lên cấp huyện.") % {"year": assessment.year})
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


# ---------------------------------------------------------------- evidence


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return _file_response(evidence.file, evidence.original_name, evidence.content_type)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    permissions.require(request.user, "assessment.edit")
    assessment_pk = evidence.result.assessment_id
    try:
        services.evidence_delete(evidence=evidence, actor=request.user)
    except services.DomainError as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=400)
        messages.error(request, str(error))
    else:
        done = _("Đã xóa tệp minh chứng “%(name)s”.") % {"name": evidence.original_name}
        if _wants_json(request):
            # The page removes the file from its list and keeps every field as typed.
            return JsonResponse({"deleted": pk, "message": done})
        messages.success(request, done)
    return redirect("assessments:assessment_detail", pk=assessment_pk)


@login_required
@require_POST
def evidence_upload(request, pk: int, criterion_id: int):
    """One evidence file of one criterion, sent on its own by the page (progress bar, retry)."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, "assessment.edit")
    result = selectors.result_get(assessment=assessment, criterion_id=criterion_id)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": _("Chưa chọn tệp hoặc tệp không đọc được.")}, status=400)
    try:
        evidence = services.evidence_add(result=result, actor=request.user, upload=form.cleaned_data["file"])
    except services.DomainError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({
        "id": evidence.pk,
        "name": evidence.original_name,
        "size": filesizeformat(evidence.size),
        "download_url": reverse("assessments:evidence_download", args=[evidence.pk]),
        "delete_url": reverse("assessments:evidence_delete", args=[evidence.pk]),
    }, status=201)


# ---------------------------------------------------------------- district reviewer


def _year_from(request) -> int:
    year = selectors.current_year()
    raw = request.GET.get("year")
    if raw:
        try:
            value = int(raw)
            services.check_year(value)
        except (ValueError, services.DomainError):
            messages.error(request, _("Năm “%(year)s” không hợp lệ; đang hiển thị năm %(current)s.") % {
                "year": raw[:10], "current": year})
        else:
            year = value
    return year


@login_required
@require_GET
def reviewer_inbox(request):
    permissions.require(request.user, "assessment.review")
    year = _year_from(request)
    rows = selectors.unit_status_table(user=request.user, year=year)
    counts = {status: 0 for status in Status.values}
    for row in rows:
        if row.assessment:
            counts[row.assessment.status] += 1
    return render(request, "assessments/reviewer_inbox.html", {
        "inbox": list(selectors.review_inbox(user=request.user)),
        "rows": rows,
        "year": year,
        "years": list(reversed(services.year_range())),
        "counts": [(Status(s).label, s, n) for s, n in counts.items()],
        "not_started": sum(1 for row in rows if row.assessment is None),
        "deadlines": selectors.review_deadlines(year),
        # A past deadline is worth a warning only while something of that year still waits.
        "waiting": counts[Status.SUBMITTED],
        "Status": Status,
    })


@login_required
@require_http_methods(["GET", "POST"])
def assessment_review(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, "assessment.review")
    results = selectors.result_list(assessment=assessment)
    status = 200
    conflict = None
    if request.method == "POST":
        form = ReviewForm(request.POST, results=results)
        if form.is_valid():
            decision = form.cleaned_data["action"]
            try:
                services.assessment_review_update(
                    assessment=assessment, actor=request.user, version=form.cleaned_data["version"],
                    values=form.values(), decision=decision, reason=form.cleaned_data["reason"],
                )
            except services.StaleAssessmentError as error:
                assessment.refresh_from_db()
                results = selectors.result_list(assessment=assessment)
                form = ReviewForm(_stale_data(request, assessment), results=results)
                _mark_differences(form, results, ("verified", "verified_result"), ("comment", "reviewer_comment"))
                conflict, status = str(error), 409
            except services.DomainError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                done = {
                    "save": _("Đã lưu kết quả thẩm định."),
                    "return": _("Đã trả lại đánh giá của %(unit)s.") % {"unit": assessment.unit},
                    "verify": _("Đã xác nhận thẩm định đánh giá của %(unit)s.") % {"unit": assessment.unit},
                }
                messages.success(request, done[decision])
                if decision == "save":
                    return redirect("assessments:assessment_review", pk=assessment.pk)
                return redirect("assessments:reviewer_inbox")
        else:
            status = 400
    else:
        form = ReviewForm(initial={"version": assessment.version}, results=results)
        # From now on the officer can no longer take the submission back.
        services.assessment_mark_review_opened(assessment=assessment, actor=request.user)
    return render(request, "assessments/assessment_review.html", {
        "assessment": assessment,
        "form": form,
        "rows": [(r, _criterion_fields(form, r, "verified", "comment")) for r in results],
        "reviewable": assessment.status == Status.SUBMITTED,
        "conflict": conflict,
        "timeline": selectors.assessment_timeline(assessment=assessment),
        "Status": Status,
    }, status=status)


# ---------------------------------------------------------------- recognitions


def _recognition_page(request, form=None, status=200):
    user = request.user
    can_record = any(permissions.has_capability(user, c) for c in RECOGNITION_CAPABILITIES)
    if form is None and can_record:
        form = RecognitionForm(user=user, units=selectors.eligible_unit_list(user=user))
    recognitions = list(selectors.recognition_list(user=user))
    history = selectors.recognition_history(recognitions)
    for recognition in recognitions:
        recognition.timeline = history.get(recognition.pk, [])
        recognition.can_revoke = not recognition.revoked_on and permissions.has_capability(
            user, services.LEVEL_CAPABILITY[recognition.level]
        )
    return render(request, "assessments/recognition_list.html", {
        "recognitions": recognitions,
        "form": form,
        "revoke_form": RevokeForm(),
    }, status=status)


@login_required
@require_GET
def recognition_list(request):
    _require_any(request.user, RECOGNITION_CAPABILITIES)
    return _recognition_page(request)


@login_required
@require_POST
def recognition_create(request):
    _require_any(request.user, RECOGNITION_CAPABILITIES)
    form = RecognitionForm(request.POST, request.FILES, user=request.user,
                           units=selectors.eligible_unit_list(user=request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            recognition = services.recognition_create(
                unit=data["unit"], level=data["level"], decision_number=data["decision_number"],
                decision_date=data["decision_date"], issued_by=data["issued_by"], actor=request.user,
                scan=data.get("scan") or None, historical=data.get("historical", False),
                programme=data["programme"].code if data.get("programme") else None,
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã ghi nhận quyết định công nhận %(unit)s (%(level)s).") % {
                "unit": recognition.unit, "level": recognition.get_level_display().lower()})
            if recognition.rule_warning:
                messages.warning(request, _("Cảnh báo: %(problem)s") % {"problem": recognition.rule_warning})
            return redirect("assessments:recognition_list")
    return _recognition_page(request, form, status=400)


@login_required
@require_POST
def recognition_revoke(request, pk: int):
    recognition = selectors.recognition_get(user=request.user, pk=pk)
    _require_any(request.user, RECOGNITION_CAPABILITIES)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi ngày thu hồi hợp lệ và lý do thu hồi."))
        return redirect("assessments:recognition_list")
    try:
        services.recognition_revoke(recognition=recognition, actor=request.user,
                                    revoked_on=form.cleaned_data["revoked_on"], reason=form.cleaned_data["reason"])
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thu hồi quyết định %(number)s.") % {"number": recognition.decision_number})
    return redirect("assessments:recognition_list")


@login_required
@require_GET
def recognition_scan(request, pk: int):
    recognition = selectors.recognition_get(user=request.user, pk=pk)
    if not recognition.scan:
        raise Http404(_("Quyết định này không có bản quét."))
    content_type = mimetypes.guess_type(recognition.scan_name)[0] or "application/octet-stream"
    return _file_response(recognition.scan, recognition.scan_name, content_type)


# ---------------------------------------------------------------- pilot registrations


def _registration_page(request, form=None, status=200):
    units = selectors.eligible_unit_list(user=request.user)
    return render(request, "assessments/registration_list.html", {
        "registrations": list(selectors.registration_list(user=request.user)),
        "form": form or RegistrationForm(units=units, initial={"year": selectors.current_year()}),
    }, status=status)


@login_required
@require_GET
def registration_list(request):
    permissions.require(request.user, "registration.manage")
    return _registration_page(request)


@login_required
@require_POST
def registration_create(request):
    permissions.require(request.user, "registration.manage")
    form = RegistrationForm(request.POST, units=selectors.eligible_unit_list(user=request.user))
    if form.is_valid():
        try:
            registration = services.registration_create(
                unit=form.cleaned_data["unit"], year=form.cleaned_data["year"], actor=request.user,
                note=form.cleaned_data["note"],
                programme=form.cleaned_data["programme"].code if form.cleaned_data.get("programme") else None,
            )
        except services.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã ghi nhận %(unit)s đăng ký xây dựng điểm năm %(year)s.") % {
                "unit": registration.unit, "year": registration.year})
            return redirect(reverse("assessments:registration_list"))
    return _registration_page(request, form, status=400)


@login_required
@require_POST
def registration_delete(request, pk: int):
    registration = selectors.registration_get(user=request.user, pk=pk)
    permissions.require(request.user, "registration.manage")
    try:
        services.registration_delete(registration=registration, actor=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã bỏ đăng ký xây dựng điểm của %(unit)s năm %(year)s.") % {
            "unit": registration.unit, "year": registration.year})
    return redirect("assessments:registration_list")
