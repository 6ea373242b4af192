from django.urls import path

from kneadwell.interop import views

app_name = "interop"
urlpatterns = [
    path("clients/import/", views.import_bundle, name="import"),
    path("clinic/export/", views.export, name="export"),
    path("clinic/export/<str:token>/", views.export_download, name="export_download"),
]
