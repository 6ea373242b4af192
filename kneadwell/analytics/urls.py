from django.urls import path

from kneadwell.analytics import views

app_name = "analytics"
urlpatterns = [
    path("outcomes/", views.outcomes_page, name="outcomes"),
    path("outcomes/settings/", views.outcome_settings, name="settings"),
    path("outcomes/<slug:table>.csv", views.outcomes_csv, name="csv"),
]
