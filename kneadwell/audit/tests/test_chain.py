"""The pure keyed chain and its checkpoints."""

from kneadwell.audit.chain import GENESIS, Checkpoint, check, entry_hash

KEY = b"k" * 32


def _chain(n, key=KEY, unkeyed=0):
    """n rows (position, id, prev, hash, keyed, fields); the first `unkeyed` by plain hash."""
    rows, prev = [], GENESIS
    for i in range(1, n + 1):
        fields = {"action": "view", "n": i}
        keyed = i > unkeyed
        digest = entry_hash(prev, fields, key if keyed else None)
        rows.append((i, i, prev, digest, keyed, fields))
        prev = digest
    return rows


def _checkpoint(rows, position, key=KEY):
    return Checkpoint(position, rows[position - 1][3], "2026-12-07T10:00:00+00:00").signed(key)


def test_an_intact_chain_has_no_break():
    report = check(_chain(5), KEY)
    assert report.problem is None and report.entries == 5 and report.unkeyed == 0


def test_it_names_the_first_edited_entry():
    rows = _chain(5)
    position, i, prev, digest, keyed, fields = rows[2]
    rows[2] = (position, i, prev, digest, keyed, {**fields, "action": "update"})
    assert check(rows, KEY).problem.startswith("entry 3: its contents do not match its hash")


def test_it_notices_a_removed_entry():
    rows = _chain(5)
    del rows[1]
    assert check(rows, KEY).problem.startswith("entry 3: its link")


def test_the_hash_depends_on_the_previous_entry_and_the_key():
    assert entry_hash("a" * 64, {"x": 1}, KEY) != entry_hash("b" * 64, {"x": 1}, KEY)
    assert entry_hash("a" * 64, {"x": 1}, KEY) != entry_hash("a" * 64, {"x": 1}, b"other")
    assert entry_hash("a" * 64, {"x": 1}, KEY) != entry_hash("a" * 64, {"x": 1})


def test_a_chain_rewritten_without_the_key_is_caught_at_the_first_rewritten_entry():
    rows = _chain(5)
    # Rewrite entry 3 and recompute every later hash, as someone without the key can: SHA-256.
    prev = rows[1][3]
    for index in range(2, 5):
        position, i, _, _, keyed, fields = rows[index]
        fields = {**fields, "action": "erase"} if index == 2 else fields
        digest = entry_hash(prev, fields)
        rows[index] = (position, i, prev, digest, keyed, fields)
        prev = digest
    assert check(rows, KEY).problem.startswith("entry 3: its contents do not match its hash")


def test_a_wrong_key_fails_at_the_first_keyed_entry():
    problem = check(_chain(5, unkeyed=2), b"not the key").problem
    assert problem.startswith("entry 3: its contents do not match its hash")
    assert "audit key is not the one" in problem


def test_entries_from_before_the_key_are_checked_by_plain_hash_and_counted():
    report = check(_chain(5, unkeyed=2), KEY)
    assert report.problem is None and report.unkeyed == 2
    assert report.notes == ["2 entries from before the log was keyed are checked by plain hash"]


def test_an_unkeyed_entry_after_keyed_ones_is_a_rewrite():
    rows = _chain(3)
    position, i, prev, _, _, fields = rows[2]
    rows[2] = (position, i, prev, entry_hash(prev, fields), False, fields)
    assert check(rows, KEY).problem == "entry 3: written without the key after keyed entries"


def test_removing_the_newest_entries_falls_short_of_the_last_checkpoint():
    rows = _chain(6)
    lines = [_checkpoint(rows, 3).line(), _checkpoint(rows, 5).line()]
    assert check(rows, KEY, lines).problem is None
    problem = check(rows[:4], KEY, lines).problem
    assert problem.startswith("entry number 5 onwards is missing: the log ends at number 4")


def test_a_chain_rewritten_with_the_key_differs_from_its_checkpoint():
    rows = _chain(5)
    lines = [_checkpoint(rows, 4).line()]
    forged, prev = [], GENESIS
    for position, i, _, _, keyed, fields in rows:
        fields = {**fields, "action": "erase"} if i == 2 else fields
        digest = entry_hash(prev, fields, KEY)
        forged.append((position, i, prev, digest, keyed, fields))
        prev = digest
    assert check(forged, KEY, lines).problem.startswith("entry 4: the chain up to it differs")


def test_renumbered_entries_that_skip_a_checkpoint_are_caught():
    rows = _chain(5)
    lines = [_checkpoint(rows, 3).line()]
    renumbered = [(p + 10 if p >= 3 else p, *rest) for p, *rest in rows]
    assert check(renumbered, KEY, lines).problem.startswith("there is no entry number 3")


def test_a_checkpoint_edited_or_signed_with_another_key_is_refused():
    rows = _chain(3)
    edited = _checkpoint(rows, 3).line().replace('"position": 3', '"position": 2')
    assert "checkpoint 1 in the checkpoint file is not signed" in check(rows, KEY, [edited]).problem
    other = _checkpoint(rows, 3, key=b"other").line()
    assert check(rows, KEY, [other]).problem.startswith("checkpoint 1")
