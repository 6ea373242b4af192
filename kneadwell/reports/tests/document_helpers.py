"""A course worth reporting on, and reading PDFs back (pypdf)."""

import io
from datetime import date

from pypdf import PdfReader

from kneadwell.measures.tests.helpers import record_series
from kneadwell.reports.tests.progress_helpers import make_plan, sign_visits
from kneadwell.screening.models import Clearance


def reported_course(client, therapist):
    """A low-back course: RMDQ 14 → 6, NPRS now 7 → 3, three signed visits (one with a side
    effect), a plan changed once, and a clearance."""
    record_series(client, "rmdq", [{str(n): int(n <= 14) for n in range(1, 25)},
                                   {str(n): int(n <= 6) for n in range(1, 25)}])  # fmt: skip
    record_series(client, "nprs", [{"1": 7}, {"1": 3}], recall="now")
    plan, version = make_plan(client, therapist)
    version.planned_sessions = None
    visits = sign_visits(
        client, therapist, version, [date(2026, 9, 1), date(2026, 9, 8), date(2026, 9, 15)]
    )
    from kneadwell.visits.models import Visit

    Visit.objects.filter(pk=visits[1].pk).update(
        adverse_effects=[{"kind": "soreness", "severity": 4, "duration_hours": 24}]
    )
    plan.versions.create(
        number=2, created_by=therapist, goals=[{"text": "Walk 2 km"}], techniques=["swedish"],
        max_pressure=2, planned_sessions=8, change_note="Lighter pressure after soreness",
    )  # fmt: skip
    Clearance.objects.create(
        client=client, finding_ids=["rule:x"], physician_name="Dr Lee",
        cleared_on=date(2026, 8, 30), recorded_by=therapist,
    )  # fmt: skip
    return plan


def pdf_text(content: bytes) -> str:
    """The text of every page, with runs of white space (line breaks) as one space."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)
