from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services, two_factor
from .forms import AccountForm
from .models import Role
from .offline import CLEAR_SITE_DATA

# Where each role starts its day. The apps own the pages; this only points at them.
HOME_BY_ROLE = {
    Role.COMMUNE_OFFICER: "assessments:officer_home",
    Role.DISTRICT_REVIEWER: "assessments:reviewer_inbox",
    Role.PROVINCE_VIEWER: "reports:progress",
    Role.ADMIN: "reports:progress",
    Role.NATIONAL_VIEWER: "reports:national",
}


@login_required
def home(request):
    try:
        return redirect(reverse(HOME_BY_ROLE[request.user.role]))
    except (KeyError, NoReverseMatch):
        return redirect("admin:index" if request.user.role == Role.ADMIN else "accounts:password_change")


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """Tài khoản của tôi: the e-mail address (a new one confirmed by a link), reminders on/off, and the state of
    two-factor sign-in. Each part of the page is a template of its own (templates/accounts/_account_*.html)."""
    user = request.user
    status = 200
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                update = services.user_update_account(user=user, email=form.cleaned_data["email"],
                                                      reminders_enabled=form.cleaned_data["reminders_enabled"])
            except services.EmailChangeError as error:
                user.refresh_from_db()
                form.add_error("email", str(error))
            else:
                messages.success(request, _("Đã lưu thông tin tài khoản."))
                if update.confirmation_sent_to:
                    messages.info(request, _(
                        "Đã gửi thư xác nhận đến %(new)s. Hãy mở liên kết trong thư; đến khi đó thư nhắc hạn vẫn gửi "
                        "đến %(old)s.") % {"new": update.confirmation_sent_to, "old": user.email or _("(chưa có)")})
                return redirect("accounts:account")
        status = 400
    else:
        form = AccountForm(initial={"email": user.email, "reminders_enabled": user.reminders_enabled})
    return render(request, "accounts/account.html", {
        "form": form,
        "two_factor": {"enrolled": two_factor.is_enrolled(user), "required": two_factor.is_required(user),
                       "codes_left": two_factor.recovery_codes_left(user)},
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request, token: str):
    """The link in the confirmation e-mail. Opening it (GET) changes nothing — a mail scanner may open it —
    the button does."""
    try:
        email = services.email_confirmation_read(user=request.user, token=token)
    except services.EmailChangeError as error:
        return render(request, "accounts/email_confirm.html", {"error": str(error)}, status=400)
    if request.method == "POST":
        services.user_confirm_email(user=request.user, token=token)
        messages.success(request, _("Đã xác nhận: thư nhắc hạn từ nay gửi đến %(email)s.") % {"email": email})
        return redirect("accounts:account")
    return render(request, "accounts/email_confirm.html", {"email": email})


@login_required
@require_POST
def email_change_cancel(request):
    services.user_cancel_email_change(user=request.user)
    messages.success(request, _("Đã hủy đổi địa chỉ e-mail."))
    return redirect("accounts:account")


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only) that also tells the browser to forget what it kept for this user: the offline
    copies of the officer form and its queued edits (the page offers to send those first)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
