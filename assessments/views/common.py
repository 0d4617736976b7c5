"""What the assessment pages share: capability checks, file responses, stale-form helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.offline import offline_key
from criteria_portal.downloads import download

RECOGNITION_CAPABILITIES = ("recognition.record_commune", "recognition.record_district", "recognition.record_province")


def require_any(user, capabilities) -> None:
    if not any(permissions.has_capability(user, c) for c in capabilities):
        raise PermissionDenied


def other_user_answer(request) -> JsonResponse | None:
    """A request from a page opened by another user of this browser (X-Offline-Key, sent by the officer form's
    scripts), now sent with whoever signed in since: refused, nothing changes. A shared phone must not save one
    officer's typing under another's name."""
    sent = request.headers.get("X-Offline-Key")
    if sent is None or sent == offline_key(request.user):
        return None
    return JsonResponse({"error": _("Trang này được mở bởi một người dùng khác đã đăng xuất; hãy tải lại trang."),
                         "other_user": True}, status=403)


def file_response(file, filename: str, content_type: str):
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(_("Không tìm thấy tệp.")) from error
    return download(handle, filename=filename, content_type=content_type)


def stale_data(request, assessment):
    """The user's own input, re-based on the latest version so that saving again is a deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(assessment.version)
    return data


def mark_differences(form, results, *pairs) -> None:
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

def criterion_fields(form, result, *names):
    return {name: form[f"c{result.criterion_id}_{name}"] for name in names}
