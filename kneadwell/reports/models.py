"""The clinic's letterhead and the documents it issued: what was sent stays what was sent."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.clients.models import Client

LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LOGO_MAX_BYTES = 200_000


def logo_type(data: bytes) -> str | None:
    """The image type of a logo, read from its first bytes (PNG or JPEG), or None."""
    return next((kind for magic, kind in LOGO_TYPES.items() if data.startswith(magic)), None)


class Letterhead(models.Model):
    """The head of every letter and document the clinic issues: its name as printed, address,
    contact and an optional logo. The owner sets it; without one the clinic's name is used."""

    clinic = models.OneToOneField(Clinic, models.CASCADE, related_name="letterhead")
    name = models.CharField("name on documents", max_length=200, blank=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.CharField(max_length=200, blank=True)
    logo = models.BinaryField(null=True, blank=True)
    logo_type = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Letterhead of {self.clinic}"

    @classmethod
    def for_clinic(cls, clinic: Clinic) -> Letterhead:
        """The clinic's letterhead, or an unsaved one with just its name."""
        found = cls.objects.filter(clinic=clinic).first()
        return found or cls(clinic=clinic)

    @property
    def display_name(self) -> str:
        return self.name or self.clinic.name

    @property
    def logo_uri(self) -> str:
        """The logo as a data: address, so screen and PDF embed the same bytes."""
        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(bytes(self.logo)).decode()}"

    @property
    def contact(self) -> str:
        return " · ".join(filter(None, [self.phone, self.email, self.website]))


class DocumentKind(models.TextChoices):
    REFERRAL = "referral", "Referral letter"
    PROGRESS = "progress", "Progress report to the physician"
    REASSESSMENT = "reassessment", "Reassessment letter"
    DISCHARGE = "discharge", "Discharge summary"
    VISIT_NOTES = "visit_notes", "Signed visit notes"
    HANDOUT = "handout", "Client handout"
    RECORD = "record", "The client's whole record"


class Delivery(models.TextChoices):
    DOWNLOAD = "download", "Downloaded"
    PRINT = "print", "Printed"
    EMAIL = "email", "Emailed"


class IssuedDocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Issued documents cannot be changed.")


class IssuedDocument(models.Model):
    """A PDF the clinic gave out about a client, kept byte for byte with its SHA-256: who issued
    it, to whom, how, and under which consent. Viewing it later serves these bytes, never a new
    rendering. Never changed."""

    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, models.CASCADE, related_name="issued_documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    recipient = models.CharField("to whom", max_length=300, blank=True)
    method = models.CharField("how", max_length=10, choices=Delivery.choices)
    consent = models.CharField("under which consent", max_length=200, blank=True)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="email") | ~Q(consent=""),
                name="reports_issued_email_has_consent",
                violation_error_message="Emailing needs the client's recorded consent to share.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} issued {self.issued_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Issued documents are never changed; issue a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:document", args=[self.client_id, self.pk])

    @classmethod
    def issue(cls, client, kind: str, title: str, pdf: bytes, *, by, method: str, **extra):
        """Keep `pdf` exactly as given out, with its checksum."""
        return cls.objects.create(
            clinic_id=client.clinic_id,
            client=client,
            kind=kind,
            title=title,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            issued_by=by,
            method=method,
            **extra,
        )

    @property
    def filename(self) -> str:
        # A number, never the client's name or condition: file names travel in mail and logs.
        return f"kneadwell-document-{self.pk}.pdf"

    def content(self) -> bytes:
        return bytes(self.pdf)

    # --- Sharing with the client -------------------------------------------------------------

    def current_share(self) -> DocumentShare | None:
        return self.shares.filter(withdrawn_at__isnull=True).first()

    def share(self, *, by) -> DocumentShare:
        """Let the client download this document in the client portal (once; sharing again while
        shared changes nothing)."""
        return self.current_share() or DocumentShare.objects.create(document=self, shared_by=by)

    def withdraw(self, *, by) -> bool:
        """Stop sharing it (True), or False if it was not shared. The share stays on record."""
        share = self.current_share()
        if share is None:
            return False
        share.withdrawn_at, share.withdrawn_by = timezone.now(), by
        share.save(update_fields=["withdrawn_at", "withdrawn_by"])
        return True

    def intact(self) -> bool:
        return hashlib.sha256(self.content()).hexdigest() == self.sha256


class DocumentShareQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_at__isnull=True)


class DocumentShare(models.Model):
    """The clinic chose to let the client download an issued document (a letter to the
    physician, a report) in the client portal: who shared it and when, and who withdrew it and
    when. The client downloads the stored bytes, never a new rendering."""

    document = models.ForeignKey(IssuedDocument, models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentShareQuerySet.as_manager()

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(withdrawn_at__isnull=True),
                name="reports_one_current_share_per_document",
                violation_error_message="The document is already shared with the client.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_by__isnull=False),
                name="reports_withdrawn_share_says_who",
                violation_error_message="A withdrawn share records who withdrew it.",
            ),
        ]

    def __str__(self):
        return f"Share of document {self.document_id} since {self.shared_at:%Y-%m-%d}"
