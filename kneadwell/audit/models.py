"""The access log: who read or changed which client's data (or was refused), when and from where."""

import hmac
import re
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from kneadwell.audit import chain
from kneadwell.audit.chain import GENESIS, Report, entry_hash, pending_seal
from kneadwell.audit.keeping import Keeping
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
    REFUSE = "refuse", "Was refused"


class Channel(models.TextChoices):
    UI = "ui", "Web"
    API = "api", "API"
    CLI = "cli", "Command line"
    PORTAL = "portal", "Client portal"


# Entries waiting to be linked are read this many at a time.
BATCH = 2000


class AccessLogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Access-log entries cannot be changed.")

    def delete(self):
        raise PermissionError("Access-log entries cannot be deleted.")


class AccessLogEntry(models.Model):
    """One read or change of a client's data, or a refused attempt at one. Entries are only ever
    appended.

    Each entry carries the keyed hash of the one before it (`chain.py`), and signed checkpoints
    outside the database record how long the chain was, so an entry edited, removed or rewritten
    directly in the database, or the newest ones cut off, shows in `kneadwell audit verify`.
    """

    at = models.DateTimeField(default=timezone.now)
    clinic_id = models.BigIntegerField()
    user_id = models.BigIntegerField(null=True)
    user_email = models.CharField(max_length=254, blank=True)
    # A plain number, not a foreign key: the entry outlives an erased client as its tombstone.
    client_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    what = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.UI)
    address = models.GenericIPAddressField(null=True, blank=True)
    # Its place in the chain (1, 2, 3…); empty while it waits to be linked (see `append`).
    seq = models.BigIntegerField(null=True, unique=True)
    # False for entries written before the chain was keyed: checked by plain SHA-256.
    keyed = models.BooleanField(default=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AccessLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "access log entries"
        # The clinic first, then each filter the log page offers, then the time and id the pages
        # walk (`paging.py`): a date bound is a range of the same index, with or without a filter.
        indexes = [
            models.Index(fields=["clinic_id", "at", "id"], name="audit_clinic_time"),
            models.Index(
                fields=["clinic_id", "user_id", "at", "id"], name="audit_clinic_user_time"
            ),
            models.Index(
                fields=["clinic_id", "client_id", "at", "id"], name="audit_clinic_client_time"
            ),
            models.Index(
                fields=["clinic_id", "action", "at", "id"], name="audit_clinic_action_time"
            ),
            models.Index(
                fields=["clinic_id", "channel", "at", "id"], name="audit_clinic_channel_time"
            ),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_pending"),
        ]

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
        """Append an entry at the end of the chain.

        Outside a transaction the entry is linked at once, under the chain's lock. Inside a
        longer one (a view's `atomic`), waiting for the chain's lock would hold it, and so every
        other writer, until that transaction ends: the entry is written with a keyed seal of
        its own and linked into the chain when the transaction commits (or by `audit verify`).
        """
        entry = cls(**fields)
        entry.at = timezone.now()
        # Hash the address exactly as the database will store it (IPv6 is normalised).
        entry.address = cls._meta.get_field("address").get_prep_value(entry.address)
        keeping = Keeping.from_settings()
        if connection.in_atomic_block:
            entry.hash = pending_seal(entry.chained_fields(), keeping.key)
            entry.save()
            transaction.on_commit(cls.seal_pending, robust=True)
            return entry
        with transaction.atomic():
            before = cls._lock_chain(DEFAULT_DB_ALIAS)
            entry._link(before, keeping.key)
            entry.save()
        cls._checkpoint_if_due(keeping, before, (entry.seq, entry.hash))
        return entry

    @classmethod
    def extend(cls, entries: list["AccessLogEntry"]) -> None:
        """Append unsaved entries in their order, keeping each one's `at` (the scale demo writes
        years of history this way). Chained and hashed exactly as `append` does."""
        keeping = Keeping.from_settings()
        with transaction.atomic():
            before = head = cls._lock_chain(DEFAULT_DB_ALIAS)
            for entry in entries:
                entry.address = cls._meta.get_field("address").get_prep_value(entry.address)
                head = entry._link(head, keeping.key)
            bulk.insert(cls, entries)
        cls._checkpoint_if_due(keeping, before, head)

    @classmethod
    def seal_pending(cls, using: str = DEFAULT_DB_ALIAS, keeping: Keeping | None = None) -> int:
        """Link the entries written inside transactions into the chain, oldest first, in one
        short transaction under the chain's lock; how many. An entry whose seal does not match
        the key (written around Kneadwell) is left unlinked for `verify` to name."""
        keeping = keeping or Keeping.from_settings()
        linked = 0
        with transaction.atomic(using=using):
            before = head = cls._lock_chain(using)
            pending = cls.objects.using(using).filter(seq__isnull=True).order_by("id")
            last_id, batch = 0, [None] * BATCH
            while len(batch) == BATCH:
                batch = list(pending.filter(id__gt=last_id)[:BATCH])
                for entry in batch:
                    seal = pending_seal(entry.chained_fields(), keeping.key)
                    if not hmac.compare_digest(seal, entry.hash):
                        continue
                    head = entry._link(head, keeping.key)
                    models.QuerySet.update(
                        cls.objects.using(using).filter(pk=entry.pk),
                        seq=entry.seq,
                        prev_hash=entry.prev_hash,
                        hash=entry.hash,
                        keyed=True,
                    )
                    linked += 1
                last_id = batch[-1].id if batch else last_id
        cls._checkpoint_if_due(keeping, before, head)
        return linked

    @classmethod
    def _lock_chain(cls, using: str) -> tuple[int, str]:
        """Serialise writers of the chain (to the end of this short transaction); the head's
        position and hash."""
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(4242001)")
        return cls.head(using)

    @classmethod
    def head(cls, using: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
        """The newest linked entry's position and hash ((0, GENESIS) for an empty log)."""
        linked = cls.objects.using(using).filter(seq__isnull=False).order_by("-seq")
        return linked.values_list("seq", "hash").first() or (0, GENESIS)

    def _link(self, head: tuple[int, str], key: bytes) -> tuple[int, str]:
        """Link this entry after `head` (position, hash) and hash it with the key."""
        self.seq, self.prev_hash, self.keyed = head[0] + 1, head[1], True
        self.hash = entry_hash(self.prev_hash, self.chained_fields(), key)
        return self.seq, self.hash

    @staticmethod
    def _checkpoint_if_due(keeping: Keeping, before: tuple[int, str], head: tuple[int, str]):
        # After the commit: a checkpoint must never name a head that was rolled back.
        if keeping.due(before[0], head[0]):
            keeping.write(*head)

    @classmethod
    def verify_chain(cls, using: str = DEFAULT_DB_ALIAS, keeping: Keeping | None = None) -> Report:
        """Link waiting entries, walk the chain against the key and the checkpoints, and (when
        intact) record a checkpoint of its head. `audit verify` prints the report."""
        keeping = keeping or Keeping.from_settings()
        cls.seal_pending(using, keeping)
        linked = cls.objects.using(using).filter(seq__isnull=False).order_by("seq")
        rows = (
            (e.seq, e.id, e.prev_hash, e.hash, e.keyed, e.chained_fields())
            for e in linked.iterator(chunk_size=2000)
        )
        report = chain.check(rows, keeping.key, keeping.lines())
        if report.problem is None:
            unlinked = cls.objects.using(using).filter(seq__isnull=True).order_by("id").first()
            if unlinked is not None:
                report.problem = (
                    f"entry {unlinked.id}: written around Kneadwell (its seal does not match "
                    "the audit key)"
                )
        last = report.checkpoint
        if (
            report.problem is None
            and report.entries
            and (last is None or last.head != report.head[1])
        ):
            report.checkpoint = keeping.write(*report.head)
        return report

    @classmethod
    def verify(cls) -> str | None:
        """None when the log is intact, otherwise a sentence naming the first bad entry."""
        return cls.verify_chain().problem


def client_address(request) -> str | None:
    # Behind a proxy the operator sets KNEADWELL_BEHIND_PROXY; only then is the header trusted.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def pieces(what: str, room: int = 200) -> list[str]:
    """`what` in as many entries' texts as it needs: an entry's text has a fixed length (the
    column's; PostgreSQL refuses more) and nothing may be cut off. "label: a, b, c" keeps its
    label on every piece and breaks between items; anything else breaks where it must."""
    if len(what) <= room:
        return [what]
    label, colon, rest = what.partition(": ")
    prefix = f"{label}: " if colon and len(label) < room // 2 else ""
    rest = rest if prefix else what
    sep = ", " if ", " in rest else ","
    texts: list[str] = []
    current = ""
    for item in rest.split(sep):
        while len(prefix) + len(item) > room:  # one item longer than an entry: in slices
            if current:
                texts.append(prefix + current)
                current = ""
            cut = room - len(prefix)
            texts.append(prefix + item[:cut])
            item = item[cut:]
        joined = f"{current}{sep}{item}" if current else item
        if len(prefix) + len(joined) > room:
            texts.append(prefix + current)
            joined = item
        current = joined
    if current:
        texts.append(prefix + current)
    return texts


def log_access(request, action: str, what: str, client=None, channel: str = Channel.UI):
    """Record that the person behind `request` did `action` on `client` (or a list of clients).
    A long text (a page of client numbers) takes as many entries as it needs."""
    membership = request.membership
    for text in pieces(what):
        entry = AccessLogEntry.append(
            clinic_id=membership.clinic_id,
            user_id=membership.user_id,
            user_email=membership.user.email,
            client_id=getattr(client, "pk", client),
            action=action,
            what=text,
            channel=channel,
            address=client_address(request),
        )
    return entry


def log_client_access(request, client, action: str, what: str):
    """Record that the client did `action` on their own record in the client portal: the client
    is the actor (no staff user), the channel says so."""
    for text in pieces(what):
        entry = AccessLogEntry.append(
            clinic_id=client.clinic_id,
            user_id=None,
            user_email="",
            client_id=client.pk,
            action=action,
            what=text,
            channel=Channel.PORTAL,
            address=client_address(request) if request is not None else None,
        )
    return entry


# A client's record in a path: /clients/42/…, /api/v1/clients/42/…
CLIENT_PATH = re.compile(r"/clients/(\d+)(?:/|$)")


def log_refusal(request, status: int) -> AccessLogEntry | None:
    """Record that a signed-in person was refused (403) or not shown (404) a client's record,
    at most once a minute per person and kind of path. The path's numbers are left out of the
    kind (the client's number is kept in its column); paths never hold health data."""
    membership = getattr(request, "membership", None)
    found = CLIENT_PATH.search(request.path_info)
    if membership is None or found is None:
        return None
    kind = re.sub(r"/\d+(?=/|$)", "/…", request.path_info)[:150]
    what = f"refused ({'not found' if status == 404 else 'not allowed'}): {kind}"
    recent = AccessLogEntry.objects.filter(
        clinic_id=membership.clinic_id,
        user_id=membership.user_id,
        action=Action.REFUSE,
        at__gte=timezone.now() - timedelta(minutes=1),
    )
    if recent.filter(what=what).exists():
        return None
    channel = Channel.API if request.path_info.startswith("/api/") else Channel.UI
    number = int(found[1])
    # A number no record can have (past the database's integer range) is kept out of the column.
    client_id = number if 0 < number < 2**63 else None
    return log_access(request, Action.REFUSE, what, client_id, channel)
