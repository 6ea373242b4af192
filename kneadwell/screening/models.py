"""Intake, screenings and what the therapist records about their findings.

Answers and findings are stored as JSON snapshots of knowledge-base ids, so a record still says
what was asked and found even after the knowledge base or a clinic's rules change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kneadwell.clients.models import Client
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.screening.engine import Finding, ScreeningAnswers


class Intake(models.Model):
    """The first interview: complaint, conditions, pain areas, medicines, history, red flags.

    ``answers`` holds: conditions (ids), complaint, onset (ISO date), duration, pain_areas
    (region ids), medication_classes, medications (free text), history, areas (region ids
    recorded with a history item or finding), pregnancy_week, findings, red_flags (id: yes/no),
    goals and consent.
    """

    client = models.ForeignKey(Client, models.CASCADE, related_name="intakes")
    answers = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="intakes_taken"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Intake {self.created_at:%Y-%m-%d} for client {self.client_id}"

    def get_absolute_url(self):
        return reverse("screening:intake", args=[self.client_id, self.pk])


class ScreeningKind(models.TextChoices):
    INTAKE = "intake", "Intake"
    VISIT_CHECKIN = "visit_checkin", "Visit check-in"


class ScreeningQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-at", "-id")


class Screening(models.Model):
    """One evaluation of a client's answers against the clinic's rules, and what it found.

    An intake makes one; each visit check-in for sciatica or stenosis makes another with the
    every-visit red flags asked again. The newest screening is the one that counts.
    """

    client = models.ForeignKey(Client, models.CASCADE, related_name="screenings")
    intake = models.ForeignKey(
        Intake, models.CASCADE, related_name="screenings", null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=ScreeningKind.choices)
    answers = models.JSONField(default=dict)
    findings = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="screenings_done"
    )
    at = models.DateTimeField(default=timezone.now)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # The latest screening (the one that counts) and the chart's history, without a sort of
        # every check-in of a client who is asked the red flags at each visit.
        indexes = [models.Index(fields=["client", "-at", "-id"], name="screening_client_latest")]

    def __str__(self):
        return f"{self.get_kind_display()} screening {self.at:%Y-%m-%d} for client {self.client_id}"

    def get_findings(self) -> list[Finding]:
        return [Finding.from_dict(data) for data in self.findings]

    def get_answers(self) -> ScreeningAnswers:
        return ScreeningAnswers.from_dict(self.answers)

    def finding_ids(self) -> set[str]:
        return {data["id"] for data in self.findings}


class Clearance(models.Model):
    """A physician's word that treatment may go ahead despite a finding.

    It lifts the block of an emergency or urgent finding; the restrictions still apply.
    """

    client = models.ForeignKey(Client, models.CASCADE, related_name="clearances")
    finding_ids = models.JSONField(
        default=list, help_text="Finding ids (rule:… or red_flag:…) or rule and red-flag ids."
    )
    physician_name = models.CharField("physician's name", max_length=150)
    cleared_on = models.DateField("date of clearance")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="clearances_recorded"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"Clearance by {self.physician_name} on {self.cleared_on:%Y-%m-%d}"


class Override(models.Model):
    """The therapist's recorded decision to do something a finding forbids, and why.

    One row per forbidden item; each is also written to the access log.
    """

    client = models.ForeignKey(Client, models.CASCADE, related_name="overrides")
    screening = models.ForeignKey(
        Screening, models.SET_NULL, null=True, blank=True, related_name="overrides"
    )
    finding_id = models.CharField(max_length=120)
    violation = models.CharField(max_length=20, help_text="region, technique, pressure or position")
    reason = models.TextField()
    technique = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    pressure = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.CharField("client's position", max_length=30, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="overrides")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="screening_override_has_reason",
                violation_error_message="Say why you are overriding this finding.",
            )
        ]

    def __str__(self):
        return f"Override of {self.finding_id} on {self.at:%Y-%m-%d}"


class SendMethod(models.TextChoices):
    POST = "post", "Post"
    FAX = "fax", "Fax"
    EMAIL = "email", "Email"
    HAND = "hand", "Given to the client by hand"
    PHONE = "phone", "Read out by phone"


class Referral(models.Model):
    """A letter to the client's physician about a finding, and when and how it was sent.

    The letter is kept exactly as written (an HTML snapshot), even if the record changes later.
    """

    client = models.ForeignKey(Client, models.CASCADE, related_name="referrals")
    finding_id = models.CharField(max_length=120)
    urgency = models.CharField(max_length=20)
    letter_html = models.TextField()
    sent_at = models.DateTimeField("sent", null=True, blank=True)
    method = models.CharField(max_length=10, choices=SendMethod.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="referrals_written"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | ~Q(method=""),
                name="screening_referral_sent_how",
                violation_error_message="Say how the letter was sent.",
            )
        ]

    def __str__(self):
        return f"Referral about {self.finding_id} for client {self.client_id}"

    def get_absolute_url(self):
        return reverse("reports:referral", args=[self.client_id, self.pk])

    @classmethod
    def record(cls, client, finding, letter_html: str, by) -> "Referral":
        """Keep the letter exactly as written about this finding; sending is recorded later."""
        return cls.objects.create(
            client=client,
            finding_id=finding.id,
            urgency=finding.tier,
            letter_html=letter_html,
            recorded_by=by,
        )

    def mark_sent(self, sent_at, method: str) -> None:
        """Record when and how the letter went, and close the referral tasks it answers."""
        self.sent_at, self.method = sent_at, method
        self.save(update_fields=["sent_at", "method"])
        self.client.referral_tasks.filter(finding_id=self.finding_id, done_at=None).update(
            done_at=timezone.now(), referral=self
        )


class ReferralTaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at=None)


class ReferralTask(models.Model):
    """A referral to the physician that a finding calls for, due as its tier says (tiers.yaml:
    today for emergency and urgent findings), shown on the chart until a referral letter about
    the finding is recorded as sent."""

    client = models.ForeignKey(Client, models.CASCADE, related_name="referral_tasks")
    finding_id = models.CharField(max_length=120)
    name = models.CharField(max_length=200, help_text="The finding's name when it was raised")
    tier = models.CharField(max_length=20)
    due_on = models.DateField("due")
    screening = models.ForeignKey(
        Screening, models.SET_NULL, null=True, blank=True, related_name="referral_tasks"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    referral = models.ForeignKey(
        Referral, models.SET_NULL, null=True, blank=True, related_name="tasks"
    )

    objects = ReferralTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"Refer {self.finding_id} by {self.due_on:%Y-%m-%d}"

    def get_absolute_url(self):
        # The task's number, not the finding, goes in the address: no health data in URLs.
        url = reverse("reports:referral_new", args=[self.client_id])
        return f"{url}?task={self.pk}"

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()

    @property
    def action(self) -> str:
        """What the tier asks for (tiers.yaml), e.g. a same-day message to the physician."""
        tier = load_knowledge().tiers.get(self.tier)
        return tier.referral_action if tier is not None else ""
