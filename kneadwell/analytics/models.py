"""Each clinic's outcome settings, and the summary of every course of care that the outcomes
page aggregates. The summary is derived data: `refresh.py` rebuilds it from plans, signed
visits, responses and discharges, and may drop and rebuild it at any time."""

from datetime import timedelta

from django.db import models
from django.db.models import Case, Q, Value, When

from kneadwell.accounts.models import Clinic
from kneadwell.clients.models import Client
from kneadwell.plans.models import Plan


class OutcomeSettings(models.Model):
    """How one clinic reads its outcomes: when a course counts as dropped out, and the
    smallest group a figure is shown for (smaller ones say "too few to show")."""

    clinic = models.OneToOneField(Clinic, models.CASCADE, related_name="outcome_settings")
    dropout_weeks = models.PositiveSmallIntegerField(
        "drop-out after (weeks without a visit)",
        default=8,
        help_text="A course with no visit for this many weeks, and no discharge, has dropped out.",
    )
    min_group = models.PositiveSmallIntegerField(
        "smallest group shown",
        default=10,
        help_text="Figures about fewer courses than this say “too few to show”.",
    )

    class Meta:
        verbose_name_plural = "outcome settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(dropout_weeks__gte=1, dropout_weeks__lte=104),
                name="analytics_dropout_1_to_104_weeks",
                violation_error_message="Drop-out is counted after 1 to 104 weeks without a visit.",
            ),
            models.CheckConstraint(
                condition=Q(min_group__gte=5, min_group__lte=1000),
                name="analytics_min_group_5_to_1000",
                violation_error_message="The smallest group shown is between 5 and 1000.",
            ),
        ]

    def __str__(self):
        return f"Outcome settings of {self.clinic}"

    @classmethod
    def for_clinic(cls, clinic_id: int) -> "OutcomeSettings":
        """The clinic's settings, or the defaults (unsaved) when it has never changed them."""
        return cls.objects.filter(clinic_id=clinic_id).first() or cls(clinic_id=clinic_id)


class CourseStatus(models.TextChoices):
    COMPLETED = "completed", "Completed (discharged)"
    DROPPED_OUT = "dropped_out", "Dropped out"
    ONGOING = "ongoing", "Ongoing"


def course_status(today, dropout_weeks: int, prefix: str = "") -> Case:
    """Where a course stands today: completed when the plan was closed by a discharge, dropped
    out when no visit for `dropout_weeks` weeks, else ongoing. Computed when asked, since it
    depends on today and on the clinic's setting; `prefix` reaches the course from a row that
    points to it (`"course__"`)."""
    cutoff = today - timedelta(weeks=dropout_weeks)
    return Case(
        When(**{f"{prefix}closed": True}, then=Value(CourseStatus.COMPLETED)),
        When(**{f"{prefix}last_activity_on__lte": cutoff}, then=Value(CourseStatus.DROPPED_OUT)),
        default=Value(CourseStatus.ONGOING),
        output_field=models.CharField(),
    )


class CourseQuerySet(models.QuerySet):
    def with_status(self, today, dropout_weeks: int):
        """Annotate `status` (see `course_status`)."""
        return self.annotate(status=course_status(today, dropout_weeks))


