from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        from . import jobs  # noqa: F401 - registers the work of this app's jobs (jobs/work.py)
