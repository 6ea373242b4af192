"""Django's default form messages in words a therapist acts on, and limits that never cut text."""

import gettext
import re
from pathlib import Path

from django import forms

from kneadwell.core import validators

CATALOGUE = Path(validators.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid (and msgid_plural, as msgid\\x00plural) → msgstr (or msgstr[1]) from our .po."""
    entries, current, key = {}, {}, None
    for line in path.read_text().splitlines() + [""]:
        if not line.strip():
            if current.get("msgid"):
                msgid = current["msgid"]
                if "msgid_plural" in current:
                    entries[(msgid, 0)] = current["msgstr[0]"]
                    entries[(msgid, 1)] = current["msgstr[1]"]
                else:
                    entries[msgid] = current["msgstr"]
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode()
        else:
            key, _, rest = line.partition(" ")
            current[key] = rest[1:-1]
    return entries


def test_the_compiled_catalogue_matches_its_source():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    source = _po_entries(CATALOGUE / "django.po")
    assert source, "no messages found in django.po"
    for msgid, text in source.items():
        assert catalogue.get(msgid) == text, f"recompile django.mo: {msgid!r} differs"


class Sample(forms.Form):
    name = forms.CharField(max_length=10)
    minutes = forms.IntegerField(min_value=1, max_value=180)
    region = forms.ChoiceField(choices=[("low_back", "Low back")])
    when = forms.DateField()


def _errors(data) -> dict[str, str]:
    form = Sample(data)
    assert not form.is_valid()
    return {field: " ".join(messages) for field, messages in form.errors.items()}


def test_djangos_defaults_are_replaced_by_plain_words():
    errors = _errors({"name": "", "minutes": "200", "region": "buttock_left", "when": "31/31"})
    assert errors == {
        "name": "Fill this in.",
        "minutes": "Enter 180 or less.",
        "region": "Choose one of the options offered.",
        "when": "Enter the date, for example 2026-01-31.",
    }


def test_text_over_the_limit_is_refused_naming_the_limit():
    errors = _errors({"name": "Wolfeschlegelstein", "minutes": "0"})
    assert errors["name"] == (
        "This can be at most 10 characters long; it has 18. Nothing was cut: shorten it and "
        "save again."
    )
    assert errors["minutes"] == "Enter 1 or more."


def test_the_browser_is_never_told_to_cut_text():
    html = str(Sample()["name"])
    assert 'data-maxlength="10"' in html
    assert not re.search(r"\smaxlength=", html)