class Course(models.Model):
    """One course of care (a plan) as the outcomes page counts it: when it started and ended,
    how many signed sessions it had. Derived from the plan, its visits and discharges."""

    plan = models.OneToOneField(Plan, models.CASCADE, primary_key=True, related_name="+")
    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, models.CASCADE, related_name="+")
    condition = models.CharField(max_length=60)
    started_on = models.DateField(help_text="The plan's first day, or its first visit if earlier")
    closed = models.BooleanField(help_text="Closed by a discharge")
    ended_on = models.DateField(null=True, help_text="The discharge that closed it")
    last_activity_on = models.DateField(help_text="The last signed visit, or the start")
    sessions = models.PositiveIntegerField(help_text="Signed visits under the plan")
    first_of_condition = models.BooleanField(
        help_text="The client's first course for this condition (one course per client)"
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        # Covering indexes: besides what the page filters on, they hold what its grouped scans
        # read of a course (status, sessions, client, and the key, which is no rowid on SQLite: a
        # bigint primary key), so the scans never visit the table's rows.
        indexes = [
            models.Index(
                fields=[
                    "clinic",
                    "started_on",
                    "closed",
                    "last_activity_on",
                    "sessions",
                    "client",
                    "plan",
                ],
                name="analytics_course_started",
            ),
            models.Index(
                fields=[
                    "clinic",
                    "condition",
                    "started_on",
                    "closed",
                    "last_activity_on",
                    "sessions",
                    "client",
                    "plan",
                ],
                name="analytics_course_condition",
            ),
        ]

    def __str__(self):
        return f"Course of plan {self.plan_id}"


# What the outcomes page's grouped scan reads of each course measure (see `outcomes.GROUPED`).
MEASURE_READ = [
    "is_primary",
    "instrument",
    "scale",
    "band_order",
    "band",
    "time",
    "event",
    "final_status",
    "baseline",
    "followups",
    "improvement",
]


class CourseMeasure(models.Model):
    """One measure's course within a course of care: its baseline, its last score, the change
    read against the minimal important change, and after how many sessions a meaningful
    improvement was first seen (`event`) or the course was last measured without one.

    `scale` is "" for the course-level reading (the total, or the subscales read together
    where an instrument has no total) and a subscale id for that subscale's own change."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="measures")
    instrument = models.CharField(max_length=30)
    scale = models.CharField(max_length=30, blank=True)
    is_primary = models.BooleanField(help_text="The plan's primary measure")
    baseline = models.FloatField(null=True)
    band = models.CharField(max_length=60, blank=True, help_text="Severity band at baseline")
    band_order = models.PositiveSmallIntegerField(default=0)
    followups = models.PositiveIntegerField(help_text="Scores after the first session")
    final = models.FloatField(null=True)
    improvement = models.FloatField(null=True, help_text="Points, positive is better")
    final_status = models.CharField(max_length=30, blank=True)
    event = models.BooleanField(help_text="A meaningful improvement was seen")
    time = models.PositiveIntegerField(help_text="Sessions to the event, or to the last score")

    class Meta:
        ordering = ["course", "instrument", "scale"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "instrument", "scale"],
                name="analytics_measure_once_per_course",
                violation_error_message="This course already has a summary for that measure.",
            )
        ]
        indexes = [
            models.Index(fields=["instrument", "scale"], name="analytics_measure_inst"),
            # Covering the outcomes page's grouped scan: each course's measures are read from
            # the index alone, without visiting the table's rows.
            models.Index(fields=["course", *MEASURE_READ], name="analytics_measure_cover"),
        ]

    def __str__(self):
        return f"{self.instrument}{'/' + self.scale if self.scale else ''} in {self.course}"


class CourseAdverse(models.Model):
    """How many adverse effects of one type and severity band a course's visits recorded."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="adverse")
    kind = models.CharField(max_length=60)
    severity = models.CharField(max_length=30)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["course", "kind", "severity"]
        indexes = [
            # Covering the adverse-effects scan: read from the index alone.
            models.Index(
                fields=["course", "kind", "severity", "count"], name="analytics_adverse_cover"
            )
        ]

    def __str__(self):
        return f"{self.count} × {self.kind} ({self.severity}) in {self.course}"


class RefreshState(models.Model):
    """When a clinic's course summary was last brought up to date, and under which rules
    (instrument thresholds and this app's reading of a course): other rules rebuild it all."""

    clinic = models.OneToOneField(Clinic, models.CASCADE, primary_key=True, related_name="+")
    refreshed_at = models.DateTimeField()
    rules = models.CharField(max_length=64)
    window = models.JSONField(
        default=list, help_text="Rows of each kind saved in the minutes before refreshed_at"
    )

    def __str__(self):
        return f"Outcomes of {self.clinic_id} refreshed at {self.refreshed_at:%Y-%m-%d %H:%M}"
