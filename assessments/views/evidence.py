"""Evidence files: download, upload (one by one, JSON), delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import permissions

from .. import selectors, services
from ..forms import (
    EvidenceUploadForm,
)
from .common import file_response, other_user_answer


@login_required
@require_GET
def evidence_download(request, pk: int):
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return file_response(evidence.file, evidence.original_name, evidence.content_type)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def evidence_delete(request, pk: int):
    if refused := other_user_answer(request):
        return refused
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
    if refused := other_user_answer(request):
        return refused
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
