from urllib.parse import urlencode

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Quản trị Cổng tiêu chí")
    site_title = _("Quản trị Cổng tiêu chí")
    index_title = _("Quản lý bộ tiêu chí, đơn vị, mục tiêu và người dùng")

    def has_permission(self, request):
        # The Django admin is for administrators only (DESIGN §4), whatever is_staff says, and only in a
        # session that passed the second factor (accounts.two_factor; the middleware sends them there first).
        from accounts import two_factor

        user = request.user
        if not (user.is_active and user.is_staff and getattr(user, "role", None) == "admin"):
            return False
        return not two_factor.is_required(user) or user.is_verified()

    def login(self, request, extra_context=None):
        # The admin's own form would sign in with the password alone: the portal's sign-in has both steps.
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
