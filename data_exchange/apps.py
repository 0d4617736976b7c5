from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataExchangeConfig(AppConfig):
    name = "data_exchange"
    verbose_name = _("Nhập, xuất dữ liệu")

    def ready(self):
        from . import jobs  # noqa: F401 - registers the work of this app's jobs (jobs/work.py)
