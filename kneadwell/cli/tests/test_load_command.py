"""`kneadwell instruments load FILE --clinic NAME`: licensed wording validated and stored per
clinic, shown on that clinic's forms; an invalid file exits 2 naming the problems."""

import json

import pytest
from django.urls import reverse

from kneadwell.cli.tests.test_instruments import run
from kneadwell.conftest import logged_in
from kneadwell.measures.models import LicensedText
from kneadwell.measures.tests.helpers import ODI_LICENSED


@pytest.fixture
def licensed_file(tmp_path):
    path = tmp_path / "odi.json"
    path.write_text(json.dumps(ODI_LICENSED))
    return path


def test_it_loads_the_wording_and_the_form_shows_it(
    therapist, client_record, licensed_file, capsys
):
    form_url = reverse("measures:new", args=[client_record.pk, "odi"])
    assert "not installed" in logged_in(therapist).get(form_url).content.decode()

    assert run("instruments", "load", str(licensed_file), "--clinic", "Willow Clinic") == 0
    assert (
        "Loaded the licensed wording of ODI 2.1a for Willow Clinic (10 items)"
        in capsys.readouterr().out
    )
    page = logged_in(therapist).get(form_url).content.decode()
    assert "Licensed question 3" in page
    assert "not installed" not in page


def test_loading_again_replaces_the_wording(clinic, licensed_file, tmp_path):
    run("instruments", "load", str(licensed_file), "--clinic", "Willow Clinic")
    changed = ODI_LICENSED | {"licence": "Renewed licence"}
    (tmp_path / "renewed.yaml").write_text(json.dumps(changed))
    assert (
        run("instruments", "load", str(tmp_path / "renewed.yaml"), "--clinic", "Willow Clinic") == 0
    )
    assert LicensedText.objects.get().content["licence"] == "Renewed licence"


def test_an_invalid_file_exits_2_naming_the_problems(clinic, tmp_path, capsys):
    broken = ODI_LICENSED | {"items": ODI_LICENSED["items"][:9]}
    broken["items"][0] = {"id": "1", "text": "Only text", "options": ["a", "b"]}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    assert run("instruments", "load", str(path), "--clinic", "Willow Clinic") == 2
    err = capsys.readouterr().err
    assert "item 1: has 2 option labels, expected 6" in err
    assert "items missing: 10" in err
    assert not LicensedText.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("instrument: [unclosed", "not valid YAML or JSON"),
        ("licence: x\n", "name the instrument at the top"),
        ("instrument: bpi\n", "Unknown instrument 'bpi'"),
    ],
)
def test_a_malformed_file_exits_2(clinic, tmp_path, capsys, content, message):
    path = tmp_path / "text.yaml"
    path.write_text(content)
    assert run("instruments", "load", str(path), "--clinic", "Willow Clinic") == 2
    assert message in capsys.readouterr().err


def test_an_unknown_clinic_or_missing_file_exits_2(clinic, licensed_file, tmp_path, capsys):
    assert run("instruments", "load", str(licensed_file), "--clinic", "Nowhere") == 2
    assert "no clinic is named 'Nowhere'" in capsys.readouterr().err
    assert (
        run("instruments", "load", str(tmp_path / "absent.yaml"), "--clinic", "Willow Clinic") == 2
    )
    assert "cannot read" in capsys.readouterr().err
