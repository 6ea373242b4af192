"""The client list's columns that come from the rooms above clients: the last visit (visits)
and the safety badge (screening). The list itself is the clients app's; the root URLs route
``clients:list`` through ``reports.views.client_list``, which passes ``rows`` in, as the chart
page is composed here.

The next visit comes from the calendar (``kneadwell.appointments``, below reports): ``rows``
adds a ``next_visit`` entry (the date, in the clinic's zone, of the client's next booked or
arrived appointment) and the list grows the column by itself (it shows the columns the rows
carry; see docs/clients.md).
"""

from zoneinfo import ZoneInfo

from django.db.models import Max, Min
from django.utils import timezone

from kneadwell.appointments.models import Appointment, ClinicCalendar, Status
from kneadwell.screening.findings import safety_badges
from kneadwell.visits.models import Visit


def rows(clients, membership) -> dict[int, dict]:
    """The extra columns of each listed client, in a fixed number of queries for the page.

    Front desk sees the badge's words; clinical staff also its reasons (the findings' names).
    """
    ids = [client.pk for client in clients]
    visits = Visit.objects.filter(client_id__in=ids, visit_date__lte=timezone.localdate())
    last = dict(
        visits.values("client_id").annotate(last=Max("visit_date")).values_list("client_id", "last")
    )
    coming = next_visits(ids)
    badges = safety_badges(clients)
    clinical = membership.sees_clinical
    return {
        pk: {
            "last_visit": last.get(pk),
            "next_visit": coming.get(pk),
            "badge": badges.get(pk),
            "reasons": badges[pk].reasons if clinical and badges.get(pk) else (),
        }
        for pk in ids
    }


DEFAULT_ZONE = ClinicCalendar._meta.get_field("time_zone").default


def next_visits(client_ids: list[int], now=None) -> dict:
    """The date of each client's next booked or arrived appointment, in the clinic's zone: one
    query (the clinic's zone comes with it), none when there are no clients."""
    if not client_ids:
        return {}
    found = (
        Appointment.objects.filter(
            client_id__in=client_ids,
            status__in=[Status.BOOKED, Status.ARRIVED],
            ends_at__gt=now or timezone.now(),
        )
        .values("client_id", "clinic__calendar__time_zone")
        .annotate(first=Min("starts_at"))
        .order_by()
    )
    soonest = {}
    for row in found:
        zone = ZoneInfo(row["clinic__calendar__time_zone"] or DEFAULT_ZONE)
        day = row["first"].astimezone(zone).date()
        pk = row["client_id"]
        soonest[pk] = min(day, soonest[pk]) if pk in soonest else day
    return soonest
