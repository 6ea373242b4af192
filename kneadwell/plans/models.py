"""A client's individual treatment plan, kept as numbered versions so every change is visible."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.clients.models import Client

# Where to look for a plan's primary measure in its schedule, in order: the reassessment
# measures, then the baseline ones, then the every-visit ones (reassessment and outcomes).
PRIMARY_ORDER = ("periodic", "baseline", "every_visit")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Plan(models.Model):
    """A course of massage for one of the client's conditions, started from that condition's
    evidence-graded template and filtered by the client's screening."""

    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, models.CASCADE, related_name="plans")
    condition = models.CharField(max_length=60, help_text="Knowledge-base condition id")
    template = models.CharField(max_length=60, help_text="Knowledge-base plan template id")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The outcomes page's refresh check reads the plans started since its last look.
            models.Index(fields=["clinic", "created_at"], name="plan_clinic_created"),
        ]

    def __str__(self):
        return f"Plan for {self.condition}"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.client_id, self.pk])

    def current(self) -> "PlanVersion":
        return self.versions.order_by("-number").first()


class PlanVersion(models.Model):
    """One version of a plan. Versions are never edited: a change makes the next number."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    goals = models.JSONField(default=list, help_text="[{text, psfs_activity}]")
    techniques = models.JSONField(default=list, help_text="Technique ids, in order")
    focus_regions = models.JSONField(default=list, help_text="Body-region ids to work on")
    max_pressure = models.PositiveSmallIntegerField(help_text="1-5 on the pressure scale")
    session_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    reassess_after_visits = models.PositiveSmallIntegerField(null=True, blank=True)
    reassess_after_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    combine_with = models.JSONField(default=list, help_text="[{kind, note}]")
    measures = models.JSONField(default=dict, help_text="{baseline, every_visit, periodic}")
    positioning = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="plan_version_number_unique",
                violation_error_message="This plan already has a version with that number.",
            ),
            models.CheckConstraint(
                condition=models.Q(max_pressure__gte=1, max_pressure__lte=5),
                name="plan_version_pressure_1_to_5",
                violation_error_message="Pressure is a level from 1 to 5.",
            ),
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Plan versions are never changed; save a new version instead.")
        super().save(*args, **kwargs)


class Decision(models.TextChoices):
    CONTINUE = "continue", "Continue the plan"
    CHANGE_PLAN = "change_plan", "Change the plan"
    REFER_PHYSICIAN = "refer_physician", "Refer to the physician"
    STOP = "stop", "Stop treatment and discharge"


class Reassessment(models.Model):
    """The therapist's decision at a plan's reassessment point: carry on, change the plan,
    refer to the physician or stop. The next reassessment point counts from here."""

    client = models.ForeignKey(Client, models.CASCADE, related_name="reassessments")
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="reassessments")
    plan_version = models.ForeignKey(PlanVersion, models.PROTECT, related_name="reassessments")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    note = models.TextField(blank=True)
    # What the primary measure showed when the therapist decided, in words, for the record.
    primary_instrument = models.CharField(max_length=30, blank=True)
    primary_status = models.CharField(max_length=30, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=Decision.values),
                name="plan_reassessment_decision_known",
                violation_error_message="Choose one of the offered decisions.",
            )
        ]

    def __str__(self):
        return f"{self.get_decision_display()} on {self.decided_at:%Y-%m-%d}"

    @classmethod
    def record(
        cls, version, *, decision: str, note: str, by, primary_instrument="", primary_status=""
    ) -> "Reassessment":
        """Record the decision taken on this plan version; the next point counts from it."""
        return cls.objects.create(
            client=version.plan.client,
            plan=version.plan,
            plan_version=version,
            decision=decision,
            note=note,
            primary_instrument=primary_instrument,
            primary_status=primary_status,
            by=by,
        )


class Discharge(models.Model):
    """The end of a client's course: a summary of baseline against final scores, visits, goals
    met, the client's own impression of change and recommendations, kept exactly as written."""

    client = models.ForeignKey(Client, models.CASCADE, related_name="discharges")
    summary = models.JSONField(help_text="A snapshot of the summary as it was signed off")
    recommendations = models.TextField()
    discharged_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-discharged_at", "-id"]

    def __str__(self):
        return f"Discharge on {self.discharged_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("reports:discharge_detail", args=[self.client_id, self.pk])

    @classmethod
    def record(cls, client, by, summary: dict, recommendations: str, when=None) -> "Discharge":
        """Save the summary, close the client's active plans and mark the client discharged."""
        discharge = cls.objects.create(
            client=client,
            summary=summary,
            recommendations=recommendations,
            by=by,
            discharged_at=when or timezone.now(),
        )
        client.plans.filter(status=PlanStatus.ACTIVE).update(status=PlanStatus.CLOSED)
        client.discharge(discharge.discharged_at)
        return discharge
