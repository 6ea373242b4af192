from django.urls import path

from kneadwell.reports import views

app_name = "reports"
urlpatterns = [
    path("clients/<int:pk>/progress/", views.progress, name="progress"),
    path(
        "clients/<int:pk>/progress/letters/<int:reassessment_pk>/",
        views.reassessment_letter,
        name="reassessment_letter",
    ),
    path("clients/<int:pk>/discharge/", views.discharge_new, name="discharge"),
    path(
        "clients/<int:pk>/discharges/<int:discharge_pk>/",
        views.discharge_detail,
        name="discharge_detail",
    ),
    path("clients/<int:pk>/referrals/new/", views.referral_new, name="referral_new"),
    path("clients/<int:pk>/referrals/<int:referral_pk>/", views.referral_detail, name="referral"),
    path("clients/<int:pk>/documents/", views.documents, name="documents"),
    path("clients/<int:pk>/documents/new/<slug:kind>/", views.document_new, name="document_new"),
    path("clients/<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path(
        "clients/<int:pk>/documents/<int:document_pk>/share/",
        views.document_share,
        name="document_share",
    ),
    path("clinic/letterhead/", views.letterhead, name="letterhead"),
]
