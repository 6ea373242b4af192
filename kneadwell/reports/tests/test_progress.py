"""Reading a client's course per instrument from recorded responses (no database needed)."""

from datetime import UTC, datetime
from types import SimpleNamespace

from kneadwell.measures.progress import courses, readings


def response(instrument, score=None, day=1, **subscores):
    return SimpleNamespace(
        instrument=instrument,
        score=score,
        subscores=subscores,
        taken_at=datetime(2025, 1, day, tzinfo=UTC),
        pk=day,
    )


def test_it_groups_by_instrument_oldest_first():
    found = courses([response("nprs", 3, 9), response("odi", 40, 2), response("nprs", 8, 1)])
    assert [c.instrument.id for c in found] == ["nprs", "odi"]
    nprs = found[0]
    assert (nprs.baseline.score, nprs.latest.score) == (8, 3)
    assert nprs.readings[0].status == "improved"
    assert found[1].readings == []  # a single ODI has nothing to compare


def test_zcq_is_read_per_subscale():
    before = response(
        "zcq", None, 1, symptom_severity=4.0, physical_function=3.0, satisfaction=None
    )
    after = response("zcq", None, 2, symptom_severity=2.0, physical_function=2.9, satisfaction=1.5)
    found = readings(before, after)
    assert [(r.label, r.status) for r in found] == [
        ("Symptom severity", "improved"),
        ("Physical function", "no_meaningful_change"),
    ]


def test_start_back_gives_no_change_reading_and_groc_reads_the_rating_alone():
    assert readings(response("startback", 2), response("startback", 6, 2)) == []
    (groc,) = readings(response("groc", 5), response("groc", 5))
    assert (groc.label, groc.status) == ("Rating", "improved")


def test_it_says_which_thresholds_were_met():
    (reading,) = readings(response("rmdq", 10), response("rmdq", 7, 2))
    assert reading.status == "improved"
    assert reading.thresholds_met == "3 points against ≥ 5: not met; 30% against ≥ 30%: met"
