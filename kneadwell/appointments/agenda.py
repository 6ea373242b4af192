"""What the day and week views show: per therapist, their hours and appointments of the chosen
days in the clinic's zone, with client names only for those who may see the client, and the
desk's "needs clearance before treatment" flag on the day view (no clinical detail)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from kneadwell.appointments import schedule
from kneadwell.appointments.access import therapists_of, types_of
from kneadwell.appointments.models import (
    Appointment,
    AppointmentType,
    ClinicCalendar,
    TimeOff,
    WorkingHours,
)
from kneadwell.clients.access import clients_for
from kneadwell.screening.enforce import enforce
from kneadwell.screening.findings import NEEDS_CLEARANCE, NOT_SCREENED, safety_badges


def parse_day(value: str | None, zone) -> date:
    """The date asked for in ?date=YYYY-MM-DD, or today in the clinic's zone (also for a date
    the calendar cannot show, such as the year 1 or 9999)."""
    today = timezone.now().astimezone(zone).date()
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        return today
    return day if schedule.FIRST_YEAR <= day.year <= schedule.LAST_YEAR else today


def needs_clearance(client) -> bool:
    """True while the screening blocks treatment, or there is no screening (words only)."""
    return enforce(client, []).blocked


@dataclass
class Entry:
    appointment: Appointment
    starts: datetime
    ends: datetime
    name: str  # the client's name, or "Booked" for someone the viewer may not see
    visible: bool
    needs_clearance: bool = False


@dataclass
class Column:
    therapist: object
    days: dict = field(default_factory=dict)  # date -> [Entry]
    hours: dict = field(default_factory=dict)  # date -> "09:00-17:00", "Away", "Not working"

    @property
    def cells(self) -> list[tuple]:
        """(date, entries, hours in words) for each day shown."""
        return [(day, entries, self.hours.get(day, "")) for day, entries in self.days.items()]


def build(membership, first: date, days: int, therapist_id=None, *, flags: bool = False) -> dict:
    """The columns of the calendar from `first`, for one therapist or the whole clinic."""
    calendar = ClinicCalendar.of(membership.clinic_id)
    zone = calendar.zone
    starts, ends = schedule.day_span(first, zone, days)
    therapists = list(therapists_of(membership.clinic_id))
    if therapist_id is not None:
        therapists = [t for t in therapists if t.pk == therapist_id]
    ids = [t.pk for t in therapists]
    appointments = list(
        Appointment.objects.filter(
            clinic_id=membership.clinic_id,
            therapist_id__in=ids,
            starts_at__lt=ends,
            ends_at__gt=starts,
        ).select_related("client", "appointment_type", "room")
    )
    seen = set(
        clients_for(membership)
        .filter(pk__in={a.client_id for a in appointments})
        .values_list("pk", flat=True)
    )
    blocked = _flags(appointments) if flags else set()
    hours = _hours(ids)
    away = _away(ids, first, first + timedelta(days=days - 1))
    dates = [first + timedelta(days=i) for i in range(days)]
    columns = {t.pk: Column(t, {d: [] for d in dates}, {}) for t in therapists}
    for pk, column in columns.items():
        for day in dates:
            usual = hours.get((pk, day.weekday()))
            column.hours[day] = _hours_text(usual, schedule.is_away(day, away.get(pk, [])))
    for a in appointments:
        local = a.starts_at.astimezone(zone)
        visible = a.client_id in seen or a.therapist_id == membership.user_id
        entry = Entry(
            a,
            local,
            a.ends_at.astimezone(zone),
            a.client.display_name if visible else "Booked",
            visible,
            a.client_id in blocked and a.is_open,
        )
        columns[a.therapist_id].days.setdefault(local.date(), []).append(entry)
    return {"zone": zone, "calendar": calendar, "dates": dates, "columns": list(columns.values())}


def _flags(appointments) -> set[int]:
    """Clients of open appointments who need clearance before treatment."""
    clients = {a.client_id: a.client for a in appointments if a.is_open}
    return blocked_clients(list(clients.values()))


def blocked_clients(clients) -> set[int]:
    """The ids of `clients` for whom `needs_clearance` is true, for any number of clients (a
    day's list) in screening's few queries: the "needs clearance" badge of
    `screening.findings.safety_badges`, or no screening yet. test_clearance.py holds it equal
    to `screening.enforce.enforce(client, [])`."""
    badges = safety_badges(clients)
    return {
        pk
        for pk, badge in badges.items()
        if badge is not None and badge.label in (NEEDS_CLEARANCE, NOT_SCREENED)
    }


def _hours(therapist_ids) -> dict:
    return {
        (h.therapist_id, h.weekday): h
        for h in WorkingHours.objects.filter(therapist_id__in=therapist_ids)
    }


def _away(therapist_ids, first: date, last: date) -> dict:
    away: dict[int, list] = {}
    for t in TimeOff.objects.filter(
        therapist_id__in=therapist_ids, starts_on__lte=last, ends_on__gte=first
    ):
        away.setdefault(t.therapist_id, []).append((t.starts_on, t.ends_on))
    return away


def _hours_text(hours, away: bool) -> str:
    if away:
        return "Away"
    if hours is None:
        return "Not working"
    text = f"{hours.starts:%H:%M}–{hours.ends:%H:%M}"
    if hours.break_starts and hours.break_ends:
        text += f" (break {hours.break_starts:%H:%M}–{hours.break_ends:%H:%M})"
    return text


def free_slots(
    therapist,
    minutes: int,
    since: date,
    until: date,
    clinic_id: int,
    *,
    step: int = 15,
    not_before: datetime | None = None,
):
    """The therapist's free starts for `minutes` from `since` to `until` (clinic days), every
    `step` minutes, none before `not_before` (default: now)."""
    zone = ClinicCalendar.of(clinic_id).zone
    starts, ends = schedule.day_span(since, zone, (until - since).days + 1)
    busy = list(
        Appointment.objects.holding()
        .filter(therapist=therapist, starts_at__lt=ends, ends_at__gt=starts)
        .values_list("starts_at", "ends_at")
    )
    hours = {h.weekday: h.as_hours() for h in WorkingHours.objects.filter(therapist=therapist)}
    away = list(
        TimeOff.objects.filter(
            therapist=therapist, starts_on__lte=until, ends_on__gte=since
        ).values_list("starts_on", "ends_on")
    )
    return schedule.free_slots(
        hours,
        away,
        busy,
        zone,
        since,
        until,
        minutes,
        step=step,
        not_before=max(not_before or timezone.now(), timezone.now()),
    )


@dataclass(frozen=True)
class Offer:
    """A time a client may book online: a free slot of a bookable type with a therapist."""

    starts_at: datetime  # in the clinic's zone
    ends_at: datetime
    therapist: object
    kind: AppointmentType


ONLINE_STEP = 30  # clients are offered the hour and the half hour


def online_offers(
    clinic_id: int, therapists, since: date, until: date, now=None, *, client=None
) -> list[Offer]:
    """The free times clients may book online with `therapists` from `since` to `until` (clinic
    days), within the clinic's window and notice, soonest first, none overlapping `client`'s
    own appointments; none while the clinic does not let clients book."""
    calendar = ClinicCalendar.of(clinic_id)
    if not calendar.clients_may_book:
        return []
    earliest, last_day = calendar.booking_window(now)
    until = min(until, last_day)
    if until < since:
        return []
    kinds = list(types_of(clinic_id).filter(bookable_online=True))
    offers = []
    for therapist in therapists:
        for kind in kinds:
            for a, b in free_slots(
                therapist, kind.minutes, since, until, clinic_id,
                step=ONLINE_STEP, not_before=earliest,
            ):  # fmt: skip
                offers.append(Offer(a, b, therapist, kind))
    if client is not None and offers:
        first, last = schedule.day_span(since, calendar.zone, (until - since).days + 1)
        own = list(
            Appointment.objects.filter(client=client)
            .overlapping(first, last)
            .values_list("starts_at", "ends_at")
        )
        offers = [o for o in offers if not any(a < o.ends_at and o.starts_at < b for a, b in own)]
    offers.sort(key=lambda o: (o.starts_at, str(o.therapist), o.kind.name))
    return offers
