"""The clinic export over KNEADWELL_BENCH_EXPORT_CLIENTS clients (1,000 by default), each with
three scored questionnaires and two signed visits (run with `make bench`; excluded from
`make test`). A benchmark, not a timed test: nothing here fails on time."""

import os
import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from kneadwell.accounts.models import Clinic, Role
from kneadwell.conftest import make_client, make_member
from kneadwell.interop.export import export_clinic, import_directory
from kneadwell.interop.tests.helpers import empty_database
from kneadwell.measures.models import Response
from kneadwell.screening.models import Intake
from kneadwell.visits.models import Visit

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
CLIENTS = int(os.environ.get("KNEADWELL_BENCH_EXPORT_CLIENTS", "1000"))


def _clinic_of(clinic, therapist, count):
    start = timezone.now() - timedelta(days=60)
    for n in range(count):
        client = make_client(clinic, therapist, given_names=f"Client{n}", family_name="Bench")
        Intake.objects.create(client=client, answers={"conditions": ["chronic_lbp"]},
                              created_by=therapist)  # fmt: skip
        for week, value in enumerate([7, 5, 3]):
            Response.record(client, "nprs", {"1": value}, recall="now",
                            taken_at=start + timedelta(days=7 * week))  # fmt: skip
        for day in (1, 8):
            visit = Visit.objects.create(clinic=clinic, client=client, therapist=therapist,
                                         visit_date=date(2026, 9, day), nprs=5,
                                         treatment=[{"technique": "swedish", "region": "low_back",
                                                     "pressure": 2, "minutes": 20}])  # fmt: skip
            visit.sign(therapist)


def test_bench_export_of_a_clinic(benchmark, clinic, therapist, tmp_path):
    _clinic_of(clinic, therapist, CLIENTS)
    runs = iter(range(100))
    started = time.perf_counter()
    manifest = benchmark.pedantic(
        lambda: export_clinic(clinic, tmp_path / f"run-{next(runs)}"), rounds=1, iterations=1
    )
    took = time.perf_counter() - started
    counts = {o["type"]: o["count"] for o in manifest["output"]}
    assert counts["Patient"] == CLIENTS and counts["Encounter"] == 2 * CLIENTS
    print(f"\nexport of {CLIENTS} clients: {took:.1f} s, {_size(tmp_path / 'run-0')}")


def test_bench_import_of_an_export(benchmark, clinic, owner, therapist, tmp_path):
    """`kneadwell import` of the same clinic (without the notes' PDFs, which it does not read)
    into an empty database."""
    _clinic_of(clinic, therapist, CLIENTS)
    export_clinic(clinic, tmp_path / "out", notes=False)
    empty_database()
    fresh = Clinic.objects.create(name="Fresh")
    person = make_member(fresh, owner.email, Role.OWNER)
    started = time.perf_counter()
    clients = benchmark.pedantic(
        lambda: import_directory(tmp_path / "out", fresh, person), rounds=1, iterations=1
    )
    took = time.perf_counter() - started
    assert len(clients) == CLIENTS
    print(f"\nimport of {CLIENTS} clients: {took:.1f} s, {_size(tmp_path / 'out')}")


def _size(directory) -> str:
    files = [p for p in directory.rglob("*") if p.is_file()]
    return f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB"
