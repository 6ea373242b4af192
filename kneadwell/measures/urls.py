from django.urls import path

from kneadwell.measures import views

app_name = "measures"
urlpatterns = [
    path("clients/<int:pk>/measures/", views.response_list, name="list"),
    path("clients/<int:pk>/measures/new/<slug:instrument>/", views.response_create, name="new"),
    path("measures/missing-items/", views.missing_rules, name="missing_rules"),
]
urlpatterns += [
    path("clients/<int:pk>/progress/", views.progress_page, name="progress"),
    path(
        "clients/<int:pk>/progress/letters/<int:reassessment_pk>/",
        views.referral_letter,
        name="referral_letter",
    ),
    path("clients/<int:pk>/discharge/", views.discharge_new, name="discharge"),
    path(
        "clients/<int:pk>/discharges/<int:discharge_pk>/",
        views.discharge_detail,
        name="discharge_detail",
    ),
]
