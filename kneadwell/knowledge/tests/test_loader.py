"""Loading the knowledge files, and naming the place when one is wrong."""

import shutil

import pytest

from kneadwell.knowledge.loader import (
    DEFAULT_DATA_DIR,
    Knowledge,
    KnowledgeError,
    check,
    load_knowledge,
)


@pytest.fixture
def data_dir(tmp_path):
    """A writable copy of the built-in data."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(data_dir):
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(data_dir)
    assert error.value.problems == check(data_dir)
    return error.value.problems


def test_it_loads_the_built_in_knowledge_without_problems():
    assert check() == []
    assert isinstance(load_knowledge(), Knowledge)


def test_it_reads_the_default_directory_only_once():
    assert load_knowledge() is load_knowledge()


def test_the_loaded_tables_are_read_only():
    knowledge = load_knowledge()
    with pytest.raises(TypeError):
        knowledge.conditions["new"] = knowledge.conditions["sciatica"]


def test_it_names_file_entry_and_field_for_an_unknown_instrument(data_dir):
    _edit(data_dir / "conditions.yaml", "baseline: [nprs, sbi, psfs, startback]", "baseline: [xyz]")
    assert _problems(data_dir) == [
        "conditions.yaml: entry 'sciatica', field 'measures.baseline[0]': unknown instrument 'xyz'"
    ]


def test_it_names_the_field_of_a_value_of_the_wrong_type(data_dir):
    _edit(data_dir / "techniques.yaml", "pressure_max: 5\n", "pressure_max: nine\n")
    problems = _problems(data_dir)
    assert len(problems) == 1, problems
    assert problems[0].startswith("techniques.yaml: entry 'deep_tissue', field 'pressure_max': ")


def test_it_names_an_unknown_field(data_dir):
    _edit(data_dir / "red_flags.yaml", "  tier: emergency\n", "  teir: emergency\n")
    problems = _problems(data_dir)
    assert (
        "red_flags.yaml: entry 'ces_bladder', field 'teir': unknown field (check the spelling)"
        in (problems)
    )
    assert "red_flags.yaml: entry 'ces_bladder', field 'tier': Field required" in problems


def test_it_names_an_entry_without_an_id_by_its_index(data_dir):
    _edit(data_dir / "sources.yaml", "- id: furlan_2015\n", "- ident: furlan_2015\n")
    problems = _problems(data_dir)
    assert "sources.yaml: entry at index 0, field 'id': Field required" in problems


def test_it_reports_a_missing_source_where_it_is_cited(data_dir):
    _edit(data_dir / "rules.yaml", "sources: [yin_2014]", "sources: [yin_2041]")
    problems = _problems(data_dir)
    assert "rules.yaml: entry 'neck_any', field 'sources[0]': unknown source 'yin_2041'" in problems


def test_it_reports_an_unknown_medication_class_in_a_trigger(data_dir):
    _edit(data_dir / "rules.yaml", "value: antihypertensive}", "value: beta_blocker}")
    assert _problems(data_dir) == [
        "rules.yaml: entry 'antihypertensive', field 'trigger.value': "
        "unknown medication class 'beta_blocker'"
    ]


def test_it_reports_an_unknown_region_in_an_effect(data_dir):
    _edit(data_dir / "rules.yaml", "region: abdomen", "region: belly")
    assert _problems(data_dir) == [
        "rules.yaml: entry 'aneurysm', field 'effects[1].region': unknown body region 'belly'"
    ]


def test_it_reports_invalid_yaml_with_its_line(data_dir):
    (data_dir / "plans.yaml").write_text("- id: broken\n  role: [unclosed\n", encoding="utf-8")
    problems = _problems(data_dir)
    assert problems[0].startswith("plans.yaml: not valid YAML at line")


def test_it_reports_a_missing_file(data_dir):
    (data_dir / "handouts.yaml").unlink()
    assert any(p.startswith("handouts.yaml: file is missing") for p in _problems(data_dir))


def test_it_reports_a_file_that_is_not_a_list(data_dir):
    (data_dir / "techniques.yaml").write_text("swedish: {}\n", encoding="utf-8")
    assert any(
        p.startswith("techniques.yaml: the file should be a list") for p in _problems(data_dir)
    )


def test_it_reports_a_duplicate_id(data_dir):
    _edit(data_dir / "techniques.yaml", "- id: tapotement", "- id: swedish")
    assert "techniques.yaml: entry 'swedish', field 'id': the id is used twice" in _problems(
        data_dir
    )


def test_it_rejects_m54_5_on_a_condition(data_dir):
    _edit(data_dir / "conditions.yaml", "{code: M54.59,", "{code: M54.5,")
    problem = _problems(data_dir)[0]
    assert problem.startswith(
        "conditions.yaml: entry 'acute_subacute_lbp', field 'icd10cm[1].code': 'M54.5' must not"
    )


def test_it_requires_an_every_visit_red_flag_for_a_rescreened_condition(data_dir):
    path = data_dir / "red_flags.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("every_visit: true", "every_visit: false"),
        encoding="utf-8",
    )
    problems = _problems(data_dir)
    assert (
        "conditions.yaml: entry 'sciatica', field 'rescreen_every_visit': "
        "no red flag is marked every_visit for this condition"
    ) in problems


def test_it_reports_a_condition_without_a_plan(data_dir):
    _edit(data_dir / "plans.yaml", "condition: hip_oa\n", "condition: knee_oa\n")
    assert "plans.yaml: no entry for condition 'hip_oa' (every condition needs one)" in (
        _problems(data_dir)
    )


def test_it_collects_every_problem_instead_of_stopping_at_the_first(data_dir):
    _edit(data_dir / "conditions.yaml", "periodic: [sbi]", "periodic: [abc]")
    _edit(data_dir / "techniques.yaml", "pressure_min: 4\n", "pressure_min: 0\n")
    assert len(_problems(data_dir)) == 2


def test_red_flags_for_a_condition_include_the_general_ones_and_its_own():
    knowledge = load_knowledge()
    ids = {flag.id for flag in knowledge.red_flags_for("sciatica")}
    assert {"ces_bladder", "sciatica_not_settling"} <= ids
    assert "cervical_myelopathy" not in ids


def test_region_and_descendants_expands_a_group():
    knowledge = load_knowledge()
    legs = knowledge.region_and_descendants("legs")
    assert {"legs", "leg_left", "calf_left", "foot_right"} <= legs
    assert "low_back" not in legs


def test_rules_can_be_looked_up_by_their_trigger():
    knowledge = load_knowledge()
    (rule,) = knowledge.rules_triggered_by("medication_class", "anticoagulant")
    assert {effect.kind for effect in rule.effects} >= {"cap_pressure", "avoid_technique"}


def test_pressure_levels_are_one_to_five():
    knowledge = load_knowledge()
    assert [knowledge.pressure_level(n).level for n in range(1, 6)] == [1, 2, 3, 4, 5]


def test_it_rejects_client_text_that_asserts_an_unsupported_claim(data_dir):
    _edit(
        data_dir / "handouts.yaml",
        "- Massage may ease back pain and stiffness for a few weeks or months.",
        "- Massage releases endorphins and eases back pain.",
    )
    (problem,) = _problems(data_dir)
    assert problem.startswith(
        "handouts.yaml: entry 'chronic_lbp_handout', field 'can_do[0].text': "
        "client text uses 'endorphin' (claim 'claim_endorphins', graded not_supported)"
    )


def test_it_allows_a_myth_busting_paragraph_to_name_the_claim(data_dir):
    _edit(
        data_dir / "handouts.yaml",
        "- Massage may ease back pain and stiffness for a few weeks or months.",
        "- {text: Massage does not release endorphins., myth_busting: true}",
    )
    assert check(data_dir) == []
