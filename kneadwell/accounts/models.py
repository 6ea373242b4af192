"""Clinics, the people who work in them, and their roles."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: a therapist, a clinic owner or front-desk staff.

    People log in with their email address. What they may see depends on their membership.
    """

    username = None
    email = models.EmailField("email address", unique=True)
    # When an owner was first asked to set up two-factor sign-in (they may skip it once).
    two_factor_prompted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email


class Clinic(models.Model):
    """A practice: every client record, note and log entry belongs to exactly one clinic."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    requires_two_factor = models.BooleanField(
        "two-factor sign-in for everyone",
        default=False,
        help_text="Members without it are asked to set it up before they can carry on.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    THERAPIST = "therapist", "Therapist"
    FRONT_DESK = "front_desk", "Front desk"


class Membership(models.Model):
    """A person's place in a clinic: their role, and whether they may still sign in.

    Deactivating a membership keeps everything the person wrote; it only stops them signing in.
    """

    user = models.OneToOneField(User, models.CASCADE, related_name="membership")
    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.THERAPIST)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clinic", "user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.clinic})"

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def sees_clinical(self) -> bool:
        """Front desk sees demographics and contact details, never clinical content."""
        return self.role in (Role.OWNER, Role.THERAPIST)


class ResetRequest(models.Model):
    """A request for a password-reset link, counted for the hourly limits and kept a day at most.

    Counted for every address typed, known or not, so the limit says nothing about who works
    here."""

    email = models.CharField(max_length=254)
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.email} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def is_limited(cls, email: str, address: str | None) -> bool:
        recent = cls.objects.filter(at__gte=timezone.now() - timedelta(hours=1))
        return (
            recent.filter(email=email.lower()).count() >= settings.KNEADWELL_RESETS_PER_EMAIL
            or recent.filter(address=address).count() >= settings.KNEADWELL_RESETS_PER_ADDRESS
        )

    @classmethod
    def note(cls, email: str, address: str | None) -> None:
        now = timezone.now()
        cls.objects.filter(at__lt=now - timedelta(days=1)).delete()
        cls.objects.create(email=email.lower(), address=address, at=now)


class TokenRefused(Exception):
    """A token that exists but may no longer be used; `detail` says why in words."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class ApiToken(models.Model):
    """A personal access token for the API. Only its hash is stored; the token is shown once.

    A token may carry an expiry date: from that day on it is refused with a sentence saying so.
    """

    # How often `last_used_at` is written: at most once a minute, not on every request.
    USE_STAMP_EVERY = timedelta(minutes=1)

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="The token stops working at the start of this day."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on <= timezone.localdate()

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, expires_on=None) -> tuple["ApiToken", str]:
        """Create a token for `user`; returns the record and the token text to show once."""
        token = "kw_" + secrets.token_urlsafe(32)
        record = cls.objects.create(
            user=user,
            name=name,
            prefix=token[:10],
            token_hash=cls.hash_token(token),
            expires_on=expires_on,
        )
        return record, token

    @classmethod
    def authenticate(cls, token: str) -> User | None:
        """The active user behind an unrevoked token, or None; TokenRefused for an expired one."""
        record = (
            cls.objects.select_related("user__membership__clinic")
            .filter(token_hash=cls.hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if record is None or not record.user.is_active:
            return None
        membership = getattr(record.user, "membership", None)
        if membership is None or not membership.is_active:
            return None
        if record.is_expired:
            raise TokenRefused(
                f"This token expired on {record.expires_on:%Y-%m-%d}. "
                "Create a new one under API tokens."
            )
        record.note_use()
        return record.user

    def note_use(self) -> None:
        """Stamp `last_used_at`, unless it was stamped less than a minute ago."""
        now = timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= self.USE_STAMP_EVERY:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    @classmethod
    def revoke_all(cls, user: User) -> int:
        """Revoke every token of `user` still in force; returns how many."""
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
