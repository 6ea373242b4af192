"""The client portal's records: who may sign in and how (invitations, single-use links and desk
codes, the attempts counted for rate limits), and what clients send in from home."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kneadwell.clients.models import Client
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.portal.intake import STEP_IDS

# Desk codes avoid letters and digits that are easy to misread (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def keyed_digest(purpose: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with the secret key): the database alone cannot be searched
    for a secret, an email address or a network address."""
    return salted_hmac(f"kneadwell.portal.{purpose}", value, algorithm="sha256").hexdigest()


def normalise_code(text: str) -> str:
    """A desk code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and type than twelve letters in a row."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class PortalAccount(models.Model):
    """A client's access to the portal. The clinic creates it by inviting the client from the
    chart; the client signs in with a single-use link sent to the email on their record (or a
    code printed at the desk) and their date of birth.

    ``generation`` is carried by every portal session: revoking access, or inviting again after
    a revocation, moves it on, which ends every session at once.
    """

    client = models.OneToOneField(Client, models.CASCADE, related_name="portal_account")
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_sign_in_at = models.DateTimeField(null=True, blank=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-invited_at"]

    def __str__(self):
        return f"Portal access of client {self.client_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def invite(cls, client: Client, by) -> PortalAccount:
        """Give the client portal access (again, after a revocation)."""
        account, created = cls.objects.get_or_create(client=client, defaults={"invited_by": by})
        if not created and not account.is_active:
            account.revoked_at = None
            account.generation += 1
            account.invited_at, account.invited_by = timezone.now(), by
            account.save(update_fields=["revoked_at", "generation", "invited_at", "invited_by"])
        return account

    def revoke(self) -> None:
        """End portal access: every session ends and no outstanding link or code works."""
        now = timezone.now()
        with transaction.atomic():
            self.revoked_at = now
            self.generation += 1
            self.save(update_fields=["revoked_at", "generation"])
            self.tokens.filter(used_at__isnull=True).update(used_at=now)

    def record_sign_in(self) -> None:
        now = timezone.now()
        self.first_sign_in_at = self.first_sign_in_at or now
        self.last_sign_in_at = now
        self.save(update_fields=["first_sign_in_at", "last_sign_in_at"])


class TokenKind(models.TextChoices):
    LINK = "link", "Sign-in link by email"
    INVITATION = "invitation", "Invitation by email"
    DESK_CODE = "desk_code", "Code printed at the desk"


class SignInTokenQuerySet(models.QuerySet):
    def usable(self):
        """Not used, not expired, not spent by wrong dates of birth, access not revoked."""
        return self.filter(
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            failures__lt=SignInToken.MAX_FAILURES,
            account__revoked_at__isnull=True,
        )


class SignInToken(models.Model):
    """One way in, used once: a link sent by email (15 minutes), an invitation by email or a
    code printed at the desk (a few days). Each also asks the client's date of birth; three
    wrong dates and it stops working. Only a keyed hash of the secret is stored."""

    MAX_FAILURES = 3

    account = models.ForeignKey(PortalAccount, models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=12, choices=TokenKind.choices)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)

    objects = SignInTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="portal_token_expires_after_issue",
                violation_error_message="A sign-in token expires after it is issued.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for client {self.account.client_id}"

    @staticmethod
    def lifetime(kind: str) -> timedelta:
        if kind == TokenKind.LINK:
            return timedelta(minutes=settings.KNEADWELL_PORTAL_LINK_MINUTES)
        return timedelta(days=settings.KNEADWELL_PORTAL_INVITATION_DAYS)

    @classmethod
    def issue(cls, account: PortalAccount, kind: str) -> tuple[SignInToken, str]:
        """A new token and its secret (shown or sent once, never stored). A new desk code or
        invitation replaces the account's earlier unused ones of that kind."""
        if kind == TokenKind.DESK_CODE:
            secret = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        else:
            secret = secrets.token_urlsafe(32)
        now = timezone.now()
        with transaction.atomic():
            if kind != TokenKind.LINK:
                account.tokens.filter(kind=kind, used_at__isnull=True).update(used_at=now)
            token = cls.objects.create(
                account=account,
                kind=kind,
                digest=keyed_digest("token", secret),
                created_at=now,
                expires_at=now + cls.lifetime(kind),
            )
        return token, secret

    @classmethod
    def find(cls, secret: str, kinds) -> SignInToken | None:
        """The usable token behind a secret, or None (unknown, used, expired or spent alike)."""
        if kinds == [TokenKind.DESK_CODE]:
            secret = normalise_code(secret)
        if not secret or len(secret) > 100:
            return None
        return (
            cls.objects.usable()
            .filter(kind__in=kinds, digest=keyed_digest("token", secret))
            .select_related("account__client__clinic")
            .first()
        )

    def redeem(self) -> bool:
        """Use the token up; True only for the one request that did (two tabs, one winner)."""
        won = SignInToken.objects.usable().filter(pk=self.pk).update(used_at=timezone.now())
        return won == 1

    def fail(self) -> int:
        """Count a wrong date of birth; how many tries are left."""
        SignInToken.objects.filter(pk=self.pk).update(failures=F("failures") + 1)
        self.refresh_from_db(fields=["failures"])
        return max(self.MAX_FAILURES - self.failures, 0)


