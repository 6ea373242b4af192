"""Clinical content rules that the built-in knowledge data must follow."""

import re

import pytest

from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.schema import ALL_CONDITIONS


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def _client_texts(knowledge):
    """Yield (where, text) for every text a client reads that is not marked myth-busting."""
    for handout in knowledge.handouts.values():
        yield f"handout {handout.id}: title", handout.title
        for where, paragraph in handout.paragraphs():
            if not paragraph.myth_busting:
                yield f"handout {handout.id}: {where}", paragraph.text
    for statement in knowledge.evidence.values():
        if not statement.myth_busting:
            yield f"evidence {statement.id}: summary_client", statement.summary_client
    for flag in knowledge.red_flags.values():
        yield f"red flag {flag.id}: question", flag.question


def test_every_evidence_statement_rule_and_red_flag_names_a_source(knowledge):
    for table in ("evidence", "rules", "red_flags", "plans", "handouts", "conditions"):
        for entry in getattr(knowledge, table).values():
            assert entry.sources, f"{table} {entry.id} has no source"
            assert set(entry.sources) <= set(knowledge.sources)


def test_every_id_an_entry_refers_to_exists(knowledge):
    tables = {table: set(getattr(knowledge, table)) for table in knowledge.counts()}
    tables["interventions"] |= tables["techniques"]
    tables["instruments"] = set(load_instruments())
    for table in tables.keys() - {"instruments"}:
        for entry in getattr(knowledge, table).values():
            for field, target, value in entry.references():
                assert value in tables[target], f"{table} {entry.id} {field}: {value}"


def test_client_text_never_asserts_a_claim_the_evidence_does_not_support(knowledge):
    unsupported = [claim for claim in knowledge.claims() if claim.grade != "supported"]
    assert {claim.id for claim in unsupported} >= {
        "claim_flushes_toxins",
        "claim_endorphins",
        "claim_cortisol",
        "claim_inflammation",
        "claim_circulation_muscle",
        "claim_serotonin_dopamine",
        "claim_prevents_episodes",
    }
    for where, text in _client_texts(knowledge):
        for claim in unsupported:
            for keyword in claim.keywords:
                assert keyword.lower() not in text.lower(), (
                    f"{where} uses '{keyword}' ({claim.id}, graded {claim.grade}) "
                    f"outside a myth_busting paragraph: {text!r}"
                )


def test_myth_busting_paragraphs_exist_and_name_a_claim(knowledge):
    keywords = [kw.lower() for claim in knowledge.claims() for kw in claim.keywords]
    myth_busting = [
        paragraph.text.lower()
        for handout in knowledge.handouts.values()
        for _, paragraph in handout.paragraphs()
        if paragraph.myth_busting
    ]
    assert myth_busting
    for text in myth_busting:
        assert any(keyword in text for keyword in keywords), text


@pytest.mark.parametrize(
    ("claim_id", "grade"),
    [
        ("claim_flushes_toxins", "not_supported"),
        ("claim_endorphins", "not_supported"),
        ("claim_cortisol", "not_supported"),
        ("claim_inflammation", "weak"),
        ("claim_circulation_skin", "weak"),
        ("claim_circulation_muscle", "not_supported"),
        ("claim_serotonin_dopamine", "not_supported"),
        ("claim_prevents_episodes", "not_supported"),
        ("claim_short_term_relief", "supported"),
    ],
)
def test_popular_claims_are_graded_as_the_fact_sheet_grades_them(knowledge, claim_id, grade):
    assert knowledge.evidence[claim_id].grade == grade


def test_no_condition_uses_the_retired_code_m54_5(knowledge):
    codes = [icd.code for c in knowledge.conditions.values() for icd in c.icd10cm]
    assert "M54.5" not in codes
    assert {"M54.50", "M54.59", "M48.061", "M48.062"} <= set(codes)


def test_vertebrogenic_low_back_pain_is_never_a_default_code(knowledge):
    for condition in knowledge.conditions.values():
        for icd in condition.icd10cm:
            if icd.code == "M54.51":
                assert icd.default is False


@pytest.mark.parametrize("condition_id", ["sciatica", "lss_with_nc", "lss_without_nc"])
def test_sciatica_and_stenosis_are_rescreened_with_every_visit_red_flags(knowledge, condition_id):
    assert knowledge.conditions[condition_id].rescreen_every_visit is True
    every_visit = {f.id for f in knowledge.red_flags_for(condition_id, every_visit=True)}
    assert {"ces_bladder", "ces_bowel", "ces_saddle_numbness", "ces_both_legs"} <= every_visit


