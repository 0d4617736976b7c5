"""The portal's URLs plus one view that fails, for the test of how a 500 is logged."""

from django.urls import path

from criteria_portal.urls import urlpatterns as portal


def boom(request):
    raise RuntimeError("boom for the log test")


urlpatterns = [*portal, path("boom/", boom)]
