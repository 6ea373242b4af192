"""A therapist's appointments as an iCalendar feed: client initials and the type only, no
health data (the feed lives in the therapist's calendar app, outside Kneadwell)."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from kneadwell.appointments import schedule
from kneadwell.appointments.models import Appointment, Status

# Past appointments stay in the feed for a while; the feed is for what is coming.
PAST_DAYS = 30


def ics_for(therapist) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Kneadwell//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Kneadwell appointments")
    since = timezone.now() - timedelta(days=PAST_DAYS)
    appointments = (
        Appointment.objects.filter(therapist=therapist, starts_at__gte=since)
        .exclude(status=Status.CANCELLED)
        .select_related("client", "appointment_type", "room")
    )
    for a in appointments:
        event = Event()
        event.add("uid", f"appointment-{a.pk}@kneadwell")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", a.starts_at)
        event.add("dtend", a.ends_at)
        summary = f"{schedule.initials(a.client.given_names, a.client.family_name)} · "
        summary += a.appointment_type.name
        if a.status == Status.NO_SHOW:
            summary += " (no-show)"
        event.add("summary", summary)
        if a.room_id:
            event.add("location", a.room.name)
        calendar.add_component(event)
    return calendar.to_ical()
