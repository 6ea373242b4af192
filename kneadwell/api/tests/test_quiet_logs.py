"""A refused API request is one log line, with no traceback and nothing the client sent in it
(issue 12 item 4): the server log is not a place for health data."""

import logging

import pytest

from kneadwell.conftest import api_as

SECRET = "Saddle numbness since Tuesday"


@pytest.mark.parametrize(
    ("who", "method", "url", "body", "raw", "status"),
    [
        ("therapist", "post", "/api/v1/clients", {"given_names": SECRET, "colour": 1}, None, 422),
        ("therapist", "post", "/api/v1/screening/evaluate", None, f'["{SECRET}"]', 422),
        ("therapist", "post", "/api/v1/clients", None, "{" + SECRET, 400),
        ("therapist", "get", "/api/v1/clients/abc", None, None, 404),
        ("therapist", "get", "/api/v1/clients/{pk}/visits?cursor=" + "x" * 30, None, None, 422),
        (
            "therapist",
            "post",
            "/api/v1/clients/{pk}/visits/999/addenda",
            {"text": SECRET},
            None,
            404,
        ),
        ("desk", "get", "/api/v1/clients/{pk}/visits", None, None, 403),
        ("outsider", "get", "/api/v1/clients/{pk}", None, None, 404),
    ],
)
def test_a_refused_request_is_one_line_without_a_traceback(
    people, client_record, caplog, who, method, url, body, raw, status
):
    call = api_as(people[who])
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    response = call(method, url.format(pk=client_record.pk), body, raw)
    assert response.status_code == status, response.content
    [record] = [r for r in caplog.records if not r.name.startswith("django.db")]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and record.stack_info is None
    assert "\n" not in record.getMessage()
    assert SECRET not in record.getMessage()


def test_an_archived_client_changed_is_one_line_too(therapist, client_record, caplog):
    call = api_as(therapist)
    call("post", f"/api/v1/clients/{client_record.pk}/archive")
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    response = call("patch", f"/api/v1/clients/{client_record.pk}", {"phone": SECRET})
    assert response.status_code == 409
    [record] = caplog.records
    assert record.getMessage() == f"Conflict: /api/v1/clients/{client_record.pk}"
    assert record.exc_info is None
