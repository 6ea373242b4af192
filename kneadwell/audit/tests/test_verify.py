"""`kneadwell audit verify` against the keyed chain and its checkpoints: an intact log, the
newest entries cut off, a chain rewritten with recomputed hashes, a wrong key, a log from before
the key, entries written around Kneadwell; `audit checkpoint`."""

import hashlib
import json

import pytest
from django.db import connection

from kneadwell.audit.chain import GENESIS
from kneadwell.audit.keeping import Keeping
from kneadwell.audit.models import AccessLogEntry, Action
from kneadwell.cli import main as kneadwell

pytestmark = pytest.mark.django_db


def _reads(n: int, clinic_id: int = 1) -> list[AccessLogEntry]:
    for _ in range(n):
        AccessLogEntry.append(
            clinic_id=clinic_id, user_email="tara@willow.test", action="view", what="chart"
        )
    AccessLogEntry.seal_pending()  # what each request's commit does outside a test
    return list(AccessLogEntry.objects.order_by("seq"))


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _verify(capsys) -> tuple[int, str]:
    code = kneadwell(["audit", "verify"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_an_intact_log_verifies_and_leaves_a_checkpoint(capsys, settings):
    _reads(4)
    code, out = _verify(capsys)
    assert code == 0 and "intact (4 entries)" in out
    lines = settings.KNEADWELL_AUDIT_CHECKPOINTS.read_text().splitlines()
    assert json.loads(lines[-1])["position"] == 4


def test_entries_are_linked_in_order_with_their_place(db):
    entries = _reads(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS and entries[1].prev_hash == entries[0].hash
    assert all(e.keyed for e in entries)


def test_removing_the_newest_entries_is_reported_as_truncation(capsys):
    entries = _reads(5)
    assert _verify(capsys)[0] == 0  # a checkpoint at entry number 5
    _sql("DELETE FROM audit_accesslogentry WHERE id >= %s", entries[3].id)
    code, out = _verify(capsys)
    assert code == 1
    assert "entry number 4 onwards is missing: the log ends at number 3" in out
    assert "the newest entries were removed" in out


def test_a_checkpoint_every_n_entries_catches_truncation_without_a_verify(capsys, settings):
    settings.KNEADWELL_AUDIT_CHECKPOINT_EVERY = 3
    entries = [_reads(1)[-1] for _ in range(7)]  # each committed on its own
    positions = [json.loads(x)["position"] for x in Keeping.from_settings().lines()]
    assert positions == [1, 3, 6]  # the first seal, then every third entry
    _sql("DELETE FROM audit_accesslogentry WHERE id >= %s", entries[5].id)
    code, out = _verify(capsys)
    assert code == 1 and "entry number 6 onwards is missing" in out


def test_a_rewritten_chain_with_recomputed_hashes_names_the_first_rewritten_entry(capsys):
    entries = _reads(5)
    # Someone with the database but not the key edits entry 3 and recomputes every later hash
    # the only way they can: plain SHA-256 over the same text.
    prev = entries[1].hash
    for entry in entries[2:]:
        entry.what = "nothing" if entry.seq == 3 else entry.what
        payload = json.dumps(entry.chained_fields(), sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(f"{prev}|{payload}".encode()).hexdigest()
        _sql(
            "UPDATE audit_accesslogentry SET what = %s, prev_hash = %s, hash = %s WHERE id = %s",
            entry.what, prev, digest, entry.id,
        )  # fmt: skip
        prev = digest
    code, out = _verify(capsys)
    assert code == 1 and f"entry {entries[2].id}: its contents do not match its hash" in out


def test_marking_rewritten_entries_as_unkeyed_does_not_help(capsys):
    entries = _reads(3)
    _sql("UPDATE audit_accesslogentry SET keyed = %s WHERE id = %s", False, entries[2].id)
    code, out = _verify(capsys)
    assert code == 1 and f"entry {entries[2].id}: written without the key" in out


def test_a_wrong_key_is_named(capsys, settings):
    entries = _reads(2)
    settings.KNEADWELL_AUDIT_KEY = "not the key the log was written with"
    code, out = _verify(capsys)
    assert code == 1
    assert f"entry {entries[0].id}: its contents do not match its hash" in out
    assert "the audit key is not the one it was written with" in out


def test_an_edited_checkpoint_file_is_named(capsys, settings):
    _reads(2)
    assert _verify(capsys)[0] == 0
    path = settings.KNEADWELL_AUDIT_CHECKPOINTS
    path.write_text(path.read_text().replace('"position": 2', '"position": 1'))
    code, out = _verify(capsys)
    assert code == 1 and "checkpoint 1 in the checkpoint file is not signed" in out


def test_a_log_from_before_the_key_is_verified_as_before_and_noted(capsys):
    # Two entries as the unkeyed chain wrote them (the migration gives them their id as place).
    prev = GENESIS
    for n in (1, 2):
        entry = AccessLogEntry(clinic_id=1, action="view", what=f"chart {n}", keyed=False)
        payload = json.dumps(entry.chained_fields(), sort_keys=True, separators=(",", ":"))
        entry.prev_hash, entry.seq = prev, n
        entry.hash = prev = hashlib.sha256(f"{prev}|{payload}".encode()).hexdigest()
        entry.save()
    _reads(2)
    code, out = _verify(capsys)
    assert code == 0 and "intact (4 entries)" in out
    assert "2 entries from before the log was keyed are checked by plain hash" in out


def test_an_entry_written_around_kneadwell_is_not_linked_and_is_named(capsys):
    _reads(1)
    forged = AccessLogEntry(clinic_id=1, action=Action.VIEW, what="chart", hash="f" * 64)
    forged.save()
    AccessLogEntry.seal_pending()
    forged.refresh_from_db()
    assert forged.seq is None
    code, out = _verify(capsys)
    assert code == 1 and f"entry {forged.id}: written around Kneadwell" in out


def test_an_entry_edited_while_waiting_to_be_linked_is_not_linked(capsys):
    entry = AccessLogEntry.append(clinic_id=1, action="view", what="chart")
    assert entry.seq is None  # inside the test's transaction: linked at commit
    _sql("UPDATE audit_accesslogentry SET client_id = 99 WHERE id = %s", entry.id)
    code, out = _verify(capsys)
    assert code == 1 and f"entry {entry.id}: written around Kneadwell" in out


def test_audit_checkpoint_records_the_head(capsys, settings):
    assert kneadwell(["audit", "checkpoint"]) == 0
    assert "empty" in capsys.readouterr().out
    AccessLogEntry.append(clinic_id=1, action="view", what="chart")
    assert kneadwell(["audit", "checkpoint"]) == 0
    assert "entry number 1" in capsys.readouterr().out
    last = Keeping.from_settings().last()
    assert last.position == 1 and last.head == AccessLogEntry.objects.get().hash
