"""The check-in before a visit, sent from home: pain now, the every-visit red flags of the
client's conditions with today's questions (screening's CheckinForm), side effects since the
last visit, and anything new. It fills the draft note and is recorded as a check-in screening,
as the note's own check-in is, so a new red flag blocks treatment until the therapist acts.

Which visit (``visit_for_checkin``, the one place that chooses): the note of the client's next
appointment today (in the clinic's zone), started for that appointment if it has none yet; else
the client's open draft note, or a new draft started for today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.db import transaction
from django.utils import timezone

from kneadwell.accounts.models import Role
from kneadwell.appointments import schedule
from kneadwell.appointments.models import Appointment, ClinicCalendar, Status
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.portal.intake import RED_FLAG_REQUIRED, Advice, advice_for
from kneadwell.portal.models import PortalCheckin
from kneadwell.screening import enforce
from kneadwell.screening.forms import YES_NO, CheckinForm
from kneadwell.visits import notes
from kneadwell.visits.models import Visit, VisitStatus

NPRS_CHOICES = [(str(n), str(n)) for n in range(11)]
ROWS = 2  # side-effect rows on the form


def _effect_choices():
    kinds = load_knowledge().adverse_effect_types.values()
    return [("", "None"), *((kind.id, kind.name) for kind in kinds)]


class PortalCheckinForm(CheckinForm):
    """Screening's check-in (today's questions and the every-visit red flags) in the client's
    words, with pain now, side effects since the last visit and anything new."""

    def __init__(self, *args, conditions: list[str], **kwargs):
        super().__init__(*args, conditions=conditions, **kwargs)
        kb = load_knowledge()
        questions = {item.id: item.client_question for item in kb.checkin_items()}
        for item in self.today_ids:
            field = self.fields[f"today_{item}"]
            field.label = questions[item] or field.label
        for flag in self.flag_ids:
            field = self.fields[f"rf_{flag}"]
            field.help_text = ""
            field.error_messages["required"] = RED_FLAG_REQUIRED
        self.fields["nprs"] = forms.TypedChoiceField(
            label="How bad is your pain right now?",
            help_text="0 is no pain, 10 is the worst pain you can imagine.",
            choices=NPRS_CHOICES,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            error_messages={"required": "Choose a number from 0 to 10."},
        )
        for row in range(1, ROWS + 1):
            again = " (another one)" if row > 1 else ""
            self.fields[f"effect{row}"] = forms.ChoiceField(
                label=f"Since your last visit, did you have a side effect{again}?",
                choices=_effect_choices(),
                required=False,
            )
            self.fields[f"effect{row}_severity"] = forms.IntegerField(
                label="How bad was it (0 to 10)?",
                required=False,
                min_value=0,
                max_value=10,
                error_messages={"invalid": "Enter a number from 0 to 10."},
            )
            self.fields[f"effect{row}_hours"] = forms.IntegerField(
                label="How many hours did it last?",
                required=False,
                min_value=0,
                max_value=2000,
                error_messages={"invalid": "Enter the hours as a number, for example 24."},
            )
        self.fields["medicines"] = forms.CharField(
            label="Any new medicines, or changes to your medicines?",
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["pregnant"] = forms.ChoiceField(
            label="Are you pregnant, or could you be?",
            choices=[*YES_NO, ("na", "Does not apply")],
            widget=forms.RadioSelect,
            required=False,
        )
        self.fields["fall"] = forms.ChoiceField(
            label="Have you had a fall or an accident since your last visit?",
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={"required": "Answer yes or no."},
        )
        self.fields["other"] = forms.CharField(
            label="Anything else your therapist should know?",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def clean(self):
        cleaned = super().clean()
        for row in range(1, ROWS + 1):
            given = (
                cleaned.get(f"effect{row}_severity") is not None
                or cleaned.get(f"effect{row}_hours") is not None
            )
            if given and not cleaned.get(f"effect{row}"):
                self.add_error(f"effect{row}", "Choose the side effect, or clear how bad it was.")
        return cleaned

    def effect_rows(self) -> list[list]:
        return [
            [self[f"effect{row}"], self[f"effect{row}_severity"], self[f"effect{row}_hours"]]
            for row in range(1, ROWS + 1)
        ]

    def adverse(self) -> list[dict]:
        """Side-effect rows as the note stores them."""
        data = self.cleaned_data
        rows = []
        for row in range(1, ROWS + 1):
            if not data.get(f"effect{row}"):
                continue
            entry = {"kind": data[f"effect{row}"]}
            if data.get(f"effect{row}_severity") is not None:
                entry["severity"] = data[f"effect{row}_severity"]
            if data.get(f"effect{row}_hours") is not None:
                entry["duration_hours"] = data[f"effect{row}_hours"]
            rows.append(entry)
        return rows

    def changes(self) -> str:
        """Anything new, in words for the note's "changes since last visit"."""
        data = self.cleaned_data
        lines = []
        if data.get("medicines"):
            lines.append(f"Medicines: {data['medicines']}")
        if data.get("pregnant") == "yes":
            lines.append("Is or could be pregnant.")
        if data.get("fall") == "yes":
            lines.append("Had a fall or an accident since the last visit.")
        return "\n".join(lines)

    def answers(self) -> dict:
        data = self.cleaned_data
        return {key: value for key, value in data.items() if value not in (None, "")}


