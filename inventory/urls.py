from django.urls import path

from . import views

app_name = "inventory"

urlpatterns = [
    path("", views.inventory_home, name="home"),
    path("units/<int:unit_id>/<int:year>/", views.unit_year, name="unit_year"),
    path("units/<int:unit_id>/<int:year>/verify/", views.unit_year_verify, name="unit_year_verify"),
]
