"""A signed-in user whose role requires two-factor sign-in and whose session has not passed it reaches
nothing but the pages that let them pass it: enrolment (no authenticator yet) or the code step."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import two_factor

# What such a user may still open: the steps themselves, signing out, the language switch.
OPEN_VIEWS = {"accounts:login", "accounts:login_code", "accounts:logout", "accounts:two_factor", "set_language"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        # Officers and other optional roles pay nothing here: no query unless the role requires it.
        if not user.is_authenticated or not two_factor.is_required(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_VIEWS:
            return None
        if request.path.startswith("/api/"):
            # A program reading the API with this browser session gets an answer it can read, not a sign-in page.
            return JsonResponse({"detail": _("Cần hoàn tất xác thực hai lớp trước khi dùng API."),
                                 "code": "two_factor_required", "errors": {}}, status=403)
        target = "accounts:login_code" if two_factor.is_enrolled(user) else "accounts:two_factor"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
