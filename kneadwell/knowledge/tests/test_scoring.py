"""Scoring: the published worked examples for every instrument, the missing-item rules, errors
that name the item, and property tests over every instrument."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kneadwell.knowledge.instruments.registry import get_instrument, load_instruments
from kneadwell.knowledge.instruments.schema import Direction
from kneadwell.knowledge.instruments.scoring import AnswerError, round_for_display, score


def answers(*values, start=1):
    return {str(n): v for n, v in enumerate(values, start) if v is not None}


# --- Published worked examples, one block per instrument -------------------------------------


def test_it_scores_nprs_as_the_integer_chosen_with_its_recall_period():
    result = score("nprs", {"1": 7}, recall="average_week")
    assert result.score == 7
    assert result.band == "severe"
    assert result.context == {"recall": "average_week"}


def test_it_requires_the_nprs_recall_period():
    with pytest.raises(AnswerError, match="recall.*now, worst_24h, average_24h, average_week"):
        score("nprs", {"1": 7})
    with pytest.raises(AnswerError, match="'yesterday' is not allowed"):
        score("nprs", {"1": 7}, recall="yesterday")


@pytest.mark.parametrize(
    ("value", "band"), [(0, "none"), (3, "mild"), (4, "moderate"), (10, "severe")]
)
def test_it_bands_nprs_by_the_configurable_convention(value, band):
    assert score("nprs", {"1": value}, recall="now").band == band


def test_it_scores_peg_as_the_mean_of_three():
    assert score("peg", answers(6, 5, 4)).score == 5
    assert score("peg", answers(7, 4, 4)).score == pytest.approx(5)
    assert score("peg", answers(7, 5, 4)).display()["score"] == 5.3


def test_it_refuses_peg_with_an_item_missing():
    with pytest.raises(AnswerError, match="PEG: too many items missing \\(2\\)"):
        score("peg", answers(6, None, 4))


def test_it_scores_psfs_as_the_mean_of_the_rated_activities():
    result = score(
        "psfs",
        answers(3, 4, 8),
        activities={"1": "Lifting my grandchild", "2": "Gardening", "3": "Driving"},
    )
    assert result.score == 5
    assert result.context["activities"]["2"] == "Gardening"
    assert not result.prorated
    assert score("psfs", answers(4, 7)).score == 5.5
    assert score("psfs", answers(2, 3, 4, 6, 9)).score == 4.8


def test_it_insists_each_rated_psfs_activity_is_named_when_activities_are_given():
    with pytest.raises(AnswerError, match="rated item 2 has no activities text"):
        score("psfs", answers(3, 4), activities={"1": "Gardening"})


def test_it_scores_rmdq_as_the_count_of_ticked_statements():
    assert score("rmdq", answers(*[1] * 10, *[0] * 14)).score == 10
    assert score("rmdq", answers(*[0] * 24)).score == 0
    assert score("rmdq", answers(*[1] * 24)).score == 24


def test_it_prorates_rmdq_with_two_missing_and_flags_it():
    result = score("rmdq", answers(*[1] * 10, *[0] * 12))  # items 23 and 24 missing
    assert result.score == pytest.approx(10 * 24 / 22)
    assert result.display()["score"] == 10.9
    assert result.prorated
    assert result.missing == ("23", "24")
    assert result.rule == "prorate_max2"


def test_it_scores_rmdq_regardless_or_discards_under_the_other_rules():
    partial = answers(*[1] * 10, *[0] * 12)
    assert score("rmdq", partial, rule="score_regardless").score == 10
    with pytest.raises(AnswerError, match="rule 'complete' allows at most 0 missing"):
        score("rmdq", partial, rule="complete")
    with pytest.raises(AnswerError, match="RMDQ-24: too many items missing \\(22, 23, 24\\)"):
        score("rmdq", answers(*[1] * 10, *[0] * 11))


def test_it_scores_odi_over_all_ten_sections():
    result = score("odi", answers(2, 2, 2, 2, 2, 2, 2, 2, 0, 0))  # 16 points
    assert result.score == 32
    assert result.band == "moderate disability"
    assert result.rule == "answered_max1"


def test_it_scores_odi_with_one_missing_section():
    result = score("odi", answers(2, 2, 2, 2, 2, 2, None, 2, 2, 0))  # 16 over 9 sections
    assert result.score == pytest.approx(16 / 45 * 100)
    assert result.display()["score"] == 35.6
    assert result.missing == ("7",)
    assert result.prorated


def test_it_refuses_odi_with_two_missing_sections_unless_the_clinic_allows_two():
    partial = answers(2, 2, 2, 2, 2, 2, None, None, 2, 2)  # 16 over 8 sections
    with pytest.raises(AnswerError, match="ODI: too many items missing \\(7, 8\\)"):
        score("odi", partial)
    result = score("odi", partial, rule="answered_max2")
    assert result.score == 40
    assert result.rule == "answered_max2"


def test_it_scores_the_highest_odi_statement_when_several_are_marked():
    result = score("odi", answers([1, 3], 2, 2, 2, 2, 2, 2, 2, 0, 0))
    assert result.score == 34  # 3 + 7 × 2
    assert "highest, 3, was scored" in result.notes[0]


@pytest.mark.parametrize(
    ("points", "band"),
    [
        (10, "minimal disability"),  # 20%
        (11, "moderate disability"),  # 22%
        (20, "moderate disability"),  # 40%
        (30, "severe disability"),  # 60%
        (40, "crippled"),  # 80%
        (50, "bed-bound or exaggerating symptoms"),  # 100%
    ],
)
def test_it_bands_odi_at_the_published_limits(points, band):
    values = [5] * (points // 5) + ([points % 5] if points % 5 else [])
    values += [0] * (10 - len(values))
    assert score("odi", answers(*values)).band == band


def test_it_scores_ndi_as_the_sum_out_of_fifty():
    result = score("ndi", answers(2, 1, 2, 1, 2, 1, 2, 1, 2, 1))
    assert result.score == 15
    assert result.band == "moderate"


def test_it_prorates_ndi_with_the_driving_item_skipped():
    result = score("ndi", answers(2, 2, 2, 2, 2, 2, 2, None, 2, 2))  # 18 over 9 items
    assert result.score == 20  # 18 + the mean of the others (2), = 18 × 10 ÷ 9
    assert result.prorated


@pytest.mark.parametrize(
    ("total", "band"),
    [(4, "none"), (5, "mild"), (14, "mild"), (24, "moderate"), (34, "severe"), (35, "complete")],
)
def test_it_bands_ndi_on_the_raw_score(total, band):
    values = [5] * (total // 5) + ([total % 5] if total % 5 else [])
    values += [0] * (10 - len(values))
    assert score("ndi", answers(*values)).band == band


def test_it_scores_zcq_as_the_mean_of_each_subscale():
    result = score("zcq", answers(3, 3, 2, 2, 4, 3, 3, 2, 2, 3, 2, 1))
    assert result.score is None
    assert result.subscores["symptom_severity"] == pytest.approx(20 / 7)
    assert result.subscores["physical_function"] == 2
    assert result.subscores["satisfaction"] is None  # asked only after treatment
    assert result.display()["subscores"]["symptom_severity"] == 2.86


def test_it_scores_zcq_satisfaction_after_treatment():
    result = score("zcq", answers(*[2] * 12, 1, 2, 2, 1, 2, 2))
    assert result.subscores["satisfaction"] == pytest.approx(10 / 6)


def test_it_scores_a_zcq_subscale_with_one_item_missing():
    result = score("zcq", answers(3, 3, 2, None, 4, 3, 3, 2, 2, 3, 2, 1))
    assert result.subscores["symptom_severity"] == 3
    with pytest.raises(AnswerError, match="ZCQ Symptom severity: too many items missing"):
        score("zcq", answers(3, 3, None, None, 4, 3, 3, 2, 2, 3, 2, 1))
    two_missing = score(
        "zcq", answers(3, 3, None, None, 4, 3, 3, 2, 2, 3, 2, 1), rule="subscale_max2"
    )
    assert two_missing.subscores["symptom_severity"] == 3.2


def test_it_scores_the_sciatica_bothersomeness_index_as_a_sum():
    assert score("sbi", answers(3, 2, 1, 0)).score == 6
    assert score("sbi", answers(6, 6, 6, 6)).score == 24


@pytest.mark.parametrize(
    ("values", "total", "distress", "band"),
    [
        ((1, 1, 1, 0, 0, 0, 0, 0, 1), 3, 0, "low"),
        ((1, 1, 1, 1, 1, 0, 0, 0, 3), 5, 1, "medium"),
        ((1, 0, 0, 0, 1, 1, 1, 0, 1), 4, 3, "medium"),
        ((0, 0, 0, 0, 1, 1, 1, 1, 1), 4, 4, "high"),
        ((1, 1, 1, 1, 1, 1, 1, 1, 5), 9, 5, "high"),
    ],
)
def test_it_sorts_start_back_into_risk_groups(values, total, distress, band):
    result = score("startback", answers(*values))
    assert (result.score, result.subscores["distress"], result.band) == (total, distress, band)


def test_it_scores_start_back_item_nine_only_for_very_much_or_extremely():
    base = (0, 0, 0, 0, 0, 0, 0, 0)
    assert [score("startback", answers(*base, v)).score for v in (1, 2, 3, 4, 5)] == [0, 0, 0, 1, 1]


def test_it_weights_the_three_fiqr_domains():
    result = score("fiqr", answers(*[3] * 9, 5, 5, *[5] * 10))
    assert result.subscores == {"function": 9, "overall_impact": 10, "symptoms": 25}
    assert result.score == 44
    assert score("fiqr", answers(*[10] * 21)).score == 100


def test_it_prorates_a_fiqr_domain_by_items_over_answered():
    result = score("fiqr", answers(*[3] * 8, None, 5, 5, *[5] * 10))
    assert result.subscores["function"] == 9  # 24 × 9/8 ÷ 3
    assert result.score == 44
    with pytest.raises(AnswerError, match="FIQR Overall impact: too many items missing"):
        score("fiqr", answers(*[3] * 9, None, None, *[5] * 10))


def test_it_records_pgic_and_groc_as_the_number_chosen():
    assert score("pgic", {"1": 2}).score == 2
    assert score("groc", {"1": -7}).score == -7
    assert score("groc", {"1": 3}).display()["score"] == 3


# --- Errors name the item and the allowed values ---------------------------------------------


def test_it_names_an_unknown_item():
    with pytest.raises(AnswerError, match="ODI has no item '11'; items are 1 to 10") as caught:
        score("odi", answers(*[1] * 11))
    assert caught.value.item == "11"


def test_it_names_an_out_of_range_answer_and_the_allowed_values():
    with pytest.raises(
        AnswerError, match="ODI item 3 .*: 6 is out of range; allowed values: whole numbers 0 to 5"
    ):
        score("odi", answers(1, 1, 6, 1, 1, 1, 1, 1, 1, 1))
    with pytest.raises(AnswerError, match="RMDQ-24 item 1 .*allowed values: 0, 1"):
        score("rmdq", {"1": 2})
    with pytest.raises(AnswerError, match="GROC item 1 .*whole numbers -7 to 7"):
        score("groc", {"1": 8})


@pytest.mark.parametrize("bad", ["3", True, 2.5, [1]])
def test_it_refuses_an_answer_of_the_wrong_kind(bad):
    with pytest.raises(AnswerError, match="SBI item 1") as caught:
        score("sbi", {"1": bad, "2": 1, "3": 1, "4": 1})
    assert caught.value.allowed == "whole numbers 0 to 6"


def test_it_accepts_whole_floats_and_treats_none_as_missing():
    assert score("sbi", {"1": 3.0, "2": 1, "3": 1, "4": 1}).score == 6
    assert score("odi", answers(2, 2, 2, 2, 2, 2, 2, 2, 2, None)).items_answered == 9


def test_it_names_an_unknown_rule_and_the_rules_there_are():
    with pytest.raises(
        AnswerError, match="no missing-item rule 'lenient'; rules: answered_max1, answered_max2"
    ):
        score("odi", answers(*[1] * 10), rule="lenient")


def test_it_refuses_context_the_instrument_does_not_take():
    with pytest.raises(AnswerError, match="ODI takes no 'recall'"):
        score("odi", answers(*[1] * 10), recall="now")


def test_it_rounds_half_up_for_display_only():
    assert round_for_display(16 / 45 * 100, 1) == 35.6
    assert round_for_display(2.125, 2) == 2.13
    assert round_for_display(2.5, 0) == 3
    assert round_for_display(None, 1) is None


# --- Properties over every instrument --------------------------------------------------------

INSTRUMENTS = sorted(load_instruments())
CONTEXT = {"nprs": {"recall": "now"}}


@st.composite
def complete_response(draw, instrument_id=None):
    instrument_id = instrument_id or draw(st.sampled_from(INSTRUMENTS))
    instrument = get_instrument(instrument_id)
    values = {i.id: draw(st.sampled_from(i.allowed_values())) for i in instrument.items}
    return instrument, values


@given(complete_response())
def test_scores_stay_in_range(response):
    instrument, values = response
    result = score(instrument, values, **CONTEXT.get(instrument.id, {}))
    low, high = instrument.range
    if result.score is not None:
        assert low <= result.score <= high
    for sub in instrument.subscales:
        value = result.subscores[sub.id]
        assert value is None or sub.range[0] <= value <= sub.range[1]


@given(complete_response(), st.data())
def test_scores_move_the_right_way_when_one_answer_worsens(response, data):
    instrument, values = response
    item = instrument.item(data.draw(st.sampled_from(list(values))))
    worse_is_higher = instrument.direction == Direction.HIGHER_IS_WORSE
    current = item.score_of(values[item.id])
    worse = [
        v
        for v in item.allowed_values()
        if (item.score_of(v) > current if worse_is_higher else item.score_of(v) < current)
    ]
    assume(worse)
    context = CONTEXT.get(instrument.id, {})
    before = score(instrument, values, **context)
    after = score(instrument, {**values, item.id: data.draw(st.sampled_from(worse))}, **context)
    pairs = [(before.score, after.score)] if instrument.has_total else []
    pairs += [
        (before.subscores[s.id], after.subscores[s.id])
        for s in instrument.subscales
        if item.id in s.items
    ]
    for old, new in pairs:
        assert new > old if worse_is_higher else new < old


@given(complete_response("odi"), st.sampled_from([str(n) for n in range(1, 11)]))
def test_odi_shrinks_its_denominator_for_a_missing_section(response, skipped):
    _, values = response
    del values[skipped]
    assert score("odi", values).score == pytest.approx(sum(values.values()) / (5 * 9) * 100)


@given(complete_response("ndi"), st.sampled_from([str(n) for n in range(1, 11)]))
def test_ndi_adds_the_mean_of_the_answered_items_for_a_missing_one(response, skipped):
    _, values = response
    del values[skipped]
    total = sum(values.values())
    assert score("ndi", values).score == pytest.approx(total + total / 9)


@given(
    complete_response("rmdq"), st.sets(st.sampled_from([str(n) for n in range(1, 25)]), max_size=4)
)
def test_rmdq_prorates_up_to_two_missing_and_refuses_more(response, skipped):
    _, values = response
    for item_id in skipped:
        del values[item_id]
    if len(skipped) > 2:
        with pytest.raises(AnswerError):
            score("rmdq", values)
    else:
        expected = sum(values.values()) * 24 / len(values)
        assert score("rmdq", values).score == pytest.approx(expected)


@given(complete_response("zcq"), st.sampled_from([str(n) for n in range(8, 13)]))
def test_zcq_averages_the_answered_items_of_a_subscale(response, skipped):
    _, values = response
    del values[skipped]
    answered = [values[str(n)] for n in range(8, 13) if str(n) in values]
    result = score("zcq", values)
    assert result.subscores["physical_function"] == pytest.approx(sum(answered) / 4)


@given(st.sampled_from(INSTRUMENTS))
def test_an_empty_response_is_refused(instrument_id):
    with pytest.raises(AnswerError):
        score(instrument_id, {}, **CONTEXT.get(instrument_id, {}))
