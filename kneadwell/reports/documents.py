"""Documents the clinic gives out about a client, as PDFs: letters, the discharge summary, signed
notes, handouts and the whole record. Each body comes from the template the screen uses; issuing
keeps the exact bytes (models.IssuedDocument) and, for email, sends them with no health data in
the message itself.

For the portal: `client_record_pdf(client)` is the client's own copy of their record."""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures import progress
from kneadwell.reports import letters, pdf
from kneadwell.reports.chart_page import chart_context
from kneadwell.reports.discharge import measure_rows
from kneadwell.reports.models import Delivery, DocumentKind, IssuedDocument, Letterhead
from kneadwell.visits.models import VisitStatus


class SendFailed(Exception):
    """The mail server did not take the message; nothing was recorded as issued."""


class ConsentMissing(Exception):
    """The client has not recorded consent to share their data."""


@dataclass(frozen=True)
class Document:
    """One document ready to issue: its kind, title and body HTML (from the screen templates)."""

    kind: str
    title: str
    html: str

    def pdf(self, clinic) -> bytes:
        return pdf.render(
            mark_safe(self.html),  # noqa: S308 - rendered by our own templates
            title=self.title,
            letterhead=Letterhead.for_clinic(clinic),
        )


def progress_report(client, *, clinic, author, ask: str = "") -> Document:
    letter = letters.progress_letter(client, clinic=clinic, author=author, ask=ask)
    return Document(DocumentKind.PROGRESS, "Progress report", letter.html())


def referral(record) -> Document:
    """The referral letter exactly as it was kept when written."""
    return Document(DocumentKind.REFERRAL, "Referral letter", record.letter_html)


def reassessment(decision, *, clinic) -> Document:
    letter = letters.reassessment_letter(decision, clinic=clinic)
    return Document(DocumentKind.REASSESSMENT, "Reassessment letter", letter.html())


def discharge(record) -> Document:
    html = render_to_string(
        "reports/partials/discharge_summary.html",
        {"client": record.client, "discharge": record, "summary": record.summary},
    )
    return Document(DocumentKind.DISCHARGE, "Discharge summary", html)


def visit_notes(client, visits) -> Document:
    """One or more signed notes, each with its addenda."""
    html = render_to_string(
        "reports/pdf/visit_notes.html", {"client": client, "visits": _signed(visits)}
    )
    return Document(DocumentKind.VISIT_NOTES, "Visit notes", html)


def handout(clinic, handout) -> Document:
    knowledge = load_knowledge()
    html = render_to_string(
        "knowledge/partials/handout.html",
        {
            "handout": handout,
            "clinic": clinic,
            "condition": knowledge.conditions[handout.condition],
        },
    )
    return Document(DocumentKind.HANDOUT, "Client handout", html)


def client_record(client) -> Document:
    """The client's whole record: details, safety, measures with charts, plans, signed notes
    with addenda, and discharges."""
    context = chart_context(client, sees_clinical=True)
    courses = progress.courses(list(client.measure_responses.chronological()))
    context.update(
        {
            "charts": letters.charts(courses, list(client.plans.prefetch_related("versions"))),
            "measures": measure_rows(courses),
            "plans": client.plans.prefetch_related("versions").order_by("created_at", "id"),
            "notes": _signed(client.visits.filter(status=VisitStatus.SIGNED)),
            "discharges": client.discharges.select_related("by"),
            "documents": client.issued_documents.defer("pdf").select_related("issued_by"),
            "printed": timezone.localdate(),
        }
    )
    html = render_to_string("reports/pdf/record.html", context)
    return Document(DocumentKind.RECORD, "Client record", html)


def client_record_pdf(client) -> bytes:
    """The client's own copy of their whole record as a PDF (for the portal)."""
    return client_record(client).pdf(client.clinic)


def _signed(visits):
    return (
        visits.filter(status=VisitStatus.SIGNED)
        .select_related("therapist", "signed_by")
        .prefetch_related("addenda__author")
        .order_by("visit_date", "id")
    )


def consent_to_share(client) -> str:
    """The recorded consent under which the client's data may go to their physician, in words;
    ConsentMissing when there is none."""
    if not client.consent_share or client.consent_share_date is None:
        raise ConsentMissing(
            "The client has not recorded consent to share their record with their physician; "
            "record it on their details before emailing."
        )
    return f"Client's consent to share with their physician of {client.consent_share_date:%Y-%m-%d}"


# The same document sent the same way to the same person within this long is a second press of
# "Issue", not a new letter.
DUPLICATE_WINDOW = timedelta(minutes=10)


class Duplicate(Exception):
    """The form sent again: the identical document was issued moments ago."""

    def __init__(self, issued: IssuedDocument):
        super().__init__("This document was issued already.")
        self.issued = issued


def same_issued_lately(client, kind: str, method: str, recipient: str, content: bytes, now=None):
    """The client's identical document (kind, how, to whom, content hash) issued within
    DUPLICATE_WINDOW, or None."""
    since = (now or timezone.now()) - DUPLICATE_WINDOW
    return (
        client.issued_documents.filter(
            kind=kind,
            method=method,
            recipient=recipient,
            sha256=hashlib.sha256(content).hexdigest(),
            issued_at__gte=since,
        )
        .defer("pdf")
        .order_by("-issued_at")
        .first()
    )


def issue(document: Document, client, *, by, method: str, recipient: str = "", to_email: str = ""):
    """Render, keep and (for email) send the document. What is kept is what was sent. The same
    document issued the same way to the same person minutes ago raises Duplicate."""
    consent = ""
    if method == Delivery.EMAIL:
        consent = consent_to_share(client)
    content = document.pdf(client.clinic)
    earlier = same_issued_lately(client, document.kind, method, recipient or to_email, content)
    if earlier is not None:
        raise Duplicate(earlier)
    with transaction.atomic():  # kept only if it went out
        issued = IssuedDocument.issue(
            client,
            document.kind,
            document.title,
            content,
            by=by,
            method=method,
            recipient=recipient or to_email,
            consent=consent,
        )
        if method == Delivery.EMAIL:
            send(issued, to_email)
    return issued


def send(issued: IssuedDocument, to_email: str) -> None:
    """Email the stored PDF. The message says only who it is from: the attachment is the record."""
    clinic = Letterhead.for_clinic(issued.client.clinic).display_name
    message = EmailMessage(
        subject=f"A document from {clinic}",
        body=(
            f"Please find attached a document from {clinic}.\n\n"
            "For the client's privacy this message holds no health information; the attached "
            "PDF is the record. If it reached you by mistake, please delete it and tell us.\n"
        ),
        to=[to_email],
    )
    message.attach(issued.filename, issued.content(), "application/pdf")
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailed(
            f"The email could not be sent ({error.__class__.__name__}); nothing was recorded "
            "as issued. Try again later, or download the PDF."
        ) from error
