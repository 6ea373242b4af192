"""A routine 403 or 404 is one line in the server log: the path, no traceback."""

import logging

from django.urls import reverse

from kneadwell.conftest import logged_in


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_missing_page_is_one_line_without_a_traceback(therapist, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert logged_in(therapist).get(reverse("clients:detail", args=[999999])).status_code == 404
    (record,) = _request_records(caplog)
    assert record.getMessage() == "Not Found: /clients/999999/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_refused_page_is_one_line_without_a_traceback(therapist, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert logged_in(therapist).get(reverse("staff")).status_code == 403
    (record,) = _request_records(caplog)
    assert record.getMessage() == "Forbidden (Permission denied): /staff/"
    assert record.exc_info is None
