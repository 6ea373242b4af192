"""The clinic's calendar: its settings, appointment types, rooms, therapists' hours and time off,
and the appointments themselves (booked, moved, cancelled, marked no-show, completed)."""

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.appointments import schedule
from kneadwell.clients.models import Client
from kneadwell.plans.models import Plan


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "Choose a time zone by its name, such as Europe/London or America/Toronto."
        ) from None


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class ClinicCalendar(models.Model):
    """The clinic's calendar settings: its time zone (appointments keep their wall-clock time in
    it), the address reminders give, when reminders go out and the cancellation policy."""

    clinic = models.OneToOneField(Clinic, models.CASCADE, related_name="calendar")
    time_zone = models.CharField(
        max_length=60, default="Europe/London", validators=[validate_time_zone]
    )
    address = models.TextField("clinic address", blank=True, help_text="Printed in reminders.")
    reminder_hours = models.PositiveSmallIntegerField(
        "reminder hours before",
        default=48,
        validators=[MaxValueValidator(336)],
        help_text=(
            "How long before an appointment the reminder email goes out (0: none). Longer than"
            " the cancellation policy, so the reminder's cancel link can still be used."
        ),
    )
    cancellation_hours = models.PositiveSmallIntegerField(
        "cancellation policy hours",
        default=24,
        validators=[MaxValueValidator(336)],
        help_text="A cancellation later than this before the start counts as late.",
    )
    clients_may_book = models.BooleanField(
        "clients may book follow-ups online",
        default=False,
        help_text="Clients book free times of the types marked bookable online, with their own "
        "therapist, from the client portal.",
    )
    booking_days_ahead = models.PositiveSmallIntegerField(
        "online booking: days ahead",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text="How far ahead clients may book (1 to 180 days).",
    )
    booking_notice_hours = models.PositiveSmallIntegerField(
        "online booking: minimum notice hours",
        default=24,
        validators=[MaxValueValidator(336)],
        help_text="How long before the start a client may still book a time.",
    )

    def __str__(self):
        return f"Calendar of {self.clinic}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Reminders not yet sent follow the new setting.
        for appointment in self.clinic.appointments.filter(
            status=Status.BOOKED, reminder_sent_at__isnull=True, starts_at__gt=timezone.now()
        ):
            appointment.reminder_due_at = appointment.reminder_time(self)
            appointment.save(update_fields=["reminder_due_at"])

    @classmethod
    def of(cls, clinic_id: int) -> "ClinicCalendar":
        """The clinic's settings; the defaults (unsaved) until the owner saves them."""
        return cls.objects.filter(clinic_id=clinic_id).first() or cls(clinic_id=clinic_id)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def booking_window(self, now: datetime | None = None) -> tuple[datetime, date]:
        """From when (the minimum notice) and until which clinic day clients may book online."""
        now = now or timezone.now()
        today = timezone.localtime(now, self.zone).date()
        return now + timedelta(hours=self.booking_notice_hours), today + timedelta(
            days=self.booking_days_ahead
        )

    def online_booking_problem(self, kind: "AppointmentType", starts_at, now=None) -> str | None:
        """Why a client may not book this type at this time online, in words; None if they may."""
        if not self.clients_may_book:
            return "The clinic takes bookings by phone or at the desk."
        if kind.clinic_id != self.clinic_id or not (kind.bookable_online and kind.is_active):
            return "This kind of appointment is booked with the clinic."
        earliest, last_day = self.booking_window(now)
        if starts_at < earliest:
            return (
                f"This time is too soon to book online (at least {self.booking_notice_hours} "
                "hours ahead). Please choose a later time or call the clinic."
            )
        if timezone.localtime(starts_at, self.zone).date() > last_day:
            return f"Online booking is open up to {self.booking_days_ahead} days ahead."
        return None


