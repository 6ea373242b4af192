"""Every field is rendered by one template; "(optional)" appears only on fields that are."""

from django import forms

from kneadwell.clients.forms import ClientForm
from kneadwell.core.forms import optional_note
from kneadwell.visits.forms import TreatmentFormSet


class Sample(forms.Form):
    name = forms.CharField()
    nickname = forms.CharField(required=False)
    consent_date = optional_note(forms.DateField(required=False), "when consent is given")
    row_minutes = optional_note(forms.IntegerField(required=False), "")


def _label(form, name) -> str:
    html = form[name].as_field_group()
    return html[html.index("<label") : html.index("</label>")]


def test_only_a_field_that_need_not_be_filled_says_optional():
    form = Sample()
    assert "(optional)" not in _label(form, "name")
    assert "(optional)" in _label(form, "nickname")


def test_a_field_needed_in_some_cases_says_when_instead():
    form = Sample()
    assert "(when consent is given)" in _label(form, "consent_date")
    assert "(optional)" not in _label(form, "consent_date")
    assert "(" not in _label(form, "row_minutes").split(">", 1)[1]


def test_the_client_form_and_the_note_follow_the_rule(therapist):
    client_form = ClientForm(membership=therapist.membership)
    assert "(when consent is given)" in _label(client_form, "consent_treatment_date")
    assert "(optional)" not in _label(client_form, "family_name")
    row = TreatmentFormSet(prefix="t").forms[0]
    assert all("(optional)" not in _label(row, name) for name in row.fields)
