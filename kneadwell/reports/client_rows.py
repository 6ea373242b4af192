"""The client list's columns that come from the rooms above clients: the last visit (visits)
and the safety badge (screening). The list itself is the clients app's; the root URLs route
``clients:list`` through ``reports.views.client_list``, which passes ``rows`` in, as the chart
page is composed here.

The next visit comes from the calendar (``kneadwell.appointments``, below reports): when that
app offers its next appointment per client, ``rows`` adds a ``next_visit`` entry and the list
grows the column by itself (it shows the columns the rows carry; see docs/clients.md).
"""

from django.db.models import Max
from django.utils import timezone

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
    badges = safety_badges(clients)
    clinical = membership.sees_clinical
    return {
        pk: {
            "last_visit": last.get(pk),
            "badge": badges.get(pk),
            "reasons": badges[pk].reasons if clinical and badges.get(pk) else (),
        }
        for pk in ids
    }
