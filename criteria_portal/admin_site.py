from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Quản trị Cổng tiêu chí")
    site_title = _("Quản trị Cổng tiêu chí")
    index_title = _("Quản lý bộ tiêu chí, đơn vị, mục tiêu và người dùng")

    def has_permission(self, request):
        # The Django admin is for administrators only (DESIGN §4), whatever is_staff says.
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", None) == "admin")
