from django.urls import path

from .health import health, health_live
from .metrics import metrics_view

urlpatterns = [
    path("health/", health, name="health"),
    path("health/live/", health_live, name="health_live"),
    path("metrics", metrics_view, name="metrics"),
]
