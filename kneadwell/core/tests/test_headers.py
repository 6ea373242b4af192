"""Security headers: CSP without inline script, frame denial, referrer policy, no-store."""

from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import bearer, logged_in


def test_every_page_has_a_strict_content_security_policy(db):
    response = HttpClient().get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_with_client_data_are_never_cached(therapist, client_record):
    response = logged_in(therapist).get(reverse("clients:detail", args=[client_record.pk]))
    assert response["Cache-Control"] == "no-store"


def test_api_answers_are_never_cached(therapist, client_record):
    response = HttpClient().get(f"/api/v1/clients/{client_record.pk}", **bearer(therapist))
    assert response["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script(therapist, client_record):
    page = (
        logged_in(therapist)
        .get(reverse("clients:detail", args=[client_record.pk]))
        .content.decode()
    )
    assert "<script>" not in page and "onclick=" not in page


def test_error_pages_show_no_details(therapist):
    response = logged_in(therapist).get("/clients/999999/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert "Traceback" not in response.content.decode()
