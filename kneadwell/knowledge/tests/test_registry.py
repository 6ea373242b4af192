"""The instrument files validate, licence-gated wording never ships, and a clinic's licensed
text is checked against the structure."""

import json
import re

import pytest
import yaml

from kneadwell.knowledge.instruments.registry import (
    INSTRUMENTS_DIR,
    LicensedTextError,
    UnknownInstrument,
    get_instrument,
    licensed_text_template,
    load_instruments,
    validate_licensed_text,
)
from kneadwell.knowledge.instruments.schema import Confidence, Instrument, LicenceStatus

IDS = [
    "nprs", "peg", "psfs", "rmdq", "odi", "ndi", "zcq", "sbi", "startback", "fiqr", "pgic", "groc",
]  # fmt: skip
GATED = {LicenceStatus.LICENCE_REQUIRED, LicenceStatus.UNCONFIRMED}


def test_it_ships_exactly_the_twelve_instruments():
    assert sorted(load_instruments()) == sorted(IDS)


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_instrument_file_validates(instrument_id):
    instrument = get_instrument(instrument_id)
    assert isinstance(instrument, Instrument)
    assert instrument.id == instrument_id
    assert instrument.missing.get(instrument.missing.default) is not None


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_published_fact_keeps_a_source(instrument_id):
    instrument = get_instrument(instrument_id)
    facts = [instrument.licence, instrument.scoring, *instrument.mic, *instrument.cutoffs]
    facts += [r for r in instrument.missing.rules if r.confidence != Confidence.DESIGN]
    if instrument.bands:
        facts.append(instrument.bands)
    assert all(f.sources for f in facts)


def test_it_marks_loinc_codes_that_came_from_a_secondary_source():
    assert get_instrument("nprs").loinc.score.confidence == Confidence.VERIFIED
    for instrument_id in ("peg", "ndi"):
        assert get_instrument(instrument_id).loinc.score.confidence == (
            Confidence.VERIFIED_SECONDARY
        )
    assert get_instrument("odi").loinc.score.confidence == Confidence.UNCONFIRMED


@pytest.mark.parametrize("instrument_id", IDS)
def test_licence_gated_text_never_ships(instrument_id):
    instrument = get_instrument(instrument_id)
    raw = (INSTRUMENTS_DIR / f"{instrument_id}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    if instrument.licence.status not in GATED:
        assert instrument.licence.ships_text
        return
    assert not instrument.licence.ships_text
    for item in data["items"]:
        assert set(item) <= {"id", "title", "kind", "options", "min", "max", "loinc"}, item
        for option in item.get("options", []):
            assert set(option) == {"value", "score"}, option
    assert not re.search(r"^\s*(text|label|anchors):", raw, re.MULTILINE)


def test_only_public_domain_instruments_ship_wording():
    shipped = {i.id for i in load_instruments().values() if i.licence.ships_text}
    assert shipped == {"nprs", "pgic", "groc"}
    assert get_instrument("odi").licence.status == LicenceStatus.LICENCE_REQUIRED
    assert get_instrument("startback").licence.status == LicenceStatus.LICENCE_REQUIRED


def test_a_gated_instrument_with_wording_is_refused():
    data = yaml.safe_load((INSTRUMENTS_DIR / "odi.yaml").read_text(encoding="utf-8"))
    data["items"][0]["text"] = "Some licensed wording"
    with pytest.raises(ValueError, match="does not allow item text"):
        Instrument.model_validate(data)


def test_an_unknown_instrument_is_named():
    with pytest.raises(UnknownInstrument, match="Unknown instrument 'bpi'"):
        get_instrument("bpi")


def licensed_odi(**changes):
    data = {
        "instrument": "odi",
        "version": "2.1a",
        "licence": "Mapi Research Trust user agreement 123",
        "items": [
            {"id": str(n), "text": f"Section {n} wording", "options": [f"s{k}" for k in range(6)]}
            for n in range(1, 11)
        ],
    }
    data.update(changes)
    return data


def test_it_accepts_licensed_text_that_fits_the_structure():
    text = validate_licensed_text("odi", licensed_odi())
    assert text.instrument == "odi"
    assert len(text.items) == 10


def test_it_accepts_licensed_text_as_yaml_or_json():
    assert validate_licensed_text("odi", json.dumps(licensed_odi())).version == "2.1a"
    assert validate_licensed_text("odi", yaml.safe_dump(licensed_odi())).version == "2.1a"


def test_it_names_the_item_with_the_wrong_number_of_option_labels():
    data = licensed_odi()
    data["items"][2]["options"] = ["only", "five", "labels", "are", "here"]
    with pytest.raises(LicensedTextError, match="item 3: has 5 option labels, expected 6"):
        validate_licensed_text("odi", data)


def test_it_names_missing_items_and_a_wrong_version():
    data = licensed_odi(version="2.0")
    del data["items"][9]
    with pytest.raises(LicensedTextError) as caught:
        validate_licensed_text("odi", data)
    assert "version is '2.0', expected '2.1a'" in str(caught.value)
    assert "items missing: 10" in str(caught.value)


def test_it_refuses_licensed_text_for_another_instrument():
    with pytest.raises(LicensedTextError, match="instrument is 'odi', expected 'ndi'"):
        validate_licensed_text("ndi", licensed_odi(version="1991"))


def test_it_refuses_empty_text_and_unknown_items():
    data = licensed_odi()
    data["items"][0]["text"] = "  "
    data["items"].append({"id": "11", "text": "extra"})
    with pytest.raises(LicensedTextError) as caught:
        validate_licensed_text("odi", data)
    assert "item 1: text is empty" in str(caught.value)
    assert "item 11: not an item of ODI" in str(caught.value)


def test_it_refuses_option_labels_on_tick_box_items():
    data = {
        "instrument": "rmdq",
        "version": "24-item",
        "licence": "Appendix of Roland & Fairbank 2000",
        "items": [{"id": str(n), "text": f"Statement {n}"} for n in range(1, 25)],
    }
    assert validate_licensed_text("rmdq", data)
    data["items"][0]["options"] = ["yes", "no"]
    with pytest.raises(LicensedTextError, match="item 1: is a check item"):
        validate_licensed_text("rmdq", data)


def test_it_refuses_a_file_without_the_licence_field():
    data = licensed_odi()
    del data["licence"]
    with pytest.raises(LicensedTextError, match="licence"):
        validate_licensed_text("odi", data)


@pytest.mark.parametrize("instrument_id", ["odi", "startback", "zcq"])
def test_the_template_lists_every_item_and_option_slot(instrument_id):
    template = json.loads(licensed_text_template(instrument_id))
    instrument = get_instrument(instrument_id)
    assert [i["id"] for i in template["items"]] == [i.id for i in instrument.items]
