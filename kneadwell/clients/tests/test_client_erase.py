"""Erasing a client: owner only, typed confirmation, health data gone, tombstone kept."""

from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.clients.models import Client
from kneadwell.conftest import logged_in


def test_the_owner_erases_after_typing_the_name(owner, client_record):
    response = logged_in(owner).post(
        reverse("clients:erase", args=[client_record.pk]), {"confirm": " ada  LOVELACE "}
    )
    assert response.status_code == 302
    assert not Client.objects.filter(pk=client_record.pk).exists()
    tombstone = AccessLogEntry.objects.get(action=Action.ERASE)
    assert tombstone.client_id == client_record.pk
    assert "Lovelace" not in tombstone.what


def test_a_wrong_confirmation_erases_nothing_and_says_what_to_type(owner, client_record):
    response = logged_in(owner).post(
        reverse("clients:erase", args=[client_record.pk]), {"confirm": "Ada"}
    )
    assert "Type the full name exactly as shown (Ada Lovelace)" in response.content.decode()
    assert Client.objects.filter(pk=client_record.pk).exists()


def test_a_therapist_cannot_erase(therapist, client_record):
    response = logged_in(therapist).post(
        reverse("clients:erase", args=[client_record.pk]), {"confirm": "Ada Lovelace"}
    )
    assert response.status_code == 403
    assert Client.objects.filter(pk=client_record.pk).exists()
