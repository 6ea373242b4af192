"""The client form's therapist choices: an id the database cannot hold is "not one of the
options", shown next to the field with everything typed kept, not an overflow (issue 12)."""

import pytest
from django.urls import reverse

from kneadwell.clients.models import Client
from kneadwell.clients.tests.test_client_form import VALID
from kneadwell.conftest import logged_in


@pytest.mark.parametrize("therapist_id", [str(2**63), str(2**70), "0", "-5", "9223372036854775807"])
def test_an_impossible_therapist_id_is_a_field_error(owner, therapist_id):
    response = logged_in(owner).post(
        reverse("clients:create"), {**VALID, "therapists": [therapist_id]}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["therapists"]
    assert form["family_name"].value() == "Hopper"
    assert not Client.objects.exists()


def test_editing_with_an_impossible_id_changes_nothing(owner, client_record):
    url = reverse("clients:edit", args=[client_record.pk])
    response = logged_in(owner).post(url, {**VALID, "therapists": [str(2**63)]})
    assert response.status_code == 200
    assert "therapists" in response.context["form"].errors
    client_record.refresh_from_db()
    assert client_record.family_name == "Lovelace"
