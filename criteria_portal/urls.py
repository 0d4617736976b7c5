from django.contrib import admin
from django.urls import include, path

from accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/tokens/", include("api.token_urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("assessments/", include("assessments.urls")),
    path("reports/", include("reports.urls")),
    path("data/", include("data_exchange.urls")),
    path("inventory/", include("inventory.urls")),
    path("notifications/", include("notifications.urls")),
    path("jobs/", include("jobs.urls")),
    # /health/, /health/live/ (no sign-in) and /metrics (configured addresses only).
    path("", include("operations.urls")),
    path("api/", include("api.urls")),
]
