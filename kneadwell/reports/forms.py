"""The therapist's reassessment decision and the discharge summary's judgements."""

from __future__ import annotations

from typing import Any

from django import forms

_OFFERED = "Choose one of the options offered for this plan."


class ReassessmentForm(forms.Form):
    """The therapist's decision at a reassessment point, from the options the plan offers."""

    decision = forms.ChoiceField(
        label="What happens next?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens next.", "invalid_choice": _OFFERED},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why, in a sentence or two: it goes into the record (and the letter).",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = choices


GOAL_OUTCOMES = [("met", "Met"), ("partly", "Partly met"), ("not_met", "Not met")]


class DischargeForm(forms.Form):
    """The discharge summary's judgements: each plan goal met or not, and recommendations."""

    recommendations = forms.CharField(
        label="Recommendations",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For the client and physician: home exercise, self-care, when to come back.",
        error_messages={"required": "Write your recommendations for the client and physician."},
    )

    def __init__(self, *args: Any, goals: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for index, text in enumerate(goals):
            self.fields[f"goal_{index}"] = forms.ChoiceField(
                label=f"Goal: {text}",
                choices=GOAL_OUTCOMES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Say whether this goal was met, partly met or not met."
                },
            )

    def goal_fields(self) -> list[forms.BoundField]:
        return [self[f"goal_{index}"] for index in range(len(self.goals))]

    def goal_outcomes(self) -> list[tuple[str, str]]:
        """(goal text, outcome code), in the plan's order."""
        return [(text, self.cleaned_data[f"goal_{i}"]) for i, text in enumerate(self.goals)]
