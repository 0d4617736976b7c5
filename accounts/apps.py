from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        checks.register(check_two_factor_roles)


def check_two_factor_roles(app_configs=None, **kwargs):
    """PORTAL_2FA_REQUIRED must name roles that exist: a typo would silently require nothing."""
    from django.conf import settings

    from .models import Role

    unknown = sorted(set(settings.PORTAL_2FA_REQUIRED) - set(Role.values))
    if unknown:
        return [checks.Error(
            f"PORTAL_2FA_REQUIRED names unknown roles: {', '.join(unknown)}",
            hint=f"Use comma-separated role values among: {', '.join(Role.values)}.", id="accounts.E001",
        )]
    return []