class AttemptKind(models.TextChoices):
    LINK_FOR_EMAIL = "link_email", "Sign-in link asked for an email address"
    FROM_ADDRESS = "address", "Sign-in request or failure from a network address"
    FAILED_FOR_ACCOUNT = "account", "Failed sign-in for a portal account"


class Attempt(models.Model):
    """A sign-in request or a failed sign-in, counted for rate limits over the last hour. The
    email or network address is kept only as a keyed hash, and for a day at most."""

    kind = models.CharField(max_length=10, choices=AttemptKind.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["kind", "key", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def note(cls, kind: str, value: str) -> None:
        now = timezone.now()
        cls.objects.filter(at__lt=now - timedelta(days=1)).delete()
        cls.objects.create(kind=kind, key=keyed_digest(f"attempt.{kind}", value), at=now)

    @classmethod
    def recent(cls, kind: str, value: str, minutes: int = 60) -> int:
        since = timezone.now() - timedelta(minutes=minutes)
        key = keyed_digest(f"attempt.{kind}", value)
        return cls.objects.filter(kind=kind, key=key, at__gte=since).count()


# --- What clients send in from home -------------------------------------------------------------


class IntakeStatus(models.TextChoices):
    STARTED = "started", "Being filled in"
    SUBMITTED = "submitted", "Sent to the clinic"
    ACCEPTED = "accepted", "Accepted into a screening"


class PortalIntake(models.Model):
    """The intake as the client fills it in at home, step by step.

    ``data`` keeps exactly what was typed, per step (field name -> list of values), valid or
    not, so nothing is lost if the client stops half-way. ``done`` lists the steps that were
    complete when last saved. Once sent, the therapist reviews it beside the record and accepts
    it into a screening (screening's intake form and engine check it again then).
    ``alert_tier`` is the most urgent tier an answer raised (emergency or urgent), shown on the
    chart as soon as the client answers.
    """

    client = models.ForeignKey(Client, models.CASCADE, related_name="portal_intakes")
    data = models.JSONField(default=dict)
    done = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.STARTED
    )
    alert_tier = models.CharField(max_length=20, blank=True)
    alert_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intake = models.ForeignKey(
        "screening.Intake", models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="started") | Q(submitted_at__isnull=False),
                name="portal_intake_sent_has_time",
                violation_error_message="A sent intake records when it was sent.",
            )
        ]

    def __str__(self):
        return f"Portal intake {self.started_at:%Y-%m-%d} of client {self.client_id}"

    @property
    def is_open(self) -> bool:
        return self.status == IntakeStatus.STARTED

    @classmethod
    def current(cls, client) -> PortalIntake | None:
        """The client's intake being filled in or waiting for the therapist, else None."""
        return cls.objects.filter(client=client).exclude(status=IntakeStatus.ACCEPTED).first()

    def ready(self) -> bool:
        """Every step complete when last saved."""
        return all(step in self.done for step in STEP_IDS)

    def next_url(self, step: str) -> str:
        """The first step after `step` not yet complete, or the overview to send it."""
        later = STEP_IDS[STEP_IDS.index(step) + 1 :]
        following = next((s for s in later if s not in self.done), None)
        if following is None:
            return reverse("portal:intake")
        return reverse("portal:intake_step", args=[following])

    def note_advice(self, advice) -> None:
        """Flag the chart with the most urgent advice the answers called for."""
        if advice:
            self.raise_alert(advice[0].tier)

    def save_step(self, step: str, values: dict, complete: bool) -> None:
        """Keep what was typed on one step; mark the step complete or not."""
        self.data = {**self.data, step: values}
        done = [s for s in self.done if s != step]
        self.done = done + [step] if complete else done
        self.updated_at = timezone.now()
        self.save(update_fields=["data", "done", "updated_at"])

    def raise_alert(self, tier: str) -> None:
        """Flag the chart: an answer raised an emergency or urgent finding. The most urgent
        tier so far is kept (tiers.yaml lists the most urgent first)."""
        order = list(load_knowledge().tiers)
        if not self.alert_tier or order.index(tier) < order.index(self.alert_tier):
            self.alert_tier, self.alert_at = tier, timezone.now()
            self.save(update_fields=["alert_tier", "alert_at"])

    def submit(self) -> None:
        self.status, self.submitted_at = IntakeStatus.SUBMITTED, timezone.now()
        self.save(update_fields=["status", "submitted_at"])

    def accept(self, intake, by) -> None:
        self.status, self.accepted_at, self.accepted_by = IntakeStatus.ACCEPTED, timezone.now(), by
        self.intake = intake
        self.save(update_fields=["status", "accepted_at", "accepted_by", "intake"])


