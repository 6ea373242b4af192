"""The Scale Clinic generator: a consistent record, a chain that verifies, the special clients."""

from datetime import date

import pytest
from django.db.models import Count, F, Max, Min

from kneadwell.accounts.models import Clinic
from kneadwell.audit.models import AccessLogEntry
from kneadwell.cli import main
from kneadwell.clients import search
from kneadwell.clients.models import Client, ClientStatus
from kneadwell.conftest import logged_in
from kneadwell.demo.scale import SCALE_CLINIC, create_scale, special_email
from kneadwell.knowledge.instruments.scoring import score
from kneadwell.measures.models import Response
from kneadwell.plans.models import Discharge, Plan, Reassessment
from kneadwell.screening.models import Screening
from kneadwell.visits.models import Visit, VisitStatus

UNTIL = date(2026, 6, 30)


@pytest.fixture
def scale(db):
    return create_scale(1200, special=(10, 100), until=UNTIL, say=lambda text: None)


def test_it_grows_the_clinic_to_the_number_of_visits_asked(scale):
    clinic = Clinic.objects.get(name=SCALE_CLINIC)
    assert Visit.objects.filter(clinic=clinic).count() == 1200
    assert scale.counts["visits"] == 1200
    assert Client.objects.filter(clinic=clinic).count() == scale.counts["clients"] > 30


def test_the_special_clients_have_exactly_their_visits(scale):
    for visits in (10, 100):
        client = Client.objects.get(email=special_email(visits))
        assert scale.special[visits] == client.pk
        assert client.visits.count() == visits


def test_the_access_log_verifies_and_tells_the_same_story(scale):
    assert AccessLogEntry.verify() is None
    entries = AccessLogEntry.objects.filter(clinic_id=scale.clinic.pk)
    assert entries.count() == scale.counts["access-log entries"]
    # Oldest first: the ids run in time order, as live appends do.
    times = list(entries.order_by("id").values_list("at", flat=True))
    assert times == sorted(times)
    signed = Visit.objects.filter(clinic=scale.clinic, status=VisitStatus.SIGNED).count()
    assert entries.filter(action="update", what="visit note").count() == signed
    assert entries.filter(action="create", what="client record").count() == scale.counts["clients"]
    # Every entry that names a client names one of this clinic's.
    logged = set(entries.exclude(client_id=None).values_list("client_id", flat=True))
    assert logged <= set(Client.objects.filter(clinic=scale.clinic).values_list("pk", flat=True))


def test_it_fills_the_log_with_reads_when_asked(db):
    result = create_scale(600, special=(10,), until=UNTIL, access_log=6000, say=lambda t: None)
    assert AccessLogEntry.objects.filter(clinic_id=result.clinic.pk).count() == 6000
    assert AccessLogEntry.verify() is None


def test_nothing_is_dated_in_the_future(scale):
    assert Visit.objects.aggregate(last=Max("visit_date"))["last"] < UNTIL
    assert Visit.objects.aggregate(first=Min("visit_date"))["first"] >= date(2016, 7, 2)
    assert Response.objects.aggregate(last=Max("taken_at"))["last"].date() < UNTIL


def test_every_score_is_the_published_algorithms(scale):
    for response in Response.objects.filter(clinic=scale.clinic).order_by("?")[:300]:
        again = score(response.instrument, response.answers, rule=response.rule, **response.context)
        assert (again.score, again.subscores, again.band or "") == (
            response.score,
            response.subscores,
            response.band,
        )


def test_the_rows_hang_together(scale):
    clinic = scale.clinic
    # Each visit's plan version is one of the client's own plans.
    mismatched = Visit.objects.filter(clinic=clinic).exclude(
        plan_version__plan__client_id=F("client_id")
    )
    assert not mismatched.exists()
    # Signed notes say when and by whom; the NPRS of each signed visit joined the series.
    signed = Visit.objects.filter(clinic=clinic, status=VisitStatus.SIGNED)
    assert not signed.filter(signed_at=None).exists() and not signed.filter(signed_by=None).exists()
    now_ratings = Response.objects.filter(clinic=clinic, instrument="nprs", context__recall="now")
    assert now_ratings.count() == signed.count()
    # Screenings: one per intake, and a check-in at each visit for conditions that ask again.
    assert Screening.objects.filter(client__clinic=clinic, kind="intake").count() == (
        Plan.objects.filter(clinic=clinic).count()
    )
    # A discharged client's last course ended in a discharge; the plans then are closed.
    for client in Client.objects.filter(clinic=clinic, status=ClientStatus.DISCHARGED)[:20]:
        assert client.discharges.exists()
        assert not client.plans.filter(status="active").exists()
    assert Reassessment.objects.filter(client__clinic=clinic).exists()
    assert Discharge.objects.filter(client__clinic=clinic).exists()
    # The database numbers new rows after the generated ones.
    client = Client.objects.create(
        clinic=clinic, given_names="New", family_name="Arrival", birth_date=date(1990, 1, 1)
    )
    assert client.pk > max(scale.special.values())


def test_it_leaves_an_existing_scale_clinic_alone(scale):
    again = create_scale(1200, special=(10, 100), until=UNTIL, say=lambda text: None)
    assert not again.created
    assert Visit.objects.filter(clinic=scale.clinic).count() == 1200


def test_it_refuses_fewer_visits_than_the_special_clients_need(db):
    with pytest.raises(ValueError, match="at least"):
        create_scale(500, special=(10, 1000), say=lambda text: None)


def test_the_special_clients_pages_open(scale):
    owner = scale.clinic.memberships.get(role="owner").user
    browser = logged_in(owner)
    pk = scale.special[100]
    for url in (f"/clients/{pk}/", f"/clients/{pk}/progress/", "/access-log/"):
        assert browser.get(url).status_code == 200


def test_most_clients_have_few_visits_and_some_many(scale):
    per_client = Client.objects.filter(clinic=scale.clinic).annotate(n=Count("visits"))
    counts = sorted(per_client.values_list("n", flat=True))
    assert counts[len(counts) // 2] < 20 < counts[-3]


def test_the_demo_command_grows_it_and_says_where_the_special_clients_are(db, capsys):
    assert main(["demo", "--scale", "1,200", "--until", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "Scale Clinic is ready" in out and "1,200 visits" in out
    assert "owner@scale.kneadwell.test" in out and "1,000 visits: client" in out
    assert Client.objects.get(email=special_email(1000)).visits.count() == 1000
    assert main(["demo", "--scale", "1200"]) == 0
    assert "already exists; unchanged" in capsys.readouterr().out


def test_the_demo_command_explains_a_bad_size(db, capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--scale", "many"])
    assert "not a whole number" in capsys.readouterr().err
    assert main(["demo", "--scale", "50"]) == 2
    assert "at least 1,120" in capsys.readouterr().err


def test_its_clients_can_be_found_by_the_search_columns(scale):
    clients = Client.objects.filter(clinic=scale.clinic)
    assert not clients.filter(search_family="").exists()
    sample = clients.order_by("?").first()
    assert sample.search_phone == search.phone_key(sample.phone) != ""
    assert sample in clients.search(f"{sample.family_name}, {sample.given_names}")
