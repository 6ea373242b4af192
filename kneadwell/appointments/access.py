"""The one way to fetch appointments, and the people and records a booking may name, for the
person making a request: scoped to their clinic (other clinics' ids answer 404)."""

from django.db.models import Q
from django.http import Http404

from kneadwell.accounts.models import Membership, Role, User
from kneadwell.appointments.models import Appointment, AppointmentType, Room
from kneadwell.clients.access import clients_for


def appointments_for(membership: Membership):
    """Appointments this person may open: owners and front desk the clinic's, therapists their
    own and those of clients they treat."""
    appointments = Appointment.objects.filter(clinic_id=membership.clinic_id)
    if membership.is_therapist:
        appointments = appointments.filter(
            Q(therapist_id=membership.user_id) | Q(client__therapists=membership.user_id)
        ).distinct()
    return appointments


def get_appointment_for_user(request, pk) -> Appointment:
    try:
        return (
            appointments_for(request.membership)
            .select_related("client", "therapist", "appointment_type", "room", "plan")
            .get(pk=pk)
        )
    except (Appointment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such appointment.") from None


def therapists_of(clinic_id: int):
    """The clinic's active people who treat: therapists and owners."""
    return User.objects.filter(
        membership__clinic_id=clinic_id,
        membership__is_active=True,
        membership__role__in=[Role.THERAPIST, Role.OWNER],
    ).order_by("first_name", "last_name", "email")


def get_therapist_for_user(request, pk) -> User:
    try:
        return therapists_of(request.membership.clinic_id).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such therapist.") from None


def types_of(clinic_id: int, *, active: bool = True):
    types = AppointmentType.objects.filter(clinic_id=clinic_id)
    return types.filter(is_active=True) if active else types


def rooms_of(clinic_id: int, *, active: bool = True):
    rooms = Room.objects.filter(clinic_id=clinic_id)
    return rooms.filter(is_active=True) if active else rooms


def get_type_for_owner(request, pk) -> AppointmentType:
    try:
        return types_of(request.membership.clinic_id, active=False).get(pk=pk)
    except (AppointmentType.DoesNotExist, ValueError, TypeError):
        raise Http404("No such appointment type.") from None


def get_room_for_owner(request, pk) -> Room:
    try:
        return rooms_of(request.membership.clinic_id, active=False).get(pk=pk)
    except (Room.DoesNotExist, ValueError, TypeError):
        raise Http404("No such room.") from None


def bookable_clients(membership: Membership):
    """Clients this person may book for: front desk and owners anyone in the clinic."""
    return clients_for(membership).filter(archived_at__isnull=True)
