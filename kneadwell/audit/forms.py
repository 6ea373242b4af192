"""Filters for browsing the access log."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from kneadwell.audit.models import Action, Channel


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the clinic's time zone: date filters are ranges over
    the `at` index (a `__date` lookup would have to convert every row)."""
    return timezone.make_aware(datetime.combine(day, time.min))


class LogFilterForm(forms.Form):
    user = forms.ChoiceField(label="Person", required=False)
    client = forms.IntegerField(label="Client number", required=False, min_value=1)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )
    channel = forms.ChoiceField(
        label="Via", required=False, choices=[("", "Any way"), *Channel.choices]
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Anyone")] + [(str(p.pk), p.email) for p in people]

    def filter(self, entries):
        data = self.cleaned_data
        if data.get("user"):
            entries = entries.filter(user_id=int(data["user"]))
        if data.get("client"):
            entries = entries.filter(client_id=data["client"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("channel"):
            entries = entries.filter(channel=data["channel"])
        if data.get("since"):
            entries = entries.filter(at__gte=start_of(data["since"]))
        if data.get("until"):
            entries = entries.filter(at__lt=start_of(data["until"] + timedelta(days=1)))
        return entries
