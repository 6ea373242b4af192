"""The client's pages, under /portal/ (their own session cookie: see sessions.py)."""

from django.urls import path, re_path

from kneadwell.portal.views import (
    access,
    booking,
    care,
    checkin,
    details,
    downloads,
    home,
    intake,
    questionnaires,
)

app_name = "portal"
urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", access.sign_in, name="sign_in"),
    re_path(r"^sign-in/(?P<secret>[A-Za-z0-9_-]{16,64})/$", access.link, name="link"),
    path("code/", access.code, name="code"),
    path("sign-out/", access.sign_out, name="sign_out"),
    path("intake/", intake.overview, name="intake"),
    path("intake/<slug:step>/", intake.step, name="intake_step"),
    path("check-in/", checkin.checkin, name="checkin"),
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:number>/", questionnaires.answer, name="questionnaire"),
    path("progress/", care.progress, name="progress"),
    path("care/", care.care, name="care"),
    path("care/cancel/", care.cancel_appointment, name="cancel_appointment"),
    path("care/book/", booking.book, name="book"),
    path("care/documents/", care.shared_documents, name="shared_documents"),
    path("care/documents/<int:number>.pdf", care.shared_document, name="shared_document"),
    path("details/", details.details, name="details"),
    path("details/correction/", details.correction, name="correction"),
    path("details/my-record.pdf", downloads.record_pdf, name="record_pdf"),
    path("details/my-record.json", downloads.record_fhir, name="record_fhir"),
]
