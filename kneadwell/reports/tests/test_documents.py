"""Issued PDF documents: the progress report filled from the record (read back with pypdf), one
page with its charts; what was issued is served byte for byte later; email needs the client's
consent and carries no health data; every issue and view is access-logged."""

import hashlib
import io
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kneadwell.audit.models import AccessLogEntry
from kneadwell.conftest import CLINICAL_PAGE, OWNER_PAGE, Route, check_access, logged_in
from kneadwell.measures.tests.helpers import record_series
from kneadwell.reports import documents
from kneadwell.reports.models import IssuedDocument, Letterhead
from kneadwell.reports.tests.document_helpers import pdf_pages, pdf_text, reported_course


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 2), (28, 93, 153)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def new_url(client, kind):
    return reverse("reports:document_new", args=[client.pk, kind])


@pytest.fixture
def course(client_record, therapist):
    return reported_course(client_record, therapist)


def test_the_progress_report_shows_the_record(course, client_record, therapist, clinic):
    doc = documents.progress_report(
        client_record, clinic=clinic, author=therapist, ask="Please review her medication."
    )
    text = pdf_text(doc.pdf(clinic))
    for expected in [
        "Chronic low back pain", "ICD-10-CM M54.50",  # the condition with its code
        "3 visits attended of 8 planned",  # visits against planned
        "Lighter pressure after soreness",  # the plan's change
        "RMDQ-24", "Improved", "8 points against ≥ 5: met",  # baseline to latest against MIC
        "Soreness or discomfort, 4/10",  # side effects
        "Cleared by Dr Lee on 2026-08-30",  # clearances
        "Please review her medication.",  # what the therapist asks
        "Ada Lovelace, born 1965-12-10", "Willow Clinic",
    ]:  # fmt: skip
        assert expected in text, expected


def test_a_report_on_a_client_never_screened_nor_seen_does_not_read_as_clear(
    client_record, therapist, clinic
):
    """No screening is not "no findings", and no visit is not "no side effects": a physician
    must not read an empty record as a screened, uneventful course (the walk-through's find)."""
    html = documents.progress_report(client_record, clinic=clinic, author=therapist).html
    assert "No safety screening is recorded yet" in html
    assert "No current safety findings" not in html
    assert "None recorded: no visit is signed yet." in html


def test_a_screened_client_without_findings_says_when_they_were_screened(
    client_record, therapist, clinic
):
    from kneadwell.screening.enforce import record_screening

    record_screening(client_record, {}, "intake", therapist)
    html = documents.progress_report(client_record, clinic=clinic, author=therapist).html
    today = timezone.localdate().isoformat()
    assert f"No current safety findings (latest screening {today})." in html
    assert "No safety screening is recorded yet" not in html


def test_the_progress_report_is_one_page_with_its_charts(course, client_record, therapist, clinic):
    content = documents.progress_report(client_record, clinic=clinic, author=therapist).pdf(clinic)
    assert pdf_pages(content) == 1
    text = pdf_text(content)
    # Text only the SVG chart writes: its axis title and the baseline label.
    assert "RMDQ-24 (0–24). Lower is better" in text
    assert "baseline 14" in text


def test_the_chart_is_drawn_as_vectors(course, client_record, therapist, clinic):
    import io

    from pypdf import PdfReader

    content = documents.progress_report(client_record, clinic=clinic, author=therapist).pdf(clinic)
    page = PdfReader(io.BytesIO(content)).pages[0]
    stream = page.get_contents().get_data()
    # Lines of the chart (moveto/lineto, stroked): a table border alone makes only a few.
    assert stream.count(b" l\n") + stream.count(b" l ") > 20


def test_the_letterhead_heads_every_document(course, client_record, therapist, clinic):
    Letterhead.objects.create(
        clinic=clinic, name="Willow Massage", address="1 Elm Road\nLeeds", phone="0113 000",
        logo=PNG, logo_type="image/png",
    )  # fmt: skip
    content = documents.progress_report(client_record, clinic=clinic, author=therapist).pdf(clinic)
    text = pdf_text(content)
    assert "Willow Massage" in text and "1 Elm Road" in text and "0113 000" in text
    assert b"/Subtype /Image" in content


