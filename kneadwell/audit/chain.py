"""The keyed hash chain that makes the access log tamper-evident, and its signed checkpoints:
pure functions over plain values.

Each entry's hash is an HMAC-SHA256, under a key kept outside the database, of the previous
entry's hash and this entry's fields: whoever can write the database but not read the key can
neither edit an entry nor rewrite the chain from it onwards. Entries written before the chain
was keyed (`keyed` false) carry a plain SHA-256 and are checked as before. A checkpoint records
the chain's position and head hash, signed with the same key, in a file outside the database:
removing the newest entries leaves the chain shorter than its last checkpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GENESIS = "0" * 64


def _payload(fields: Mapping[str, object]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, fields: Mapping[str, object], key: bytes | None = None) -> str:
    """The hash of an entry after `prev_hash`: HMAC-SHA256 under `key`, or (entries written
    before the chain was keyed) a plain SHA-256 over the same text."""
    message = f"{prev_hash}|{_payload(fields)}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def pending_seal(fields: Mapping[str, object], key: bytes) -> str:
    """The seal of an entry written but not yet linked into the chain (inside a longer
    transaction): only a writer holding the key can make one the chain will accept."""
    return hmac.new(key, f"pending|{_payload(fields)}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """The chain had reached entry number `position` with hash `head` at `at`, signed."""

    position: int
    head: str
    at: str
    signature: str = ""

    def _message(self) -> bytes:
        return f"checkpoint|{self.position}|{self.head}|{self.at}".encode()

    def signed(self, key: bytes) -> Checkpoint:
        digest = hmac.new(key, self._message(), hashlib.sha256).hexdigest()
        return Checkpoint(self.position, self.head, self.at, digest)

    def is_signed_with(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signed(key).signature, self.signature)

    def line(self) -> str:
        fields = {"position": self.position, "head": self.head, "at": self.at}
        return json.dumps({**fields, "signature": self.signature}, sort_keys=True) + "\n"

    @classmethod
    def parse(cls, line: str) -> Checkpoint | None:
        try:
            data = json.loads(line)
            return cls(int(data["position"]), str(data["head"]), str(data["at"]), data["signature"])
        except (ValueError, KeyError, TypeError):
            return None


@dataclass
class Report:
    """What `audit verify` found: `problem` is None for an intact log."""

    problem: str | None = None
    entries: int = 0
    unkeyed: int = 0
    head: tuple[int, str] = (0, GENESIS)
    checkpoint: Checkpoint | None = None
    notes: list[str] = field(default_factory=list)


# One entry as the chain sees it: (position, id, prev_hash, hash, keyed, fields).
Row = tuple[int, int, str, str, bool, Mapping[str, object]]


def check(rows: Iterable[Row], key: bytes, checkpoint_lines: Iterable[str] = ()) -> Report:
    """Walk the chain in order of position; name the first entry that does not fit, or the
    first missing one when the chain is shorter than its last checkpoint."""
    report = Report()
    checkpoints: dict[int, Checkpoint] = {}
    unsigned = None
    for number, line in enumerate(checkpoint_lines, start=1):
        if not line.strip():
            continue
        checkpoint = Checkpoint.parse(line)
        if checkpoint is None or not checkpoint.is_signed_with(key):
            unsigned = unsigned or number
            continue
        checkpoints[checkpoint.position] = checkpoint
        report.checkpoint = checkpoint
    expected_prev, seen_keyed, matched = GENESIS, False, set()
    for position, entry_id, prev_hash, stored_hash, keyed, fields in rows:
        if prev_hash != expected_prev:
            report.problem = f"entry {entry_id}: its link to the previous entry is broken"
            return report
        if seen_keyed and not keyed:
            report.problem = f"entry {entry_id}: written without the key after keyed entries"
            return report
        digest = entry_hash(prev_hash, fields, key if keyed else None)
        if not hmac.compare_digest(digest, stored_hash):
            report.problem = (
                f"entry {entry_id}: its contents do not match its hash (edited after writing"
                + (", or the audit key is not the one it was written with)" if keyed else ")")
            )
            return report
        checkpoint = checkpoints.get(position)
        if checkpoint is not None and checkpoint.head != stored_hash:
            report.problem = (
                f"entry {entry_id}: the chain up to it differs from the checkpoint of "
                f"{checkpoint.at} (rewritten with the audit key)"
            )
            return report
        seen_keyed = seen_keyed or keyed
        report.unkeyed += 0 if keyed else 1
        report.entries += 1
        report.head = (position, stored_hash)
        expected_prev = stored_hash
        matched.add(position)
    if unsigned is not None:
        # After the walk, so that a wrong key is named at the first entry it fails.
        report.problem = (
            f"checkpoint {unsigned} in the checkpoint file is not signed with this audit key "
            "(the file was edited, or the key is not the one the log was written with)"
        )
        return report
    last = max(checkpoints.values(), key=lambda c: c.position, default=None)
    if last is not None and report.head[0] < last.position:
        report.problem = (
            f"entry number {report.head[0] + 1} onwards is missing: the log ends at number "
            f"{report.head[0]} but the checkpoint of {last.at} recorded {last.position} "
            "(the newest entries were removed)"
        )
        return report
    unmatched = sorted(set(checkpoints) - matched)
    if unmatched:
        report.problem = (
            f"there is no entry number {unmatched[0]}, which the checkpoint of "
            f"{checkpoints[unmatched[0]].at} recorded (entries were renumbered or removed)"
        )
        return report
    if report.unkeyed:
        report.notes.append(
            f"{report.unkeyed} entries from before the log was keyed are checked by plain hash"
        )
    return report
