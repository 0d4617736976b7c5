from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
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
    """Tài khoản của tôi: the user's e-mail address and reminders on/off."""
    user = request.user
    if request.method == "POST":
        form = AccountForm(request.POST, instance=user)
        if form.is_valid():
            services.user_update_account(user=user, email=form.cleaned_data["email"],
                                         reminders_enabled=form.cleaned_data["reminders_enabled"])
            messages.success(request, _("Đã lưu thông tin tài khoản."))
            return redirect("accounts:account")
        user.refresh_from_db()  # the form changed the instance while validating
        return render(request, "accounts/account.html", {"form": form}, status=400)
    return render(request, "accounts/account.html", {"form": AccountForm(instance=user)})


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only) that also tells the browser to forget what it kept for this user: the offline
    copies of the officer form and its queued edits (the page offers to send those first)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