@dataclass
class Outcome:
    checkin: PortalCheckin
    advice: list[Advice]


def therapist_for(client):
    """Who the draft note and the screening are recorded for: the client's (first) therapist,
    else the clinic's owner (never front desk, who may have sent the invitation)."""
    therapist = client.therapists.order_by("pk").first()
    if therapist is None:
        owner = client.clinic.memberships.filter(role=Role.OWNER).select_related("user").first()
        therapist = owner.user if owner else None
    return therapist


def clinic_today(client, now=None) -> tuple[datetime, datetime]:
    """The start and end of today in the clinic's zone (the calendar's setting)."""
    zone = ClinicCalendar.of(client.clinic_id).zone
    return schedule.day_span(timezone.localtime(now or timezone.now(), zone).date(), zone)


def next_appointment_today(client, now=None, today=None) -> Appointment | None:
    """The client's next booked or arrived appointment that ends later today (the clinic's
    day), whose note is not signed."""
    now = now or timezone.now()
    _, midnight = today or clinic_today(client, now)
    return (
        Appointment.objects.filter(
            client=client,
            clinic_id=client.clinic_id,
            status__in=[Status.BOOKED, Status.ARRIVED],
            ends_at__gt=now,
            starts_at__lt=midnight,
        )
        .exclude(visit__status=VisitStatus.SIGNED)
        .order_by("starts_at", "id")
        .first()
    )


@dataclass(frozen=True)
class Target:
    """The note a check-in now fills: today's next appointment's (its note, or None until one
    is started for it), else the open draft, else a new draft (both None)."""

    appointment: Appointment | None
    note: Visit | None
    today: tuple[datetime, datetime]  # the clinic's day, start and end


def target(client, now=None) -> Target:
    """The one rule for which note a check-in fills; `pending` and `visit_for_checkin` both
    follow it, so the home page never says "nothing due" while a check-in would fill a note."""
    today = clinic_today(client, now)
    appointment = next_appointment_today(client, now, today)
    if appointment is not None:
        return Target(appointment, Visit.objects.filter(appointment=appointment).first(), today)
    return Target(None, notes.open_draft(client), today)


def chosen_draft(client, now=None) -> Visit | None:
    """The existing note a check-in now would fill (None when one would be started)."""
    return target(client, now).note


def visit_for_checkin(client, therapist, now=None) -> Visit:
    """The note this check-in fills (see `target`): started for today's appointment, with its
    therapist, when it has none; a new draft for today when there is no appointment or draft."""
    chosen = target(client, now)
    if chosen.appointment is not None:
        return chosen.note or notes.start_for_appointment(chosen.appointment, therapist)
    return chosen.note or notes.start_visit(client, therapist, from_last=True)


def pending(client, now=None) -> bool:
    """A check-in is due: the client has been screened and has not checked in for the note a
    check-in would fill (`target`); with no note yet, not already today (the clinic's day) and
    someone to start the note for."""
    if enforce.latest_screening(client) is None:
        return False
    chosen = target(client, now)
    done = client.portal_checkins.all()
    if chosen.note is not None:
        return not done.filter(visit=chosen.note).exists()
    if chosen.appointment is not None:
        return True  # its note is started by the check-in
    first, last = chosen.today
    if done.filter(at__gte=first, at__lt=last).exists():
        return False
    return therapist_for(client) is not None  # someone to start the note for


@transaction.atomic
def record(client, form: PortalCheckinForm) -> Outcome:
    """Fill the draft note, record the check-in screening, and say what to do about anything new
    it raised."""
    therapist = therapist_for(client)
    previous = enforce.latest_screening(client)
    visit = visit_for_checkin(client, therapist)
    data = form.cleaned_data
    notes.fill_subjective(
        visit,
        nprs=data["nprs"],
        report=f"From the portal check-in: {data['other']}" if data.get("other") else "",
        changes=form.changes(),
        adverse=form.adverse(),
    )
    visit.checkin = None  # the client's answers are new: always a new check-in screening
    notes.record_checkin(visit, form.red_flags(), therapist, form.today())
    screening = visit.checkin
    said_yes = {f"red_flag:{flag}" for flag, yes in form.red_flags().items() if yes}
    findings = [
        f
        for f in screening.get_findings()
        if f.id not in previous.finding_ids() or f.id in said_yes
    ]
    checkin = PortalCheckin.objects.create(
        client=client,
        answers=form.answers(),
        visit=visit,
        screening=screening,
        new_findings=[f.name for f in findings if f.id not in previous.finding_ids()],
    )
    return Outcome(checkin, advice_for(findings))
