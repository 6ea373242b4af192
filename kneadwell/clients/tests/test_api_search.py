"""POST /api/v1/clients/search reads the text as the list page does (search.py)."""

from kneadwell.conftest import api_as, make_client


def test_it_finds_by_phone_and_partial_birth_date(clinic, therapist, outsider):
    mine = make_client(clinic, therapist, phone="+44 20 7946 0958", birth_date="1961-03-07")
    make_client(outsider.membership.clinic, outsider, phone="020 7946 0958")
    api = api_as(therapist)
    for text in ("020 7946 0958", "03/1961", "Lovelace, A"):
        response = api("post", "/api/v1/clients/search", {"q": text})
        assert [c["id"] for c in response.json()["items"]] == [mine.pk], text


def test_a_date_that_does_not_exist_is_a_422_naming_the_field(therapist):
    response = api_as(therapist)("post", "/api/v1/clients/search", {"q": "31/02/1961"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"
    assert "is not a date" in response.json()["detail"]