def test_cauda_equina_questions_are_emergencies_for_everyone(knowledge):
    flags = [f for f in knowledge.red_flags.values() if f.group == "cauda_equina"]
    assert len(flags) >= 5
    for flag in flags:
        assert flag.tier == "emergency"
        assert flag.applies_to == ALL_CONDITIONS


def test_the_required_conditions_and_techniques_are_present(knowledge):
    assert set(knowledge.conditions) >= {
        "lss_with_nc",
        "lss_without_nc",
        "sciatica",
        "acute_subacute_lbp",
        "chronic_lbp",
        "chronic_neck_pain",
        "fibromyalgia",
        "knee_oa",
        "hip_oa",
        "other_chronic_pain",
    }
    assert set(knowledge.techniques) >= {
        "swedish",
        "deep_tissue",
        "myofascial_release",
        "trigger_point",
        "neuromuscular",
        "passive_stretching",
        "positional_release",
        "gentle_mobilisation",
        "lymphatic_drainage",
    }


def test_every_condition_has_one_plan_and_one_handout(knowledge):
    for condition_id in knowledge.conditions:
        assert knowledge.plan_for(condition_id) is not None
        assert knowledge.handout_for(condition_id) is not None


def test_every_contraindication_in_the_fact_sheet_has_a_rule(knowledge):
    triggers = {(r.trigger.kind, r.trigger.value) for r in knowledge.rules.values()}
    assert triggers >= {
        ("history", "known_dvt"),
        ("history", "suspected_dvt"),
        ("medication_class", "anticoagulant"),
        ("medication_class", "antiplatelet"),
        ("history", "bleeding_disorder"),
        ("history", "low_platelets"),
        ("history", "osteoporosis"),
        ("medication_class", "corticosteroid"),
        ("history", "recent_fracture"),
        ("history", "recent_surgery"),
        ("finding", "acute_inflammation"),
        ("finding", "fever"),
        ("finding", "skin_lesion"),
        ("history", "cancer_active"),
        ("history", "bone_metastases"),
        ("history", "recent_radiotherapy"),
        ("history", "lymph_node_removal"),
        ("history", "pregnancy"),
        ("history", "pregnancy_20_weeks"),
        ("history", "peripheral_neuropathy"),
        ("history", "hypertension_uncontrolled"),
        ("history", "hypertension_controlled"),
        ("finding", "varicose_veins"),
        ("history", "aneurysm"),
        ("condition", "lss_with_nc"),
        ("condition", "sciatica"),
        ("condition", "fibromyalgia"),
        ("region_treated", "neck_posterior"),
        ("history", "oil_sensitivity"),
    }


def test_sciatica_is_offered_as_comfort_care_never_as_a_cure(knowledge):
    plan = knowledge.plan_for("sciatica")
    assert "comfort" in plan.role.lower()
    handout = knowledge.handout_for("sciatica")
    texts = " ".join(p.text.lower() for _, p in handout.paragraphs())
    assert "not a cure" in texts
    assert "comfort" in texts


def test_plans_mark_proposed_defaults_as_conventions(knowledge):
    for plan in knowledge.plans.values():
        if plan.status == "proposed_convention":
            assert plan.convention is True


def test_handouts_say_how_often_soreness_follows_and_how_long_it_lasts(knowledge):
    for handout in knowledge.handouts.values():
        expect = " ".join(p.text for p in handout.what_to_expect)
        assert re.search(r"sore|flare|rise in pain", expect), handout.id


def _syllables(word):
    groups = re.findall(r"[aeiouy]+", word.lower())
    count = len(groups) - (1 if word.lower().endswith("e") and len(groups) > 1 else 0)
    return max(1, count)


def _grade_level(text):
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    words = re.findall(r"[A-Za-z']+", text)
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def test_handouts_read_at_about_age_twelve(knowledge):
    # Flesch-Kincaid US grade 7 is about age 12-13; allow some slack for medical words.
    for handout in knowledge.handouts.values():
        text = " ".join(p.text for _, p in handout.paragraphs())
        assert _grade_level(text) <= 8.0, (handout.id, round(_grade_level(text), 1))


def test_red_flag_questions_are_short_yes_no_questions(knowledge):
    for flag in knowledge.red_flags.values():
        assert flag.question.endswith("?"), flag.id
        assert len(flag.question.split()) <= 35, flag.id
