"""Error pages in plain words, without health data or Django's technical wording."""

from kneadwell.conftest import logged_in


def test_a_form_sent_without_its_token_gets_a_plain_page_not_djangos(therapist):
    browser = logged_in(therapist)
    browser.handler.enforce_csrf_checks = True
    response = browser.post("/clients/new/", {"given_names": "Ada"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "That page had expired" in page and "reload the page" in page
    assert "CSRF" not in page


def test_a_missing_page_says_what_may_have_happened(therapist):
    response = logged_in(therapist).get("/clients/999999/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
