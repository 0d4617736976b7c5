"""Recognition decisions and pilot registrations."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions

from .. import selectors, services
from ..forms import (
    RecognitionForm,
    RegistrationForm,
    RevokeForm,
)
from .common import RECOGNITION_CAPABILITIES, file_response, require_any


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
    require_any(request.user, RECOGNITION_CAPABILITIES)
    return _recognition_page(request)


@login_required
@require_POST
def recognition_create(request):
    require_any(request.user, RECOGNITION_CAPABILITIES)
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
    require_any(request.user, RECOGNITION_CAPABILITIES)
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
    return file_response(recognition.scan, recognition.scan_name, content_type)




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