class AppointmentType(models.Model):
    """A kind of appointment the clinic offers, with its usual length: "Initial assessment",
    60 minutes; "Follow-up", 45 minutes."""

    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="appointment_types")
    name = models.CharField(max_length=80)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    colour = models.CharField(
        max_length=7,
        default="#4a7c59",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as #rrggbb.")],
    )
    bookable_online = models.BooleanField(default=False)
    is_active = models.BooleanField("offered", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"],
                name="appointment_type_name_unique",
                violation_error_message="The clinic already has a type with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes__gte=5, minutes__lte=480),
                name="appointment_type_minutes_5_to_480",
                violation_error_message="An appointment lasts from 5 to 480 minutes.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.minutes} min)"


class Room(models.Model):
    """A treatment room; optional. A room holds one appointment at a time."""

    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=80)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "name"],
                name="room_name_unique",
                violation_error_message="The clinic already has a room with this name.",
            )
        ]

    def __str__(self):
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """A therapist's hours on one day of the week, with an optional break, in the clinic's zone."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()
    break_starts = models.TimeField(null=True, blank=True)
    break_ends = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["therapist", "weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "weekday"],
                name="working_hours_one_per_day",
                violation_error_message="A therapist has one set of hours per weekday.",
            ),
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")),
                name="working_hours_end_after_start",
                violation_error_message="The day ends after it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"

    def as_hours(self) -> schedule.DayHours:
        return schedule.DayHours(self.starts, self.ends, self.break_starts, self.break_ends)

    @classmethod
    def set_week(cls, therapist, week: dict[int, dict]) -> None:
        """Replace the therapist's week: {weekday: {starts, ends, break_starts, break_ends}}."""
        with transaction.atomic():
            cls.objects.filter(therapist=therapist).exclude(weekday__in=list(week)).delete()
            for weekday, values in week.items():
                cls.objects.update_or_create(therapist=therapist, weekday=weekday, defaults=values)


