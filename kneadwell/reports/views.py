"""The reporting step: the client's chart, progress and reassessment decisions, discharge, and
letters to the physician. Every lookup goes through clients.access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from kneadwell.accounts.decorators import owner_required
from kneadwell.audit.models import Action, log_access
from kneadwell.clients import views as clients_views
from kneadwell.clients.access import get_client_for_user
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.plans.models import Decision, Discharge, Reassessment
from kneadwell.reports import client_rows, discharge, letters, progress_page
from kneadwell.reports import documents as documents_module
from kneadwell.reports.chart_page import chart_context
from kneadwell.reports.forms import DischargeForm, IssueForm, LetterheadForm, ReassessmentForm
from kneadwell.reports.models import Delivery, DocumentKind, DocumentShare, Letterhead
from kneadwell.screening.findings import current_findings
from kneadwell.screening.forms import ReferralForm, ReferralSentForm
from kneadwell.screening.models import Referral


@login_required
def chart(request, pk, *, template="reports/chart.html", extra=None):
    """The client's chart. An app above reports (the portal) may add its own sections:
    `extra(client, sees_clinical)` gives their context, `template` extends reports/chart.html."""
    client = get_client_for_user(request, pk)
    sees_clinical = request.membership.sees_clinical
    log_access(request, Action.VIEW, "chart" if sees_clinical else "demographics", client)
    context = chart_context(
        client, sees_clinical=sees_clinical, plans_page=request.GET.get("plans")
    )
    if extra is not None:
        context.update(extra(client, sees_clinical))
    return render(request, template, context)


@login_required
def progress(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    if request.method == "POST":
        return _decide(request, client)
    log_access(request, Action.VIEW, "progress and reassessment", client)
    return render(request, "reports/progress.html", progress_page.context(client, request.GET))


def _decide(request, client):
    """Record the therapist's reassessment decision, then go where it leads."""
    context = progress_page.context(client, request.GET)
    review = context["review"]
    if review is None:
        messages.error(request, "There is no active plan to reassess.")
        return redirect("reports:progress", pk=client.pk)
    form = ReassessmentForm(request.POST, choices=review.option_choices)
    if not form.is_valid():
        log_access(request, Action.VIEW, "progress and reassessment", client)
        return render(request, "reports/progress.html", {**context, "form": form}, status=422)
    with transaction.atomic():
        decision = Reassessment.record(
            review.version, by=request.user, **form.cleaned_data, **review.primary_summary()
        )
        log_access(request, Action.CREATE, "reassessment decision", client)
    messages.success(request, f"Recorded: {decision.get_decision_display().lower()}.")
    return _next_step(decision)


def _next_step(decision):
    """Where a reassessment decision leads."""
    client_pk = decision.client_id
    if decision.decision == Decision.CHANGE_PLAN:
        return redirect("plans:edit", client_pk=client_pk, pk=decision.plan_id)
    if decision.decision == Decision.REFER_PHYSICIAN:
        return redirect("reports:reassessment_letter", pk=client_pk, reassessment_pk=decision.pk)
    if decision.decision == Decision.STOP:
        return redirect("reports:discharge", pk=client_pk)
    return redirect("reports:progress", pk=client_pk)


@login_required
def reassessment_letter(request, pk, reassessment_pk):
    """A letter to the physician when a course is not helping: the scores up to the decision."""
    client = get_client_for_user(request, pk, clinical=True)
    decisions = client.reassessments.select_related("client", "plan", "plan_version", "by")
    decision = get_object_or_404(decisions, pk=reassessment_pk)
    letter = letters.reassessment_letter(decision, clinic=request.membership.clinic)
    log_access(request, Action.VIEW, "referral letter (not improving)", client)
    context = {"client": client, "decision": decision, "letter_html": mark_safe(letter.html())}  # noqa: S308
    return render(request, "reports/reassessment_letter.html", context)


