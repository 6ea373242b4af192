"""Session (SOAP) notes: drafted as the therapist types, signed and then locked."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.appointments.models import Appointment
from kneadwell.clients.models import Client
from kneadwell.plans.models import PlanVersion
from kneadwell.screening.models import Screening


class VisitStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class NoteLocked(Exception):
    """A signed note changes only by addendum."""


class Visit(models.Model):
    """One treatment session and its SOAP note.

    A draft is saved as the therapist types (`draft_data` keeps exactly what was typed, even
    when it does not validate yet). Signing locks the note; corrections are addenda. For a
    client whose condition needs the red flags asked at every visit, `checkin` is the screening
    those answers made, and the note is not signed without it.
    """

    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, models.CASCADE, related_name="visits")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="visits")
    plan_version = models.ForeignKey(
        PlanVersion, models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    # The booked appointment this note records; signing the note completes it.
    appointment = models.OneToOneField(
        Appointment, models.SET_NULL, null=True, blank=True, related_name="visit"
    )
    visit_date = models.DateField("date", default=timezone.localdate)
    start_time = models.TimeField("start time", null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("minutes", null=True, blank=True)
    # Subjective
    nprs = models.PositiveSmallIntegerField("pain now (0–10)", null=True, blank=True)
    client_report = models.TextField("what the client reports", blank=True)
    changes_since_last = models.TextField("changes since last visit", blank=True)
    adverse_effects = models.JSONField(default=list, blank=True)
    # Objective
    objective = models.TextField("findings", blank=True)
    pain_regions = models.JSONField(default=list, blank=True)
    treated_regions = models.JSONField(default=list, blank=True)
    # Treatment, assessment, plan
    treatment = models.JSONField(default=list, blank=True)
    assessment = models.TextField(blank=True)
    plan_text = models.TextField("plan", blank=True)
    home_advice = models.TextField("home advice", blank=True)
    # The every-visit red-flag check-in (sciatica, stenosis) answered for this visit.
    checkin = models.ForeignKey(Screening, models.SET_NULL, null=True, blank=True, related_name="+")
    # Draft and signature
    draft_data = models.JSONField(null=True, blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visit_date", "-start_time", "-id"]
        # Outcomes find the visits saved since their last refresh (analytics/refresh.py).
        indexes = [
            models.Index(fields=["clinic", "updated_at"], name="visits_clinic_updated"),
            # The chart's latest visits and the visit list, newest first, without a sort of
            # every visit of the client.
            models.Index(
                fields=["client", "-visit_date", "-start_time", "-id"], name="visits_client_latest"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nprs__isnull=True) | models.Q(nprs__lte=10),
                name="visit_nprs_0_to_10",
                violation_error_message="Pain is rated from 0 to 10.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(signed_at__isnull=False),
                name="visit_signed_has_time",
                violation_error_message="A signed note records when it was signed.",
            ),
        ]

    def __str__(self):
        return f"Visit {self.visit_date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        signing = kwargs.pop("signing", False)
        if self.pk is not None and not signing:
            stored = Visit.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == VisitStatus.SIGNED:
                raise NoteLocked("This note is signed; add an addendum instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("visits:detail", args=[self.client_id, self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == VisitStatus.SIGNED

    def sign(self, user) -> None:
        self.status = VisitStatus.SIGNED
        self.signed_at = timezone.now()
        self.signed_by = user
        self.draft_data = None
        self.save(signing=True)
        if self.appointment_id:
            self.appointment.complete()

    def discard(self) -> None:
        """Delete this draft. A signed note is never discarded: it changes only by addendum."""
        if Visit.objects.filter(pk=self.pk, status=VisitStatus.SIGNED).exists():
            raise NoteLocked("This note is signed; add an addendum instead.")
        self.delete()

    def treatment_items(self) -> list[dict]:
        return [row for row in self.treatment if row.get("technique")]


class Addendum(models.Model):
    """A correction or addition to a signed note, with its author and time. Never edited."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Addendum {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Addenda are never changed; add another one.")
        super().save(*args, **kwargs)