class PortalCheckin(models.Model):
    """A check-in the client sent before a visit: pain now, the every-visit red flags, side
    effects since the last visit and anything new. It filled the draft note (``visit``) and
    was recorded as a check-in screening (``screening``), as the note's own check-in is."""

    client = models.ForeignKey(Client, models.CASCADE, related_name="portal_checkins")
    answers = models.JSONField(default=dict)
    visit = models.ForeignKey(
        "visits.Visit", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screening = models.ForeignKey(
        "screening.Screening", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    new_findings = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Portal check-in {self.at:%Y-%m-%d %H:%M} of client {self.client_id}"


class DetailsChange(models.Model):
    """Contact, emergency-contact or physician details the client changed in the portal: what
    each field was and what it became, so the clinic sees what changed."""

    client = models.ForeignKey(Client, models.CASCADE, related_name="portal_detail_changes")
    changes = models.JSONField(help_text="Field label -> [before, after]")
    at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"Details changed {self.at:%Y-%m-%d} by client {self.client_id}"

    @classmethod
    def record(cls, form) -> DetailsChange | None:
        """Save the client's new details and keep what changed; None when nothing did."""
        changes = form.changes()
        if not changes:
            return None
        with transaction.atomic():
            form.save()
            return cls.objects.create(client=form.instance, changes=changes)

    def mark_seen(self, by) -> None:
        self.seen_at, self.seen_by = timezone.now(), by
        self.save(update_fields=["seen_at", "seen_by"])


class CorrectionRequest(models.Model):
    """The client asks the clinic to correct something in their record; the clinic closes it
    with a word on what it did."""

    client = models.ForeignKey(Client, models.CASCADE, related_name="portal_corrections")
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="portal_correction_has_text",
                violation_error_message="Say what should be corrected.",
            )
        ]

    def __str__(self):
        return f"Correction request {self.at:%Y-%m-%d} of client {self.client_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def close(self, by, answer: str) -> None:
        self.closed_at, self.closed_by, self.answer = timezone.now(), by, answer
        self.save(update_fields=["closed_at", "closed_by", "answer"])
