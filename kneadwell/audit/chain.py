"""The hash chain that makes the access log tamper-evident: pure functions over plain values."""

import hashlib
import json
from collections.abc import Iterable, Mapping

GENESIS = "0" * 64


def entry_hash(prev_hash: str, fields: Mapping[str, object]) -> str:
    """SHA-256 over the previous entry's hash and this entry's fields in canonical JSON."""
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def first_broken(entries: Iterable[tuple[int, str, str, Mapping[str, object]]]) -> str | None:
    """Walk (id, prev_hash, hash, fields) in order; describe the first entry that does not fit."""
    expected_prev = GENESIS
    for entry_id, prev_hash, stored_hash, fields in entries:
        if prev_hash != expected_prev:
            return f"entry {entry_id}: its link to the previous entry is broken"
        if entry_hash(prev_hash, fields) != stored_hash:
            return f"entry {entry_id}: its contents do not match its hash (edited after writing)"
        expected_prev = stored_hash
    return None
