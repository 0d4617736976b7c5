from axes.apps import AppConfig as BaseAxesConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(AdminConfig):
    default_site = "criteria_portal.admin_site.PortalAdminSite"


class AxesConfig(BaseAxesConfig):
    """django-axes under a Vietnamese name in the admin (its own app config has no translatable name)."""

    verbose_name = _("Khóa đăng nhập sai nhiều lần")
