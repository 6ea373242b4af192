"""The client record: who the client is, how to reach them, their physician and their consent."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kneadwell.accounts.models import Clinic


class AdministrativeGender(models.TextChoices):
    """FHIR Patient.gender (administrative gender)."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class SexAtBirth(models.TextChoices):
    """Recorded sex at birth, as in the US Core birth-sex extension."""

    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "UNK", "Unknown"
    DECLINED = "ASKU", "Asked but declined"
    __empty__ = "Not recorded"


class ClientStatus(models.TextChoices):
    ACTIVE = "active", "In treatment"
    DISCHARGED = "discharged", "Discharged"


class ClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def search(self, text: str):
        """Match each word against the names, or the whole text against the date of birth."""
        text = text.strip()
        if not text:
            return self
        born = parse_search_date(text)
        if born is not None:
            return self.filter(birth_date=born)
        query = Q()
        for word in text.split():
            query &= (
                Q(family_name__icontains=word)
                | Q(given_names__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        return self.filter(query)


def parse_search_date(text: str) -> date | None:
    """Read 1984-03-07, 07/03/1984 or 07.03.1984 (day first) as a date; None otherwise."""
    from datetime import datetime

    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class Client(models.Model):
    """A person who comes for treatment. Shaped like a FHIR Patient so it exports cleanly.

    Archived clients are hidden from lists but kept; erasing removes the record and everything
    clinical that hangs from it, leaving only the access-log tombstone.
    """

    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="clients")
    given_names = models.CharField("given names", max_length=150)
    family_name = models.CharField("family name", max_length=150)
    preferred_name = models.CharField("preferred name", max_length=150, blank=True)
    birth_date = models.DateField("date of birth")
    gender = models.CharField(
        "gender (administrative)",
        max_length=10,
        choices=AdministrativeGender.choices,
        default=AdministrativeGender.UNKNOWN,
    )
    sex_at_birth = models.CharField(
        "sex at birth", max_length=4, choices=SexAtBirth.choices, blank=True
    )
    gender_identity = models.CharField("gender identity", max_length=100, blank=True)
    pronouns = models.CharField(max_length=50, blank=True)

    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address_line = models.CharField("street address", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField("postal code", max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)

    emergency_name = models.CharField("emergency contact name", max_length=150, blank=True)
    emergency_relationship = models.CharField("relationship", max_length=100, blank=True)
    emergency_phone = models.CharField("emergency contact phone", max_length=40, blank=True)

    physician_name = models.CharField("physician's name", max_length=150, blank=True)
    physician_practice = models.CharField("practice", max_length=200, blank=True)
    physician_phone = models.CharField("physician's phone", max_length=40, blank=True)
    physician_email = models.EmailField("physician's email", blank=True)
    physician_address = models.CharField("practice address", max_length=300, blank=True)

    consent_treatment = models.BooleanField("consents to treatment", default=False)
    consent_treatment_date = models.DateField("date of treatment consent", null=True, blank=True)
    consent_data = models.BooleanField("consents to data processing", default=False)
    consent_data_date = models.DateField("date of data-processing consent", null=True, blank=True)

    therapists = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assigned_clients", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    discharged_at = models.DateTimeField(null=True, blank=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        indexes = [models.Index(fields=["clinic", "family_name", "given_names"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_treatment=False) | Q(consent_treatment_date__isnull=False),
                name="client_treatment_consent_dated",
                violation_error_message="Give the date the client consented to treatment.",
            ),
            models.CheckConstraint(
                condition=Q(consent_data=False) | Q(consent_data_date__isnull=False),
                name="client_data_consent_dated",
                violation_error_message="Give the date the client consented to data processing.",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("clients:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        given = self.preferred_name or self.given_names
        return f"{given} {self.family_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age(self, today: date | None = None) -> int:
        today = today or timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def is_discharged(self) -> bool:
        return self.status == ClientStatus.DISCHARGED

    def discharge(self, when=None) -> None:
        """Mark the course of care finished (the summary itself is a plans.Discharge)."""
        self.status = ClientStatus.DISCHARGED
        self.discharged_at = when or timezone.now()
        self.save(update_fields=["status", "discharged_at", "updated_at"])

    def archive(self) -> None:
        self.archived_at = timezone.now()
        self.save(update_fields=["archived_at", "updated_at"])

    def restore(self) -> None:
        self.archived_at = None
        self.save(update_fields=["archived_at", "updated_at"])
