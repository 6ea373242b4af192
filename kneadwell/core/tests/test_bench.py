"""Benchmarks for the hot paths (run with `make bench`; excluded from `make test`)."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import logged_in, make_client
from kneadwell.knowledge.instruments.scoring import score
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.engine import ScreeningAnswers, evaluate

pytestmark = pytest.mark.bench


def test_bench_odi_scoring(benchmark):
    answers = {str(i): i % 6 for i in range(1, 11)}
    result = benchmark(score, "odi", answers)
    assert result.score == pytest.approx(50.0)


def test_bench_screening_evaluation(benchmark):
    knowledge = load_knowledge()
    answers = ScreeningAnswers(
        conditions=frozenset({"sciatica"}),
        medication_classes=frozenset({"anticoagulant"}),
        history=frozenset({"osteoporosis"}),
        red_flags={"ces_bladder": False, "foot_drop": True},
    )
    findings = benchmark(evaluate, answers, knowledge.rules, knowledge)
    assert findings


@pytest.mark.django_db
def test_bench_client_list_page(benchmark, clinic, therapist):
    for i in range(60):
        make_client(clinic, therapist, given_names=f"Bench{i}")
    browser = logged_in(therapist)
    response = benchmark(browser.get, reverse("clients:list"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_bench_access_log_append(benchmark, clinic, owner):
    def append():
        return AccessLogEntry.append(
            clinic_id=clinic.pk,
            user_id=owner.pk,
            user_email=owner.email,
            client_id=1,
            action="view",
            what="chart",
            channel="ui",
            address="127.0.0.1",
        )

    benchmark(append)
    assert AccessLogEntry.verify() is None


@pytest.mark.django_db
def test_bench_api_client_get(benchmark, therapist, client_record):
    from kneadwell.conftest import bearer

    headers = bearer(therapist)
    url = f"/api/v1/clients/{client_record.pk}"
    response = benchmark(lambda: HttpClient().get(url, **headers))
    assert response.status_code == 200
