"""One shape for every error the API answers, in the request's language (Accept-Language: vi or en).

`{"detail": "<message for a person>", "code": "<stable key>", "errors": {"<field>": ["…"]}}` — `errors`
only for invalid input. The status codes are the pages': 400 bad input or a broken rule, 401 no valid
credentials, 403 inside the scope but not allowed, 404 outside the scope (or nothing there), 409 a
stale version, 429 too many requests.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from assessments.services import DomainError, StaleAssessmentError


class RuleBroken(exceptions.APIException):
    status_code = 400
    default_code = "rule"


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


def _message(exc: exceptions.APIException) -> str:
    """DRF's own English messages replaced by the portal's (DRF's Vietnamese catalogue is a stub)."""
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Cần đăng nhập, hoặc gửi mã truy cập trong tiêu đề Authorization: Bearer <mã>.")
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) == str(exc.default_detail):
        return _("Không tìm thấy.")
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail) == str(exc.default_detail):
        return _("Bạn không có quyền thực hiện thao tác này.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Địa chỉ này không nhận phương thức đó.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Chỉ nhận nội dung JSON (Content-Type: application/json).")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Chỉ trả lời bằng JSON (Accept: application/json).")
    if isinstance(exc, exceptions.ParseError):
        return _("Nội dung gửi lên không phải JSON hợp lệ.")
    if isinstance(exc, exceptions.Throttled):
        return _("Quá nhiều yêu cầu với mã truy cập này; hãy thử lại sau %(wait)s giây.") % {"wait": exc.wait or 1}
    return str(exc.detail)


def exception_handler(exc, context):
    if isinstance(exc, StaleAssessmentError):
        exc = Conflict(str(exc))
    elif isinstance(exc, DomainError):
        exc = RuleBroken(str(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's 500 handling and logging
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": _("Dữ liệu gửi lên không hợp lệ."), "code": "invalid", "errors": errors}
    else:
        if not isinstance(exc, exceptions.APIException):  # Http404, PermissionDenied: DRF converted them
            exc = exceptions.NotFound() if response.status_code == 404 else exceptions.PermissionDenied()
        response.data = {"detail": _message(exc), "code": exc.default_code}
    return response


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Thông báo cho người dùng, theo Accept-Language (vi hoặc en).")
    code = serializers.CharField(help_text="Mã lỗi ổn định: invalid, rule, not_authenticated, "
                                           "authentication_failed, permission_denied, not_found, conflict, throttled…")
    errors = serializers.DictField(
        required=False, child=serializers.JSONField(),
        help_text="Chỉ khi dữ liệu không hợp lệ: tên trường → các lỗi của trường đó.",
    )
