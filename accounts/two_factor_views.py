"""Sign-in (password → code) and the user's own two-factor page (enrolment, recovery codes, turning it off).

A user with an authenticator is not signed in by the password: the password step keeps them *pending*
in the session (user id, backend, where to go, when) and the code step signs them in. Failed codes are
failed sign-ins for django-axes (the `user_login_failed` signal, same username and address as the
password), so a locked account can try neither passwords nor codes.
"""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import two_factor
from .forms import CodeForm, EnrolForm, LoginForm, PasswordConfirmForm
from .models import User

PENDING = "two_factor_pending"


class PortalLoginView(auth_views.LoginView):
    """The password step. Without an authenticator it signs in as before (a role that requires one is
    then sent to enrolment by the middleware); with one it hands over to the code step."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_enrolled(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": int(time.time()),
                                         "next": self.get_success_url()}
        return redirect("accounts:login_code")


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _second_step_user(request) -> tuple[User | None, dict | None]:
    """Who is at the code step: the pending user (password given within the last minutes), or a signed-in
    user whose session has not passed a second factor yet (e.g. signed in before enrolling elsewhere)."""
    if request.user.is_authenticated:
        if request.user.is_verified() or not two_factor.is_enrolled(request.user):
            return None, None
        return request.user, None
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None, None
    if time.time() - pending.get("at", 0) > settings.PORTAL_2FA_PENDING_MINUTES * 60:
        del request.session[PENDING]
        messages.info(request, _("Đã quá %(n)s phút sau khi nhập mật khẩu; hãy đăng nhập lại.")
                      % {"n": settings.PORTAL_2FA_PENDING_MINUTES})
        return None, None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second step: the authenticator's code or a recovery code."""
    user, pending = _second_step_user(request)
    if user is None:
        return redirect("home" if request.user.is_authenticated else "accounts:login")
    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not two_factor.code_allowed(user=user):
            form.add_error("code", _("Vừa có mã sai; hãy chờ vài giây rồi nhập lại."))
        else:
            device = two_factor.code_verify(user=user, code=form.cleaned_data["code"])
            if device is not None:
                return _signed_in(request, user, pending, device)
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                request.session.pop(PENDING, None)
                return get_lockout_response(request, None, credentials)
            form.add_error("code", _("Mã không đúng hoặc đã được dùng. Hãy nhập mã đang hiện trong ứng dụng, "
                                     "hoặc một mã dự phòng chưa dùng."))
    return render(request, "accounts/login_code.html", {"form": form, "pending_user": user},
                  status=400 if form.errors else 200)


def _signed_in(request, user, pending, device):
    if pending is not None:
        next_url = pending.get("next")
        del request.session[PENDING]
        user.backend = pending["backend"]
        auth_login(request, user)
    else:
        next_url = request.GET.get("next")
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = two_factor.recovery_codes_left(user)
        messages.warning(request, ngettext(
            "Bạn vừa dùng một mã dự phòng; còn %(n)s mã. Nếu mất điện thoại, hãy tạo mã mới hoặc nhờ quản trị viên "
            "đặt lại xác thực hai lớp.",
            "Bạn vừa dùng một mã dự phòng; còn %(n)s mã. Nếu mất điện thoại, hãy tạo mã mới hoặc nhờ quản trị viên "
            "đặt lại xác thực hai lớp.", left) % {"n": left})
    return redirect(_safe_next(request, next_url))


def _needs_second_step(request):
    """Managing an authenticator needs a session that passed it: the code step first."""
    if two_factor.is_enrolled(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:login_code')}?next={request.path}")
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_page(request):
    """Xác thực hai lớp: enrolment (QR code, manual key, first code) or, once enrolled, the status."""
    user = request.user
    if (step := _needs_second_step(request)) is not None:
        return step
    if two_factor.is_enrolled(user):
        if request.method == "POST":
            return redirect("accounts:two_factor")  # a second click on "enrol"
        return _status_page(request, PasswordConfirmForm())
    key, error = None, ""
    if request.method == "POST":
        form = EnrolForm(request.POST)
        try:
            key = two_factor.enrolment_key_from(user=user, token=request.POST.get("token", ""))
            if not form.is_valid():
                raise two_factor.TwoFactorError(_("Hãy nhập mã 6 chữ số đang hiện trong ứng dụng xác thực."))
            codes = two_factor.two_factor_enrol(user=user, key=key, code=form.cleaned_data["code"])
        except two_factor.TwoFactorError as refusal:
            error = str(refusal)
        else:
            otp_login(request, two_factor.totp_device(user))
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_after(request)})
    # The same secret after a wrong code (the app already holds it); a new one otherwise.
    key = key or two_factor.enrolment_key_new()
    return render(request, "accounts/two_factor.html", {
        "enrolled": False, "form": EnrolForm(initial={"token": two_factor.enrolment_token(user=user, key=key)}),
        "error": error, "qr": two_factor.qr_data_uri(two_factor.otpauth_url(user=user, key=key)),
        "manual_key": two_factor.manual_key(key), "required": two_factor.is_required(user),
        "next": _next_after(request),
    }, status=400 if error else 200)


def _status_page(request, disable_form, status=200):
    return render(request, "accounts/two_factor.html", {
        "enrolled": True, "codes_left": two_factor.recovery_codes_left(request.user),
        "required": two_factor.is_required(request.user), "disable_form": disable_form,
    }, status=status)


def _next_after(request) -> str:
    return _safe_next(request, request.GET.get("next") or request.POST.get("next"))


@login_required
@require_POST
def recovery_codes_regenerate(request):
    if (step := _needs_second_step(request)) is not None:
        return step
    try:
        codes = two_factor.two_factor_recovery_codes_regenerate(user=request.user)
    except two_factor.TwoFactorError as error:
        messages.error(request, str(error))
        return redirect("accounts:two_factor")
    messages.success(request, _("Đã tạo mã dự phòng mới; các mã cũ không còn dùng được."))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:account")})


@login_required
@require_POST
def two_factor_disable(request):
    if (step := _needs_second_step(request)) is not None:
        return step
    form = PasswordConfirmForm(request.POST)
    if form.is_valid():
        # Through the backends, so that django-axes counts a wrong password here too.
        if authenticate(request, username=request.user.username, password=form.cleaned_data["password"]) is None:
            form.add_error("password", _("Mật khẩu không đúng."))
        else:
            try:
                two_factor.two_factor_disable(user=request.user)
            except two_factor.TwoFactorError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Đã tắt xác thực hai lớp."))
            return redirect("accounts:account")
    return _status_page(request, form, status=400)