class TimeOff(models.Model):
    """Days a therapist is away (holiday, training); nothing is booked with them then."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="time_off")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")
    note = models.CharField(max_length=200, blank=True, help_text="For the team, e.g. holiday.")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="time_off_ends_after_start",
                violation_error_message="The last day is on or after the first day.",
            )
        ]

    def __str__(self):
        return f"{self.starts_on:%Y-%m-%d} to {self.ends_on:%Y-%m-%d}"


class Status(models.TextChoices):
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


# Statuses that hold the therapist's (and the room's) time.
HOLDING = [Status.BOOKED, Status.ARRIVED, Status.COMPLETED]


class Conflict(ValidationError):
    """The time is taken, or outside the therapist's hours (and no owner's reason was given)."""


class AppointmentQuerySet(models.QuerySet):
    def holding(self):
        return self.filter(status__in=HOLDING)

    def overlapping(self, starts: datetime, ends: datetime):
        return self.holding().filter(starts_at__lt=ends, ends_at__gt=starts)

    def coming(self):
        return self.filter(starts_at__gte=timezone.now())


class Appointment(models.Model):
    """A client's booked time with a therapist: its type, optional room and plan, and what became
    of it (arrived, completed by the signed note, cancelled in or out of policy, no-show)."""

    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="appointments")
    client = models.ForeignKey(Client, models.CASCADE, related_name="appointments")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(
        AppointmentType, models.PROTECT, related_name="appointments", verbose_name="type"
    )
    room = models.ForeignKey(
        Room, models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    plan = models.ForeignKey(
        Plan, models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    # The plan's reassessment point falls on this appointment (set when a series is booked).
    reassessment_due = models.BooleanField(default=False)
    series = models.UUIDField(null=True, blank=True, db_index=True)
    outside_hours_reason = models.CharField(max_length=300, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Booked by the client from the portal (booked_by is then empty): the calendar says so.
    booked_online = models.BooleanField(default=False)
    cancelled_by_client = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_late = models.BooleanField(null=True, blank=True)
    # The reminder: when it is due, when a worker claimed it and when it went out.
    reminder_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_attempts = models.PositiveSmallIntegerField(default=0)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["therapist", "starts_at"], name="appointment_therapist_start"),
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
                violation_error_message="An appointment ends after it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="appointment_status_known",
                violation_error_message="Choose one of the offered statuses.",
            ),
        ]

    def __str__(self):
        return f"Appointment {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("appointments:detail", args=[self.pk])

    # --- Booking ------------------------------------------------------------------------------

    @classmethod
    def book(cls, *, by, outside_hours_reason: str = "", **fields) -> "Appointment":
        """Book one appointment, refusing a clash with the therapist's or the room's other
        appointments, even when two people book at the same moment (see `_lock`)."""
        appointment = cls(booked_by=by, outside_hours_reason=outside_hours_reason, **fields)
        with transaction.atomic():
            appointment._check_free()
            appointment.reminder_due_at = appointment.reminder_time()
            appointment.save()
        return appointment

    @classmethod
    def book_online(
        cls, *, client, therapist, appointment_type, starts_at, now=None
    ) -> "Appointment":
        """A client's own booking from the portal, within the clinic's online-booking setting
        (type bookable online, the window and notice), in the therapist's hours, with the same
        refusal of a clash as any booking (a lost race raises Conflict)."""
        calendar = ClinicCalendar.of(client.clinic_id)
        problem = calendar.online_booking_problem(appointment_type, starts_at, now)
        if problem:
            raise Conflict(problem, code="starts_at")
        ends_at = starts_at + timedelta(minutes=appointment_type.minutes)
        if cls.objects.filter(client=client).overlapping(starts_at, ends_at).exists():
            # A second visit at once with another therapist: a double press, a second tab.
            raise Conflict("You already have a visit at this time.", code="starts_at")
        return cls.book(
            by=None,
            booked_online=True,
            clinic_id=client.clinic_id,
            client=client,
            therapist=therapist,
            appointment_type=appointment_type,
            starts_at=starts_at,
            ends_at=ends_at,
        )

    def move(self, *, starts_at, ends_at, room=None, by, outside_hours_reason: str = "") -> None:
        """Move to a new time (and room), with the same checks as booking."""
        if self.status != Status.BOOKED:
            raise Conflict("Only a booked appointment can be moved.", code="status")
        self.starts_at, self.ends_at, self.room = starts_at, ends_at, room
        self.outside_hours_reason = outside_hours_reason
        with transaction.atomic():
            self._check_free()
            self.reminder_due_at = self.reminder_time()
            self.reminder_claimed_at = self.reminder_sent_at = None
            self.save()

    def _check_free(self) -> None:
        if self.ends_at <= self.starts_at:
            raise Conflict("The appointment must end after it starts.", code="ends_at")
        self._lock()
        others = Appointment.objects.overlapping(self.starts_at, self.ends_at).exclude(pk=self.pk)
        if others.filter(therapist_id=self.therapist_id).exists():
            raise Conflict(
                f"{self.therapist} already has an appointment at this time.", code="starts_at"
            )
        if self.room_id and others.filter(room_id=self.room_id).exists():
            raise Conflict(f"{self.room} is taken at this time.", code="room")
        problem = self.outside_hours()
        if problem and not self.outside_hours_reason.strip():
            raise Conflict(problem, code="outside_hours")

    def _lock(self) -> None:
        """Serialise bookings of one therapist. On PostgreSQL a row lock on the therapist (and
        room); on SQLite the IMMEDIATE transaction already holds the database's write lock, so
        the overlap check after this runs alone."""
        if connection.vendor == "postgresql":
            # The room first: a booking waiting for a room then holds nothing another needs
            # (therapist first deadlocked two bookings of one room by two therapists).
            if self.room_id:
                Room.objects.select_for_update().filter(pk=self.room_id).exists()
            user_model = type(self).therapist.field.related_model
            user_model.objects.select_for_update().filter(pk=self.therapist_id).exists()

    def outside_hours(self) -> str | None:
        """Why this time is outside the therapist's hours, or None."""
        calendar = ClinicCalendar.of(self.clinic_id)
        hours = {
            h.weekday: h.as_hours()
            for h in WorkingHours.objects.filter(therapist_id=self.therapist_id)
        }
        away = [
            (t.starts_on, t.ends_on)
            for t in TimeOff.objects.filter(
                therapist_id=self.therapist_id,
                starts_on__lte=self.ends_at.date() + timedelta(days=1),
                ends_on__gte=self.starts_at.date() - timedelta(days=1),
            )
        ]
        return schedule.outside_hours(
            hours, away, calendar.zone, self.starts_at, self.ends_at, str(self.therapist)
        )

    def reminder_time(self, calendar: ClinicCalendar | None = None):
        calendar = calendar or ClinicCalendar.of(self.clinic_id)
        if not calendar.reminder_hours:
            return None
        return self.starts_at - timedelta(hours=calendar.reminder_hours)

    # --- What became of it ---------------------------------------------------------------------

    def cancel(self, *, by=None, reason: str, by_client: bool = False, now=None) -> None:
        """Cancel, recording who, when, why and whether it was late under the clinic's policy."""
        if self.status not in (Status.BOOKED, Status.ARRIVED):
            raise Conflict("Only a booked appointment can be cancelled.", code="status")
        now = now or timezone.now()
        policy = timedelta(hours=ClinicCalendar.of(self.clinic_id).cancellation_hours)
        self.status = Status.CANCELLED
        self.cancelled_at, self.cancelled_by, self.cancelled_by_client = now, by, by_client
        self.cancel_reason = reason
        self.cancelled_late = self.starts_at - now < policy
        self.save()

    def can_be_cancelled_by_client(self, now=None) -> bool:
        """Within the policy: a client may cancel from the reminder's link until then."""
        now = now or timezone.now()
        policy = timedelta(hours=ClinicCalendar.of(self.clinic_id).cancellation_hours)
        return self.status == Status.BOOKED and self.starts_at - now >= policy

    def mark(self, status: str) -> None:
        """Arrived or no-show, from the desk or the therapist."""
        allowed = {Status.ARRIVED: [Status.BOOKED], Status.NO_SHOW: [Status.BOOKED]}
        if self.status not in allowed.get(status, []):
            raise Conflict(
                f"A {self.get_status_display().lower()} appointment cannot be marked that way.",
                code="status",
            )
        self.status = status
        self.save(update_fields=["status"])

    def complete(self) -> None:
        """The visit note was signed: the appointment took place."""
        Appointment.objects.filter(pk=self.pk).exclude(status=Status.CANCELLED).update(
            status=Status.COMPLETED
        )
        self.refresh_from_db(fields=["status"])

    @property
    def is_open(self) -> bool:
        return self.status in (Status.BOOKED, Status.ARRIVED)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def clinic_zone(self) -> ZoneInfo:
        return ClinicCalendar.of(self.clinic_id).zone


class CalendarFeed(models.Model):
    """A therapist's private calendar feed: a secret address their calendar app subscribes to.
    It shows client initials and the appointment type only. Renewing it revokes the old one."""

    therapist = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed"
    )
    secret = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.therapist}"

    def get_absolute_url(self):
        return reverse("appointments:feed_ics", args=[self.secret])

    @classmethod
    def renew(cls, therapist, *, revoke_only: bool = False) -> "CalendarFeed | None":
        """A new secret address (the old one stops working), or none with revoke_only."""
        cls.objects.filter(therapist=therapist).delete()
        if revoke_only:
            return None
        return cls.objects.create(therapist=therapist, secret=secrets.token_urlsafe(32))

    @classmethod
    def therapist_for(cls, secret: str):
        feed = cls.objects.select_related("therapist__membership").filter(secret=secret).first()
        if feed is None or not feed.therapist.is_active:
            return None
        membership = getattr(feed.therapist, "membership", None)
        return feed.therapist if membership is not None and membership.is_active else None
