"""Every client page and API route, as anonymous, outsider, unassigned colleague, front desk,
therapist and owner. Other clinics' ids must reveal nothing: 404, never 403."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.conftest import MEMBER_PAGE, Route, bearer, check_access, logged_in

STAFF = (302, 404, 404, 200, 200, 200)  # front desk sees demographics too
ROUTES = [
    Route("list", lambda c: reverse("clients:list"), MEMBER_PAGE),
    Route("create", lambda c: reverse("clients:create"), MEMBER_PAGE),
    Route("chart", lambda c: reverse("clients:detail", args=[c.pk]), STAFF),
    Route("edit", lambda c: reverse("clients:edit", args=[c.pk]), STAFF),
    Route("archive", lambda c: reverse("clients:archive", args=[c.pk]),
          (302, 404, 404, 403, 302, 302), method="post"),
    Route("erase", lambda c: reverse("clients:erase", args=[c.pk]), (302, 404, 403, 403, 403, 200)),
    Route("api list", lambda c: "/api/v1/clients", (401, 200, 200, 200, 200, 200), api=True),
    Route("api get", lambda c: f"/api/v1/clients/{c.pk}", (401, 404, 404, 200, 200, 200), api=True),
    Route("api patch", lambda c: f"/api/v1/clients/{c.pk}", (401, 404, 404, 200, 200, 200),
          method="patch", body={"phone": "555-9999"}, api=True),
    Route("api archive", lambda c: f"/api/v1/clients/{c.pk}/archive",
          (401, 404, 404, 403, 200, 200), method="post", api=True),
    Route("api search", lambda c: "/api/v1/clients/search", (401, 200, 200, 200, 200, 200),
          method="post", body={"q": "Lovelace"}, api=True),
]  # fmt: skip


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(people, client_record, route):
    def restore():
        client_record.refresh_from_db()
        if client_record.is_archived:
            client_record.restore()

    check_access(people, route, client_record, reset=restore)


def test_the_list_shows_only_clients_the_person_may_see(people, client_record):
    for role, visible in [
        ("outsider", False),
        ("colleague", False),
        ("desk", True),
        ("owner", True),
    ]:
        page = logged_in(people[role]).get(reverse("clients:list")).content.decode()
        assert ("Lovelace" in page) is visible, role
        items = HttpClient().get("/api/v1/clients", **bearer(people[role])).json()["items"]
        assert (len(items) == 1) is visible, role


def test_front_desk_sees_contact_details_but_no_clinical_sections(desk, client_record):
    page = logged_in(desk).get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Contact" in page
    assert "Treatment plan" not in page
    assert "Clinical records are visible to the client's therapists" in page


def test_the_assigned_therapist_sees_the_clinical_sections(therapist, client_record):
    page = (
        logged_in(therapist)
        .get(reverse("clients:detail", args=[client_record.pk]))
        .content.decode()
    )
    assert "Treatment plan" in page
    assert "No treatment plan yet." in page


def test_a_deactivated_therapist_loses_access(therapist, client_record):
    browser = logged_in(therapist)
    therapist.membership.is_active = False
    therapist.membership.save()
    response = browser.get(reverse("clients:detail", args=[client_record.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
