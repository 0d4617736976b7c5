from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # The schema's description of the bearer token (drf-spectacular finds it on import).
        from . import authentication  # noqa: F401
