"""Clinics, the people who work in them, and their roles."""

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


class FailedLogin(models.Model):
    """One failed sign-in; enough of them in a row lock the account for a while."""

    email = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(default=timezone.now)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.email} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def is_locked(cls, email: str) -> bool:
        since = timezone.now() - timedelta(minutes=settings.KNEADWELL_LOCKOUT_MINUTES)
        recent = cls.objects.filter(email=email.lower(), at__gte=since).count()
        return recent >= settings.KNEADWELL_LOCKOUT_ATTEMPTS

    @classmethod
    def clear(cls, email: str) -> None:
        cls.objects.filter(email=email.lower()).delete()


class ApiToken(models.Model):
    """A personal access token for the API. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_token(token: str) -> str:
        import hashlib

        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        """Create a token for `user`; returns the record and the token text to show once."""
        import secrets

        token = "kw_" + secrets.token_urlsafe(32)
        record = cls.objects.create(
            user=user, name=name, prefix=token[:10], token_hash=cls.hash_token(token)
        )
        return record, token

    @classmethod
    def authenticate(cls, token: str) -> User | None:
        """The active user behind an unrevoked token, or None."""
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
        cls.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        return record.user

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
