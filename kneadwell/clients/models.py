"""The client record: who the client is, how to reach them, their physician and their consent."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.clients import search


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


# The fields the search columns are made from, and the columns.
SEARCHED_FIELDS = {"family_name", "given_names", "preferred_name", "phone"}
SEARCH_COLUMNS = ("search_family", "search_given", "search_preferred", "search_phone")


class ClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, with the search columns filled (save() is not called here)."""
        objs = list(objs)
        for obj in objs:
            obj.fill_search_columns()
        return super().bulk_create(objs, *args, **kwargs)

    def search(self, text: str):
        """Clients matching a name, phone number or (partial) date of birth (see search.py).

        Raises search.SearchError for a date that does not exist."""
        query = search.parse(text)
        if query is None:
            return self
        if isinstance(query, search.BirthQuery):
            return self.filter(birth_date__range=(query.first, query.last))
        if isinstance(query, search.PhoneQuery):
            match = Q()
            for key in query.keys:
                match |= _prefix("search_phone", key)
            return self.filter(match)
        match = Q()
        if query.whole:
            for column in ("search_family", "search_given", "search_preferred"):
                match |= _prefix(column, query.whole)
        for given, family in query.pairs:
            either = _prefix("search_given", given) | _prefix("search_preferred", given)
            match |= (either if given else Q()) & _prefix("search_family", family)
        return self.filter(match)


def _prefix(column: str, text: str) -> Q:
    """Values of `column` starting with `text`, as a range an index on (clinic, column) serves;
    the LIKE only rechecks the rows the range found."""
    if not text:
        return Q()
    match = Q(**{f"{column}__gte": text, f"{column}__startswith": text})
    if (upper := search.prefix_upper_bound(text)) is not None:
        match &= Q(**{f"{column}__lt": upper})
    return match


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
    # Separate from data processing: documents are emailed to the physician only with this.
    consent_share = models.BooleanField("consents to sharing with their physician", default=False)
    consent_share_date = models.DateField(
        "date of consent to share with the physician", null=True, blank=True
    )

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
    # Normalised copies for search (search.fold and search.phone_key), kept by save() and
    # fill_search_columns(); bulk loads call the latter themselves.
    search_family = models.CharField(max_length=300, blank=True, editable=False)
    search_given = models.CharField(max_length=300, blank=True, editable=False)
    search_preferred = models.CharField(max_length=300, blank=True, editable=False)
    search_phone = models.CharField(max_length=40, blank=True, editable=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        indexes = [
            models.Index(fields=["clinic", "family_name", "given_names"]),
            # Search: the clinic first, then the normalised column a prefix is looked up in.
            models.Index(fields=["clinic", "search_family"], name="client_search_family"),
            models.Index(fields=["clinic", "search_given"], name="client_search_given"),
            models.Index(fields=["clinic", "search_preferred"], name="client_search_preferred"),
            models.Index(fields=["clinic", "search_phone"], name="client_search_phone"),
            models.Index(fields=["clinic", "birth_date"], name="client_birth_date"),
            # The outcomes page's refresh check reads the clients saved since its last look.
            models.Index(fields=["clinic", "updated_at"], name="client_clinic_updated"),
        ]
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
            models.CheckConstraint(
                condition=Q(consent_share=False) | Q(consent_share_date__isnull=False),
                name="client_share_consent_dated",
                violation_error_message="Give the date the client consented to sharing with "
                "their physician.",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.fill_search_columns()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and SEARCHED_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *SEARCH_COLUMNS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("clients:detail", args=[self.pk])

    def fill_search_columns(self) -> None:
        """Set the normalised search copies from the names and the phone number."""
        self.search_family = search.fold(self.family_name)[:300]
        self.search_given = search.fold(self.given_names)[:300]
        self.search_preferred = search.fold(self.preferred_name)[:300]
        self.search_phone = search.phone_key(self.phone)[:40]

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
