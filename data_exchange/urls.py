from django.urls import path

from . import views

app_name = "data_exchange"

urlpatterns = [
    path("", views.import_page, name="import"),
    path("template/", views.template_download, name="template"),
    path("export/", views.export_download, name="export"),
    path("preview/<uuid:pk>/", views.preview, name="preview"),
    path("confirm/<uuid:pk>/", views.confirm, name="confirm"),
]
