from django.urls import path

from . import completeness_views, views

app_name = "reports"

urlpatterns = [
    path("", views.progress, name="progress"),
    path("progress.json", views.progress_json, name="progress_json"),
    path("progress.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("progress.docx", views.progress_docx, name="progress_docx"),
    path("units.csv", views.units_csv, name="units_csv"),
    path("criteria/", views.criteria, name="criteria"),
    path("districts/<int:code>/", views.district, name="district"),
    path("current/", views.current, name="current"),
    path("national/", views.national, name="national"),
    path("national.json", views.national_json, name="national_json"),
    path("national.xlsx", views.national_xlsx, name="national_xlsx"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("trends/", views.trends, name="trends"),
    path("map/", views.map_view, name="map"),
    path("completeness/", completeness_views.completeness, name="completeness"),
    path("completeness.json", completeness_views.completeness_json, name="completeness_json"),
    path("completeness.csv", completeness_views.completeness_csv_view, name="completeness_csv"),
]
