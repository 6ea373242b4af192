"""A long access-log text is spread over entries, never cut off (the column holds 200
characters; PostgreSQL refuses more, which was a 500 on a page of four-digit client numbers)."""

from hypothesis import given
from hypothesis import strategies as st

from kneadwell.audit.models import AccessLogEntry, pieces


def test_a_short_text_is_one_entry():
    assert pieces("client list: 1,2,3") == ["client list: 1,2,3"]


def test_a_long_list_keeps_its_label_and_every_item():
    ids = [str(n) for n in range(10_000, 10_080)]
    texts = pieces("appointments of clients: " + ",".join(ids))
    assert len(texts) > 1 and all(len(t) <= 200 for t in texts)
    assert all(t.startswith("appointments of clients: ") for t in texts)
    found = [i for t in texts for i in t.removeprefix("appointments of clients: ").split(",")]
    assert found == ids


@given(st.text(min_size=0, max_size=900))
def test_nothing_is_lost_whatever_the_text(text):
    texts = pieces(text)
    assert all(len(t) <= 200 for t in texts)
    if len(text) <= 200:
        assert texts == [text]
    else:
        label, colon, rest = text.partition(": ")
        prefix = f"{label}: " if colon and len(label) < 100 else ""
        body = [t.removeprefix(prefix) for t in texts]
        sep = ", " if ", " in (rest if prefix else text) else ","
        joined = sep.join(body)
        # every character survives (slices of an overlong item join without a separator)
        assert joined.replace(sep, "") == (rest if prefix else text).replace(sep, "")


def test_the_column_is_the_length_pieces_keeps_to():
    assert AccessLogEntry._meta.get_field("what").max_length == 200
