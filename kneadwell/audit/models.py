"""The access log: who read or changed which client's data, when and from where."""

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from kneadwell.audit.chain import GENESIS, entry_hash, first_broken
from kneadwell.core import bulk


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    ARCHIVE = "archive", "Archived"
    RESTORE = "restore", "Restored"
    ERASE = "erase", "Erased"
    EXPORT = "export", "Exported"
    OVERRIDE = "override", "Overrode a safety finding"


class Channel(models.TextChoices):
    UI = "ui", "Web"
    API = "api", "API"
    CLI = "cli", "Command line"
    PORTAL = "portal", "Client portal"


class AccessLogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Access-log entries cannot be changed.")

    def delete(self):
        raise PermissionError("Access-log entries cannot be deleted.")


class AccessLogEntry(models.Model):
    """One read or change of a client's data. Entries are only ever appended.

    Each entry carries the hash of the one before it, so an entry edited or removed directly in
    the database breaks the chain, and `kneadwell audit verify` names where.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    clinic_id = models.BigIntegerField(db_index=True)
    user_id = models.BigIntegerField(null=True)
    user_email = models.CharField(max_length=254, blank=True)
    # A plain number, not a foreign key: the entry outlives an erased client as its tombstone.
    client_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    what = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.UI)
    address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AccessLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "access log entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.action} {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access-log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access-log entries cannot be deleted.")

    def chained_fields(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "clinic_id": self.clinic_id,
            "user_id": self.user_id,
            "user_email": self.user_email,
            "client_id": self.client_id,
            "action": self.action,
            "what": self.what,
            "channel": self.channel,
            "address": self.address,
        }

    @classmethod
    def append(cls, **fields) -> "AccessLogEntry":
        """Append an entry at the end of the chain; concurrent writers are serialised."""
        with transaction.atomic():
            prev = cls._lock_chain()
            entry = cls(**fields)
            entry.at = timezone.now()
            entry._seal(prev)
            entry.save()
        return entry

    @classmethod
    def extend(cls, entries: list["AccessLogEntry"]) -> None:
        """Append unsaved entries in their order, keeping each one's `at` (the scale demo writes
        years of history this way). Chained and hashed exactly as `append` does."""
        with transaction.atomic():
            prev = cls._lock_chain()
            for entry in entries:
                prev = entry._seal(prev)
            bulk.insert(cls, entries)

    @classmethod
    def _lock_chain(cls) -> str:
        """Serialise writers of the chain (to the end of the transaction); the head's hash."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(4242001)")
        last = cls.objects.order_by("-id").values_list("hash", flat=True).first()
        return last or GENESIS

    def _seal(self, prev_hash: str) -> str:
        """Link this entry to `prev_hash` and hash it; returns its hash."""
        # Hash the address exactly as the database will store it (IPv6 is normalised).
        self.address = self._meta.get_field("address").get_prep_value(self.address)
        self.prev_hash = prev_hash
        self.hash = entry_hash(prev_hash, self.chained_fields())
        return self.hash

    @classmethod
    def verify(cls) -> str | None:
        """None when the chain is intact, otherwise a sentence naming the first broken entry."""
        rows = cls.objects.order_by("id").iterator(chunk_size=2000)
        return first_broken((e.id, e.prev_hash, e.hash, e.chained_fields()) for e in rows)


def client_address(request) -> str | None:
    # Behind a proxy the operator sets KNEADWELL_BEHIND_PROXY; only then is the header trusted.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def log_access(request, action: str, what: str, client=None, channel: str = Channel.UI):
    """Record that the person behind `request` did `action` on `client` (or a list of clients)."""
    membership = request.membership
    return AccessLogEntry.append(
        clinic_id=membership.clinic_id,
        user_id=membership.user_id,
        user_email=membership.user.email,
        client_id=getattr(client, "pk", client),
        action=action,
        what=what,
        channel=channel,
        address=client_address(request),
    )


def log_client_access(request, client, action: str, what: str):
    """Record that the client did `action` on their own record in the client portal: the client
    is the actor (no staff user), the channel says so."""
    return AccessLogEntry.append(
        clinic_id=client.clinic_id,
        user_id=None,
        user_email="",
        client_id=client.pk,
        action=action,
        what=what,
        channel=Channel.PORTAL,
        address=client_address(request) if request is not None else None,
    )
