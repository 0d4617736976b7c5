from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Vận hành")

    def ready(self):
        # Sign-ins and lockouts are logged from Django's and axes' own signals (operations/signins.py).
        from . import signins  # noqa: F401