@login_required
def discharge_new(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    course = discharge.current_course(client)
    form = DischargeForm(request.POST or None, goals=course.goals)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record = Discharge.record(
                client, request.user, course.snapshot(form), form.cleaned_data["recommendations"]
            )
            log_access(request, Action.CREATE, "discharge summary", client)
        messages.success(request, f"{client.display_name} is discharged; the plan is closed.")
        return redirect(record)
    if request.method == "GET":
        log_access(request, Action.VIEW, "discharge form", client)
    context = {"client": client, "form": form, "preview": course.preview(), "plans": course.plans}
    return render(request, "reports/discharge_form.html", context)


@login_required
def discharge_detail(request, pk, discharge_pk):
    client = get_client_for_user(request, pk, clinical=True)
    record = get_object_or_404(client.discharges.select_related("by"), pk=discharge_pk)
    log_access(request, Action.VIEW, "discharge summary", client)
    context = {"client": client, "discharge": record, "summary": record.summary}
    return render(request, "reports/discharge.html", context)


@login_required
def referral_new(request, pk):
    client = get_client_for_user(request, pk, clinical=True)
    findings, _ = current_findings(client)
    form = ReferralForm(
        request.POST or None, findings=findings, initial=_referral_initial(request, client)
    )
    if request.method == "POST" and form.is_valid():
        finding = next(f for f in findings if f.id == form.cleaned_data["finding"])
        letter = letters.referral_letter(client, finding, form.cleaned_data["note"], request)
        with transaction.atomic():
            referral = Referral.record(client, finding, letter.html(), request.user)
            log_access(request, Action.CREATE, "referral letter", client)
        return redirect(referral)
    log_access(request, Action.VIEW, "referral form", client)
    return render(request, "reports/referral_new.html", {"form": form, "client": client})


def _referral_initial(request, client) -> dict:
    """The finding of the referral task the therapist came from (?task=<number>: the task's
    number, never the finding, goes in the address), if any."""
    task = request.GET.get("task", "")
    if not task.isdigit():
        return {}
    found = client.referral_tasks.filter(pk=int(task)).first()
    return {"finding": found.finding_id} if found else {}


@login_required
def referral_detail(request, pk, referral_pk):
    client = get_client_for_user(request, pk, clinical=True)
    referral = get_object_or_404(client.referrals, pk=referral_pk)
    form = ReferralSentForm(request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        referral.mark_sent(form.cleaned_data["sent_at"], form.cleaned_data["method"])
        log_access(request, Action.UPDATE, "referral letter fields: sent_at, method", client)
        messages.success(request, "Recorded how and when the letter was sent.")
        return redirect(referral)
    log_access(request, Action.VIEW, "referral letter", client)
    context = {"client": client, "referral": referral, "form": form}
    return render(request, "reports/referral.html", context)


def client_list(request):
    """The client list with its last-visit and safety columns (``client_rows.rows``)."""
    return clients_views.client_list(request, rows=client_rows.rows)


@login_required
def documents(request, pk):
    """The documents issued about the client, and what can be issued."""
    client = get_client_for_user(request, pk, clinical=True)
    issued = (
        client.issued_documents.defer("pdf")
        .select_related("issued_by")
        .prefetch_related(Prefetch("shares", DocumentShare.objects.current(), "current"))
    )
    log_access(request, Action.VIEW, "issued documents", client)
    download = request.session.pop(_DOWNLOAD, None)  # just issued to download: once
    download = next((doc for doc in issued if doc.pk == download), None)
    context = {"client": client, "issued": issued, "kinds": DocumentKind.choices}
    context["download"] = download
    return render(request, "reports/documents.html", context)


@login_required
def document_new(request, pk, kind):
    """Preview a document as it will read, then issue it: kept byte for byte, then served."""
    client = get_client_for_user(request, pk, clinical=True)
    make = _document_maker(request, client, kind)
    form = IssueForm(request.POST or None, client=client, kind=kind)
    context = {}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a failed email records nothing
                issued = documents_module.issue(
                    make(form), client, by=request.user, **form.delivery()
                )
                log_access(request, Action.EXPORT, f"issued {issued.get_kind_display()}", client)
                if form.cleaned_data.get("share_with_client"):
                    issued.share(by=request.user)
                    log_access(request, Action.UPDATE, _SHARED.format(issued.pk), client)
        except documents_module.SendFailed as failed:
            form.add_error(None, ValidationError({"to_email": str(failed)}))
        except documents_module.Duplicate as duplicate:
            context["duplicate"] = duplicate.issued
            form.add_error(None, _duplicate_message(duplicate.issued))
        else:
            how = issued.get_method_display().lower()
            messages.success(request, f"{issued.title} issued ({how}).")
            if issued.method == Delivery.DOWNLOAD:  # the documents page starts the download
                request.session[_DOWNLOAD] = issued.pk
            return redirect("reports:documents", pk=pk)
    log_access(request, Action.VIEW, f"document preview: {DocumentKind(kind).label}", client)
    preview = mark_safe(make(form).html) if kind != "visit_notes" else ""  # noqa: S308
    context |= {"client": client, "form": form, "kind": DocumentKind(kind), "preview": preview}
    status = 409 if "duplicate" in context else 422 if form.errors else 200
    return render(request, "reports/document_new.html", context, status=status)


_DOWNLOAD = "kneadwell_download_document"


def _duplicate_message(issued) -> str:
    when = timezone.localtime(issued.issued_at)
    how = issued.get_method_display().lower()
    to = f" to {issued.recipient}" if issued.recipient else ""
    return (
        f"This {issued.title.lower()} was issued already at {when:%H:%M} ({how}{to}), with the "
        "same content: nothing new was issued. Open that one from the Documents list."
    )


def _document_maker(request, client, kind):
    """kind → a function of the valid (or unbound) form giving the Document; 404 otherwise.
    Records a document reads from (?source=<number>) are looked up among the client's own."""
    clinic, source = request.membership.clinic, request.GET.get("source", "")
    if kind == DocumentKind.PROGRESS:
        return lambda form: documents_module.progress_report(
            client, clinic=clinic, author=request.user, ask=form.data.get("ask", "")
        )
    if kind == DocumentKind.RECORD:
        return lambda form: documents_module.client_record(client)
    if kind == DocumentKind.VISIT_NOTES:
        return lambda form: documents_module.visit_notes(client, client.visits.filter(
            pk__in=[v.pk for v in form.cleaned_data.get("visits", [])] if form.is_bound else []
        ))  # fmt: skip
    if kind == DocumentKind.HANDOUT:
        handouts = load_knowledge().handouts
        return lambda form: documents_module.handout(
            clinic, handouts.get(form.data.get("handout")) or next(iter(handouts.values()))
        )
    managers = {
        DocumentKind.REFERRAL: (client.referrals, documents_module.referral),
        DocumentKind.DISCHARGE: (client.discharges, documents_module.discharge),
        DocumentKind.REASSESSMENT: (
            client.reassessments,
            lambda d: documents_module.reassessment(d, clinic=clinic),
        ),
    }
    if kind not in managers or not source.isdigit():
        raise Http404("No such document.")
    manager, build = managers[kind]
    record = get_object_or_404(manager, pk=int(source))
    return lambda form: build(record)


@login_required
def document(request, pk, document_pk):
    """The issued PDF exactly as it went out: the stored bytes, never a new rendering."""
    client = get_client_for_user(request, pk, clinical=True)
    issued = get_object_or_404(client.issued_documents, pk=document_pk)
    log_access(request, Action.VIEW, f"issued document {issued.pk}", client)
    response = HttpResponse(issued.content(), content_type="application/pdf")
    how = "attachment" if issued.method == Delivery.DOWNLOAD else "inline"
    response["Content-Disposition"] = f'{how}; filename="{issued.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = issued.sha256
    return response


_SHARED = "issued document {} shared with the client in the portal"
_WITHDRAWN = "issued document {} no longer shared with the client"


@require_POST
@login_required
def document_share(request, pk, document_pk):
    """Share an issued document with the client in the portal, or stop sharing it."""
    client = get_client_for_user(request, pk, clinical=True)
    issued = get_object_or_404(client.issued_documents.defer("pdf"), pk=document_pk)
    if request.POST.get("share") == "withdraw":
        if issued.withdraw(by=request.user):
            log_access(request, Action.UPDATE, _WITHDRAWN.format(issued.pk), client)
        messages.success(request, f"{issued.title}: no longer shared with the client.")
    else:
        issued.share(by=request.user)
        log_access(request, Action.UPDATE, _SHARED.format(issued.pk), client)
        messages.success(request, f"{issued.title}: the client can download it in the portal.")
    return redirect("reports:documents", pk=pk)


@owner_required
def letterhead(request):
    """The owner's letterhead settings: the head of every document the clinic issues."""
    clinic = request.membership.clinic
    form = LetterheadForm(
        request.POST or None, request.FILES or None, instance=Letterhead.for_clinic(clinic)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The letterhead is saved; new documents use it.")
        return redirect("reports:letterhead")
    status = 422 if form.errors else 200
    return render(request, "reports/letterhead.html", {"form": form}, status=status)
