"""The owner manages the clinic's people: add, change role, deactivate."""

from django.urls import reverse

from kneadwell.accounts.models import Membership, Role, User
from kneadwell.clients.models import Client
from kneadwell.conftest import logged_in


def test_only_owners_open_the_staff_pages(owner, therapist, desk):
    assert logged_in(therapist).get(reverse("staff")).status_code == 403
    assert logged_in(desk).get(reverse("staff_add")).status_code == 403
    assert logged_in(owner).get(reverse("staff")).status_code == 200


def test_the_owner_adds_a_therapist_who_can_then_sign_in(owner):
    data = {
        "first_name": "Nia",
        "last_name": "New",
        "email": "Nia@Willow.test",
        "role": Role.THERAPIST,
        "password": "a-fresh-passphrase-9",
    }
    response = logged_in(owner).post(reverse("staff_add"), data)
    assert response.status_code == 302
    nia = User.objects.get(email="nia@willow.test")
    assert nia.membership.clinic == owner.membership.clinic
    assert nia.check_password("a-fresh-passphrase-9")


def test_a_weak_password_is_refused_next_to_the_field_and_the_rest_is_kept(owner):
    data = {
        "first_name": "Nia",
        "last_name": "New",
        "email": "nia@willow.test",
        "role": Role.THERAPIST,
        "password": "12345",
    }
    page = logged_in(owner).post(reverse("staff_add"), data).content.decode()
    assert "This password is too short" in page
    assert 'value="Nia"' in page and 'value="nia@willow.test"' in page
    assert not User.objects.filter(email="nia@willow.test").exists()


def test_the_owner_deactivates_a_therapist_whose_records_remain(owner, therapist, client_record):
    member = therapist.membership
    response = logged_in(owner).post(
        reverse("staff_edit", args=[member.pk]), {"role": Role.THERAPIST}
    )
    assert response.status_code == 302
    therapist.refresh_from_db()
    assert not therapist.is_active
    assert Client.objects.filter(pk=client_record.pk, therapists=therapist).exists()


def test_the_owner_changes_a_role(owner, therapist):
    member = therapist.membership
    logged_in(owner).post(
        reverse("staff_edit", args=[member.pk]), {"role": Role.FRONT_DESK, "is_active": "on"}
    )
    member.refresh_from_db()
    assert member.role == Role.FRONT_DESK


def test_the_owner_cannot_demote_themself(owner):
    member = owner.membership
    response = logged_in(owner).post(
        reverse("staff_edit", args=[member.pk]), {"role": Role.THERAPIST, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "cannot remove your own owner role" in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.OWNER


def test_an_owner_of_another_clinic_gets_404_for_our_staff(outsider, therapist):
    response = logged_in(outsider).get(reverse("staff_edit", args=[therapist.membership.pk]))
    assert response.status_code == 404
    assert Membership.objects.get(pk=therapist.membership.pk).is_active
