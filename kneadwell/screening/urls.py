from django.urls import path

from kneadwell.screening import views

app_name = "screening"
urlpatterns = [
    path("clients/<int:pk>/intake/new/", views.intake_new, name="intake_new"),
    path("clients/<int:pk>/intakes/<int:intake_pk>/", views.intake_detail, name="intake"),
    path("clients/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("clients/<int:pk>/clearance/new/", views.clearance_new, name="clearance_new"),
    path("clients/<int:pk>/treatment-check/", views.treatment_check, name="treatment_check"),
    path("overrides/", views.clinic_overrides, name="overrides"),
]
