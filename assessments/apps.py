from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Đánh giá và công nhận")

    def ready(self):
        from . import figures_cache

        figures_cache.connect()
