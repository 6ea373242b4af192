"""Refused attempts at client records land in the access log, once a minute per person and kind
of path, with no health data: pages (403 and 404) and the API."""

import time_machine
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.conftest import bearer, logged_in


def _refusals():
    return list(AccessLogEntry.objects.filter(action=Action.REFUSE).order_by("id"))


def test_an_outsider_probing_a_chart_is_logged_in_their_own_clinic(outsider, client_record):
    response = logged_in(outsider).get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 404
    [entry] = _refusals()
    assert entry.clinic_id == outsider.membership.clinic_id
    assert (entry.user_email, entry.client_id, entry.channel) == (
        outsider.email,
        client_record.pk,
        Channel.UI,
    )
    assert entry.what == "refused (not found): /clients/…/"


def test_front_desk_refused_clinical_content_is_logged_as_not_allowed(desk, client_record):
    url = reverse("measures:list", args=[client_record.pk])
    assert logged_in(desk).get(url).status_code == 403
    [entry] = _refusals()
    assert entry.what == "refused (not allowed): /clients/…/measures/"


def test_repeats_within_a_minute_are_logged_once_per_kind_of_path(colleague, client_record):
    browser = logged_in(colleague)
    with time_machine.travel("2026-12-07 10:00:00", tick=False):
        for _ in range(5):
            assert (
                browser.get(reverse("clients:detail", args=[client_record.pk])).status_code == 404
            )
        browser.get(reverse("clients:edit", args=[client_record.pk]))
        browser.get(reverse("clients:detail", args=[client_record.pk + 1000]))
    assert [e.what for e in _refusals()] == [
        "refused (not found): /clients/…/",
        "refused (not found): /clients/…/edit/",
    ]
    with time_machine.travel("2026-12-07 10:01:01", tick=False):
        browser.get(reverse("clients:detail", args=[client_record.pk]))
    assert len(_refusals()) == 3


def test_an_api_refusal_is_logged_as_api(outsider, client_record):
    response = HttpClient().get(f"/api/v1/clients/{client_record.pk}", **bearer(outsider))
    assert response.status_code == 404
    [entry] = _refusals()
    assert (entry.channel, entry.client_id) == (Channel.API, client_record.pk)
    assert entry.what == "refused (not found): /api/v1/clients/…"


def test_no_refusal_is_logged_for_anonymous_people_or_paths_without_a_client(
    outsider, client_record
):
    HttpClient().get(reverse("clients:detail", args=[client_record.pk]))
    logged_in(outsider).get("/no-such-page/")
    assert _refusals() == []


def test_a_refusal_carries_no_health_data(outsider, client_record):
    logged_in(outsider).get(reverse("clients:detail", args=[client_record.pk]))
    entry = _refusals()[0]
    text = " ".join(str(v) for v in entry.chained_fields().values())
    assert client_record.family_name not in text and "1965" not in text
