"""The pure hash chain."""

from kneadwell.audit.chain import GENESIS, entry_hash, first_broken


def _chain(n):
    rows, prev = [], GENESIS
    for i in range(1, n + 1):
        fields = {"action": "view", "n": i}
        digest = entry_hash(prev, fields)
        rows.append((i, prev, digest, fields))
        prev = digest
    return rows


def test_an_intact_chain_has_no_break():
    assert first_broken(_chain(5)) is None


def test_it_names_the_first_edited_entry():
    rows = _chain(5)
    i, prev, digest, fields = rows[2]
    rows[2] = (i, prev, digest, {**fields, "action": "update"})
    assert (
        first_broken(rows) == "entry 3: its contents do not match its hash (edited after writing)"
    )


def test_it_notices_a_removed_entry():
    rows = _chain(5)
    del rows[1]
    assert first_broken(rows).startswith("entry 3: its link")


def test_the_hash_depends_on_the_previous_entry():
    assert entry_hash("a" * 64, {"x": 1}) != entry_hash("b" * 64, {"x": 1})
