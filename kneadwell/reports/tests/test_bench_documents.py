"""How long the physician's progress report takes to draw (run with `make bench`; excluded from
`make test`). A benchmark, not a timed test: nothing here fails on time."""

import pytest

from kneadwell.reports import documents
from kneadwell.reports.tests.document_helpers import pdf_pages, reported_course

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def test_bench_progress_report_pdf(benchmark, client_record, therapist, clinic):
    reported_course(client_record, therapist)

    def draw():
        doc = documents.progress_report(client_record, clinic=clinic, author=therapist)
        return doc.pdf(clinic)

    content = benchmark.pedantic(draw, rounds=5, iterations=1, warmup_rounds=1)
    assert pdf_pages(content) == 1
