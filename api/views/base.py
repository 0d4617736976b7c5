"""What every API view shares: the language of the answer, validated query parameters, no caching."""

from __future__ import annotations

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from ..errors import ErrorSerializer


def api_language(request) -> str:
    """The language asked for in Accept-Language if the portal has it (vi, en), else Vietnamese.

    The pages follow the language switch (a cookie) and ignore the browser's header; a program
    calling the API says what it wants in the header.
    """
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# The answers every operation may give besides its own (the same codes as the pages, DESIGN §4).
READ_ERRORS = {
    400: error("Tham số không hợp lệ."),
    401: error("Thiếu mã truy cập, mã sai, đã hết hạn hoặc đã bị thu hồi."),
    403: error("Trong phạm vi nhưng vai trò không được phép."),
    404: error("Không có, hoặc ngoài phạm vi của bạn."),
    429: error("Quá nhiều yêu cầu với mã truy cập này."),
}
WRITE_ERRORS = {
    **READ_ERRORS,
    400: error("Dữ liệu không hợp lệ, hoặc trái quy tắc nghiệp vụ (thông báo nói rõ)."),
    403: error("Vai trò không được phép, hoặc mã truy cập chỉ được đọc."),
    409: error("Phiên bản đã cũ: có người vừa lưu; không có gì bị thay đổi."),
    415: error("Chỉ nhận application/json."),
}


class ApiMixin:
    params_class = None

    def initial(self, request, *args, **kwargs):
        language = api_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        response["Content-Language"] = translation.get_language()
        response["Cache-Control"] = "private, no-store"
        return response

    @cached_property
    def params(self) -> dict:
        """The validated query parameters (a 400 on any bad value); the last one wins when repeated."""
        if self.params_class is None:
            return {}
        serializer = self.params_class(data=self.request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ApiView(ApiMixin, APIView):
    pass


class ListView(ApiMixin, generics.ListAPIView):
    pass


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    """Any other address under /api/: a JSON 404, like every other answer of the API."""

    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        if not request.path.endswith("/"):
            try:
                match = resolve(request.path + "/")
            except Resolver404:
                match = None
            if match is not None and match.url_name != "not_found":
                raise NotFound(_("Các địa chỉ API kết thúc bằng “/”: %(path)s/") % {"path": request.path})
        raise NotFound

    post = put = patch = delete = head = options = get