def test_two_actions_from_the_progress_page_give_the_physician_pdf(
    course, client_record, therapist
):
    browser = logged_in(therapist)
    page = browser.get(reverse("reports:progress", args=[client_record.pk])).content.decode()
    assert new_url(client_record, "progress") in page  # action one: the link
    form = browser.get(new_url(client_record, "progress"))
    assert "3 visits attended of 8 planned" in form.content.decode()  # the preview, same template
    response = browser.post(new_url(client_record, "progress"), {"method": "download"})  # two
    issued = IssuedDocument.objects.get()
    # Post-redirect-get: the documents page says so and starts the download from there.
    listing = reverse("reports:documents", args=[client_record.pk])
    assert response.status_code == 302 and response["Location"] == listing
    page = browser.get(listing).content.decode()
    assert "Progress report issued (downloaded)." in page
    assert f'http-equiv="refresh" content="0;url={issued.get_absolute_url()}"' in page
    assert "Downloading" not in browser.get(listing).content.decode()  # once only
    download = browser.get(issued.get_absolute_url())
    assert download["Content-Type"] == "application/pdf"
    assert (
        download["Content-Disposition"]
        == f'attachment; filename="kneadwell-document-{issued.pk}.pdf"'
    )
    assert "Lovelace" not in download["Content-Disposition"]


def test_an_issued_document_is_served_byte_for_byte_after_the_record_changes(
    course, client_record, therapist
):
    browser = logged_in(therapist)
    browser.post(new_url(client_record, "progress"), {"method": "print", "ask": "Review, please."})
    issued = IssuedDocument.objects.get()
    first = browser.get(issued.get_absolute_url()).content
    assert hashlib.sha256(first).hexdigest() == issued.sha256
    record_series(client_record, "rmdq", [{str(n): 1 for n in range(1, 25)}])  # worse since
    second = browser.get(issued.get_absolute_url()).content
    assert second == first
    first_day, latest_day = (
        timezone.localtime(r.taken_at).date().isoformat()
        for r in client_record.measure_responses.filter(instrument="rmdq").order_by("taken_at")[:2]
    )
    assert f"RMDQ-24 14 {first_day} 6 {latest_day}" in pdf_text(second)  # not the new 24
    assert issued.intact()


def test_issued_documents_never_change(course, client_record, therapist):
    doc = documents.progress_report(client_record, clinic=client_record.clinic, author=therapist)
    issued = documents.issue(doc, client_record, by=therapist, method="download")
    issued.title = "Something else"
    with pytest.raises(PermissionError):
        issued.save()
    with pytest.raises(PermissionError):
        IssuedDocument.objects.update(title="Else")


def test_issue_and_view_are_access_logged(course, client_record, therapist):
    browser = logged_in(therapist)
    browser.get(new_url(client_record, "progress"))
    browser.post(new_url(client_record, "progress"), {"method": "download"})
    issued = IssuedDocument.objects.get()
    browser.get(issued.get_absolute_url())
    browser.get(reverse("reports:documents", args=[client_record.pk]))
    logged = list(
        AccessLogEntry.objects.filter(client_id=client_record.pk)
        .order_by("id")
        .values_list("action", "what")
    )
    assert logged[-4:] == [
        ("view", "document preview: Progress report to the physician"),
        ("export", "issued Progress report to the physician"),
        ("view", f"issued document {issued.pk}"),
        ("view", "issued documents"),
    ]


def test_email_needs_the_clients_consent_to_share(course, client_record, therapist):
    # Consent to data processing is not consent to share with the physician.
    client_record.consent_data, client_record.consent_data_date = True, date(2026, 8, 1)
    client_record.save()
    browser = logged_in(therapist)
    body = {"method": "email", "to_email": "dr.lee@example.org", "recipient": "Dr Lee"}
    response = browser.post(new_url(client_record, "progress"), body)
    assert response.status_code == 422
    page = response.content.decode()
    assert "has not recorded consent to share their record with their physician" in page
    assert 'value="dr.lee@example.org"' in page  # what was typed is kept
    assert not IssuedDocument.objects.exists() and not mail.outbox


