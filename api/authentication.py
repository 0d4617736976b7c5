"""`Authorization: Bearer <token>`: a personal access token stands for its user, in their role and scope.

It comes first among the authentication classes so that a request without credentials is a 401 with a
`WWW-Authenticate: Bearer` header (DRF answers 403 when the first class names no scheme).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .selectors import token_for
from .services import api_token_touch, split_token

INVALID = _("Mã truy cập không hợp lệ.")


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None  # no token: the session may still sign the request in
        if len(parts) != 2:
            raise AuthenticationFailed(INVALID)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(INVALID) from None
        prefix = split_token(raw)
        token = token_for(raw, prefix) if prefix else None
        if token is None:
            raise AuthenticationFailed(INVALID)
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("Mã truy cập đã bị thu hồi."))
        if token.is_expired:
            raise AuthenticationFailed(_("Mã truy cập đã hết hạn."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("Tài khoản này đã bị khóa."))
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Mã truy cập cá nhân (Tài khoản của tôi → Mã truy cập API), gửi trong tiêu đề "
                           "`Authorization: Bearer cpt_…`.",
        }
