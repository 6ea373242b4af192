"""The form for recording one questionnaire, built from the instrument's data file, and the
owner's choice of missing-item rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from kneadwell.core.validators import past_moment
from kneadwell.knowledge.instruments import schema
from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.instruments.scoring import AnswerError
from kneadwell.measures.models import Response, Source

NO_ANSWER = ""


@dataclass(frozen=True)
class ItemRow:
    """One item as the template shows it: its field, wording and scale-end labels."""

    item: schema.Item
    field: forms.BoundField
    text: str | None  # the published or licensed wording; None shows only the title
    anchors: list[tuple[int, str]]
    label_field: forms.BoundField | None  # PSFS: the activity this rating is for


class ResponseForm(forms.Form):
    """One response to `instrument`. Scores are computed by Response.build, never entered;
    an AnswerError is shown next to the item it names and everything typed is kept."""

    taken_at = forms.DateTimeField(
        label="Taken on",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    source = forms.ChoiceField(
        label="Who filled it in",
        choices=Source.choices,
        widget=forms.RadioSelect,
        initial=Source.STAFF,
    )

    def __init__(
        self,
        *args: Any,
        client,
        instrument: schema.Instrument,
        user,
        licensed: schema.LicensedText | None = None,
        carried: dict[str, dict[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.instrument = instrument
        self.user = user
        self.licensed = licensed
        self.response: Response | None = None
        self.fields["taken_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        wording = {i.id: i for i in licensed.items} if licensed else {}
        carried = carried or {}

        for ctx in instrument.context:
            if ctx.kind == "choice":
                self.fields[ctx.id] = forms.ChoiceField(
                    label=ctx.description.split(". ")[0].rstrip("."),
                    choices=[(c.code, c.label) for c in ctx.choices],
                    widget=forms.RadioSelect,
                    required=False,  # the scoring says what is missing, in its own words
                )
            else:
                for item in instrument.items:
                    self.fields[f"{ctx.id}_{item.id}"] = forms.CharField(
                        label=f"{item.title.split(' (')[0]}: what the client named",
                        max_length=200,
                        required=False,
                        initial=carried.get(ctx.id, {}).get(item.id, ""),
                    )
        for item in instrument.items:
            self.fields[f"item_{item.id}"] = _item_field(item, wording.get(item.id))

    def item_rows(self) -> list[ItemRow]:
        wording = {i.id: i for i in self.licensed.items} if self.licensed else {}
        text_fields = [c.id for c in self.instrument.context if c.kind == "item_text"]
        rows = []
        for item in self.instrument.items:
            licensed = wording.get(item.id)
            anchors = (licensed.anchors if licensed and licensed.anchors else None) or item.anchors
            label_name = f"{text_fields[0]}_{item.id}" if text_fields else None
            rows.append(
                ItemRow(
                    item=item,
                    field=self[f"item_{item.id}"],
                    text=licensed.text if licensed else item.text,
                    anchors=sorted(anchors.items()),
                    label_field=self[label_name] if label_name else None,
                )
            )
        return rows

    def context_fields(self) -> list[forms.BoundField]:
        return [self[c.id] for c in self.instrument.context if c.kind == "choice"]

    @property
    def wording_missing(self) -> bool:
        """True when the licence keeps the wording out and this clinic has not loaded its own."""
        return not self.instrument.licence.ships_text and self.licensed is None

    def clean_taken_at(self):
        return past_moment(
            self.cleaned_data["taken_at"], "the date taken", born=self.client.birth_date
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        answers: dict[str, Any] = {}
        for item in self.instrument.items:
            value = cleaned.get(f"item_{item.id}")
            if item.kind == "check":
                answers[item.id] = 1 if value else 0
            elif value is not None:
                answers[item.id] = value
        context: dict[str, Any] = {}
        for ctx in self.instrument.context:
            if ctx.kind == "choice":
                context[ctx.id] = cleaned.get(ctx.id) or None
                continue
            texts = {}
            for item in self.instrument.items:
                name = f"{ctx.id}_{item.id}"
                if cleaned.get(name):
                    texts[item.id] = cleaned[name]
                elif item.id in answers:
                    self.add_error(name, "Name the activity this rating is for.")
            context[ctx.id] = texts or None
        if self.errors:
            return cleaned
        try:
            self.response = Response.build(
                self.client,
                self.instrument.id,
                answers,
                taken_at=cleaned["taken_at"],
                entered_by=self.user,
                source=cleaned["source"],
                **context,
            )
        except AnswerError as exc:
            self.add_error(self._field_for(exc.item), str(exc))
        return cleaned

    def _field_for(self, item: str | None) -> str | None:
        for name in (item, f"item_{item}"):
            if name and name in self.fields:
                return name
        return None


def _item_field(item: schema.Item, licensed: schema.LicensedItem | None) -> forms.Field:
    title = item.title
    if item.kind == "check":
        return forms.BooleanField(
            label=(licensed.text if licensed else item.text) or title, required=False
        )
    if item.kind == "scale":
        choices = [(v, str(v)) for v in item.allowed_values()]
    else:
        labels = licensed.options if licensed else [o.label for o in item.options]
        choices = [
            (o.value, label or _score_label(o))
            for o, label in zip(item.options, labels, strict=True)
        ]
    return forms.TypedChoiceField(
        label=title,
        choices=[*choices, (NO_ANSWER, "No answer")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def _score_label(option: schema.Option) -> str:
    """Without licensed wording an option is shown by its score (and its number where the
    two differ, e.g. STarT Back item 9)."""
    if option.value == option.score:
        return str(option.score)
    return f"Option {option.value} (scores {option.score})"


class MissingRulesForm(forms.Form):
    """The owner picks, per instrument where practice differs, how missing items are handled."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for instrument in load_instruments().values():
            rules = instrument.missing.rules
            if len(rules) < 2:
                continue
            self.fields[instrument.id] = forms.ChoiceField(
                label=f"{instrument.short_name}: {instrument.name}",
                choices=[
                    (
                        r.id,
                        f"{r.description.strip()}"
                        + (" (default)" if r.id == instrument.missing.default else ""),
                    )
                    for r in rules
                ],
                initial=current.get(instrument.id, instrument.missing.default),
                widget=forms.RadioSelect,
            )