def test_email_carries_the_pdf_and_no_health_data(course, client_record, therapist):
    client_record.consent_share, client_record.consent_share_date = True, date(2026, 8, 1)
    client_record.save()
    browser = logged_in(therapist)
    body = {"method": "email", "to_email": "dr.lee@example.org", "recipient": "Dr Lee"}
    response = browser.post(new_url(client_record, "progress"), body)
    assert response.status_code == 302
    issued = IssuedDocument.objects.get()
    assert issued.consent == "Client's consent to share with their physician of 2026-08-01"
    assert issued.recipient == "Dr Lee" and issued.method == "email"
    (message,) = mail.outbox
    assert message.to == ["dr.lee@example.org"]
    words = f"{message.subject} {message.body}"
    for private in ["Lovelace", "Ada", "back", "pain", "RMDQ", "1965"]:
        assert private not in words
    ((name, content, kind),) = message.attachments
    assert (name, kind) == (issued.filename, "application/pdf")
    assert content == issued.content()


def test_a_failed_email_records_nothing_and_says_so(course, client_record, therapist, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    client_record.consent_share, client_record.consent_share_date = True, date(2026, 8, 1)
    client_record.save()
    body = {"method": "email", "to_email": "dr.lee@example.org"}
    response = logged_in(therapist).post(new_url(client_record, "progress"), body)
    assert response.status_code == 422
    assert "could not be sent" in response.content.decode()
    assert not IssuedDocument.objects.exists()
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_email_without_an_address_says_so(course, client_record, therapist):
    response = logged_in(therapist).post(new_url(client_record, "progress"), {"method": "email"})
    assert response.status_code == 422
    assert "Give the email address" in response.content.decode()


@pytest.mark.parametrize("kind", ["visit_notes", "handout", "record"])
def test_every_kind_without_a_source_issues(kind, course, client_record, therapist):
    visits = client_record.visits.order_by("visit_date")
    body = {
        "method": "download",
        "visits": [visits[0].pk, visits[2].pk],
        "handout": "chronic_lbp_handout",
    }
    response = logged_in(therapist).post(new_url(client_record, kind), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    text = pdf_text(IssuedDocument.objects.get().content())
    expected = {
        "visit_notes": ["Visit 2026-09-01", "Visit 2026-09-15", "Subjective"],
        "handout": ["Massage for long-term low back pain", "What massage cannot do"],
        "record": ["Client record", "Visit 2026-09-08", "RMDQ-24", "Soreness or discomfort"],
    }[kind]
    for words in expected:
        assert words in text, words
    if kind == "visit_notes":
        assert "Visit 2026-09-08" not in text


def test_visit_notes_need_a_choice(course, client_record, therapist):
    response = logged_in(therapist).post(new_url(client_record, "visit_notes"), {"method": "print"})
    assert response.status_code == 422
    assert "Choose at least one signed note." in response.content.decode()


def test_source_documents_issue_from_their_record(course, client_record, therapist):
    from kneadwell.plans.models import Discharge, Reassessment

    plan = course
    decision = Reassessment.record(
        plan.current(), decision="refer_physician", note="Not improving", by=therapist
    )
    summary = {"measures": [], "visits": {"count": 3}, "goals": []}
    discharge = Discharge.record(client_record, therapist, summary, "Keep walking.")
    browser = logged_in(therapist)
    for kind, source, words in [
        ("reassessment", decision.pk, "Not improving"),
        ("discharge", discharge.pk, "Keep walking."),
    ]:
        url = f"{new_url(client_record, kind)}?source={source}"
        assert browser.get(url).status_code == 200
        browser.post(url, {"method": "download"})
        assert words in pdf_text(IssuedDocument.objects.first().content())
    assert browser.get(f"{new_url(client_record, 'discharge')}?source=999999").status_code == 404
    assert browser.get(new_url(client_record, "discharge")).status_code == 404
    assert browser.get(new_url(client_record, "nonsense")).status_code == 404


def test_the_client_record_pdf_is_ready_for_the_portal(course, client_record):
    text = pdf_text(documents.client_record_pdf(client_record))
    assert "Ada Lovelace" in text and "Visit 2026-09-15" in text


@pytest.fixture
def issued(course, client_record, therapist):
    doc = documents.progress_report(client_record, clinic=client_record.clinic, author=therapist)
    return documents.issue(doc, client_record, by=therapist, method="download")


ROUTES = [
    Route("documents", lambda r: reverse("reports:documents", args=[r[0].pk]), CLINICAL_PAGE),
    Route("new", lambda r: new_url(r[0], "handout"), CLINICAL_PAGE),
    # The owner sends the handout the therapist has just issued the same way: a duplicate.
    Route("issue", lambda r: new_url(r[0], "handout"), (302, 404, 404, 403, 302, 409),
          method="post", body={"method": "download", "handout": "chronic_lbp_handout"}),
    Route("file", lambda r: reverse("reports:document", args=[r[0].pk, r[1].pk]), CLINICAL_PAGE),
    Route("share", lambda r: reverse("reports:document_share", args=[r[0].pk, r[1].pk]),
          (302, 404, 404, 403, 302, 302), method="post", body={"share": "share"}),
    Route("withdraw", lambda r: reverse("reports:document_share", args=[r[0].pk, r[1].pk]),
          (302, 404, 404, 403, 302, 302), method="post", body={"share": "withdraw"}),
    Route("letterhead", lambda r: reverse("reports:letterhead"), OWNER_PAGE),
]  # fmt: skip


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_document_page_is_scoped(people, client_record, issued, route):
    check_access(people, route, (client_record, issued))


def test_the_owner_sets_the_letterhead_with_a_logo(owner, clinic):
    from django.core.files.uploadedfile import SimpleUploadedFile

    browser = logged_in(owner)
    body = {"name": "Willow Massage", "address": "1 Elm Road", "email": "hi@willow.test",
            "logo_file": SimpleUploadedFile("logo.png", PNG, "image/png")}  # fmt: skip
    response = browser.post(reverse("reports:letterhead"), body)
    assert response.status_code == 302
    head = Letterhead.objects.get(clinic=clinic)
    assert (head.display_name, head.logo_type, bytes(head.logo)) == (
        "Willow Massage",
        "image/png",
        PNG,
    )


def test_a_logo_that_is_not_an_image_is_refused_next_to_the_field(owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {"name": "Willow Massage", "logo_file": SimpleUploadedFile("logo.png", b"<svg/>")}
    response = logged_in(owner).post(reverse("reports:letterhead"), body)
    assert response.status_code == 422
    page = response.content.decode()
    assert "must be a PNG or JPEG" in page and 'value="Willow Massage"' in page


def test_the_same_form_sent_again_is_refused_as_a_duplicate(course, client_record, therapist):
    browser = logged_in(therapist)
    body = {"method": "download", "ask": "Review, please."}
    assert browser.post(new_url(client_record, "progress"), body).status_code == 302
    first = IssuedDocument.objects.get()
    again = browser.post(new_url(client_record, "progress"), body)  # a tired second press
    page = again.content.decode()
    assert again.status_code == 409
    assert "This progress report was issued already at" in page
    assert first.get_absolute_url() in page and "Review, please." in page  # typed text kept
    assert IssuedDocument.objects.count() == 1
    printed = browser.post(new_url(client_record, "progress"), body | {"method": "print"})
    assert printed.status_code == 302 and IssuedDocument.objects.count() == 2  # another way


def test_the_same_document_later_is_issued_again(course, client_record, therapist):
    import time_machine
    from django.utils import timezone

    browser = logged_in(therapist)
    browser.post(new_url(client_record, "progress"), {"method": "download"})
    with time_machine.travel(timezone.now() + documents.DUPLICATE_WINDOW, tick=False):
        response = browser.post(new_url(client_record, "progress"), {"method": "download"})
    assert response.status_code == 302 and IssuedDocument.objects.count() == 2
