"""Recorded outcome measures, a clinic's licensed wording, and each clinic's missing-item rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kneadwell.accounts.models import Clinic
from kneadwell.clients.models import Client
from kneadwell.knowledge.instruments import schema
from kneadwell.knowledge.instruments.registry import (
    LicensedTextError,
    get_instrument,
    load_instruments,
    validate_licensed_text,
)
from kneadwell.knowledge.instruments.scoring import ScoreResult, round_for_display, score
from kneadwell.measures import progress


class Source(models.TextChoices):
    STAFF = "staff", "Entered by staff"
    CLIENT = "client", "Entered by the client"


class InstrumentSetting(models.Model):
    """How one clinic scores one instrument where practice differs: the missing-item rule.

    Without a row the instrument's published (or Kneadwell's default) rule applies. The rule
    used is stored with every response, so changing it never rewrites past scores.
    """

    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="instrument_settings")
    instrument = models.CharField(max_length=30)
    missing_rule = models.CharField("missing-item rule", max_length=40)

    class Meta:
        ordering = ["clinic", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument"],
                name="measures_setting_once_per_instrument",
                violation_error_message="This clinic already has a setting for the instrument.",
            )
        ]

    def __str__(self):
        return f"{self.instrument}: {self.missing_rule} ({self.clinic})"

    def clean(self):
        rules = [r.id for r in get_instrument(self.instrument).missing.rules]
        if self.missing_rule not in rules:
            raise ValidationError(
                {"missing_rule": "Choose one of the missing-item rules this instrument offers."}
            )

    @classmethod
    def rule_for(cls, clinic_id: int, instrument_id: str) -> str:
        """The missing-item rule this clinic uses for the instrument."""
        chosen = (
            cls.objects.filter(clinic_id=clinic_id, instrument=instrument_id)
            .values_list("missing_rule", flat=True)
            .first()
        )
        return chosen or get_instrument(instrument_id).missing.default

    @classmethod
    def rules_by_instrument(cls, clinic_id: int) -> dict[str, str]:
        """Every instrument id → the rule this clinic uses, in one query."""
        chosen = dict(
            cls.objects.filter(clinic_id=clinic_id).values_list("instrument", "missing_rule")
        )
        return {i.id: chosen.get(i.id, i.missing.default) for i in load_instruments().values()}


class LicensedText(models.Model):
    """The wording of a licensed questionnaire (ODI, STarT Back, …) as one clinic licensed it.

    Kneadwell never ships this text; a clinic that holds a licence loads it with
    `kneadwell instruments load FILE`. The content was checked against the instrument's
    structure when loaded, and only this clinic's forms show it.
    """

    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="licensed_texts")
    instrument = models.CharField(max_length=30)
    version = models.CharField(max_length=30)
    content = models.JSONField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["clinic", "instrument", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument", "version"],
                name="measures_licensed_text_once_per_version",
                violation_error_message="This clinic already has wording for this version.",
            )
        ]

    def __str__(self):
        return f"{self.instrument} {self.version} wording ({self.clinic})"

    @classmethod
    def install(cls, clinic: Clinic, data: Mapping[str, Any] | str | bytes) -> LicensedText:
        """Check `data` (a mapping, or YAML/JSON text) against the instrument it names and
        store it for `clinic`, replacing earlier wording of the same version. Raises
        LicensedTextError listing every problem, or UnknownInstrument."""
        if isinstance(data, str | bytes):
            try:
                data = yaml.safe_load(data)
            except yaml.YAMLError as exc:
                raise LicensedTextError("this file", [f"not valid YAML or JSON: {exc}"]) from exc
        if not isinstance(data, Mapping) or not data.get("instrument"):
            raise LicensedTextError(
                "this file", ["name the instrument at the top, e.g. 'instrument: odi'"]
            )
        text = validate_licensed_text(get_instrument(str(data["instrument"])), data)
        record, _ = cls.objects.update_or_create(
            clinic=clinic,
            instrument=text.instrument,
            version=text.version,
            defaults={"content": text.model_dump(mode="json"), "loaded_at": timezone.now()},
        )
        return record

    @classmethod
    def for_form(cls, clinic_id: int, instrument: schema.Instrument) -> schema.LicensedText | None:
        """This clinic's wording for the instrument's current version, if loaded."""
        record = cls.objects.filter(
            clinic_id=clinic_id, instrument=instrument.id, version=instrument.version
        ).first()
        return None if record is None else schema.LicensedText.model_validate(record.content)


class ResponseQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("taken_at", "id")

    def course_ends(self) -> list[progress.Course]:
        """Each course's baseline and latest response and its number of scores, in two
        queries whatever the number of responses: an aggregate per instrument and choice
        context (the NPRS recall period), then the responses at those first and last moments.
        For one client's responses (the chart's measures section)."""
        fields = sorted(
            {f.id for i in load_instruments().values() for f in i.context if f.kind == "choice"}
        )
        keys = [f"context__{field}" for field in fields]
        groups = list(
            self.order_by()
            .values("instrument", *keys)
            .annotate(
                n=models.Count("id"), first=models.Min("taken_at"), last=models.Max("taken_at")
            )
        )
        if not groups:
            return []
        wanted = Q()
        for group in groups:
            wanted |= Q(
                instrument=group["instrument"], taken_at__in=[group["first"], group["last"]]
            )
        counts = {(g["instrument"], tuple(_choice(g[k]) for k in keys)): g["n"] for g in groups}
        rows = []
        # The IN lists let the (client, instrument, taken_at) index find the rows directly
        # rather than reading every response of the client to test the OR.
        ends = self.filter(
            wanted,
            instrument__in={g["instrument"] for g in groups},
            taken_at__in={t for g in groups for t in (g["first"], g["last"])},
        )
        for response in ends.order_by("taken_at", "id"):
            key = (response.instrument, tuple(_choice(response.context.get(f)) for f in fields))
            rows.append((response, counts.get(key, 1)))
        # Several responses may share the first or last moment: keep each course's ends only.
        return progress.ends(rows)


class Response(models.Model):
    """One completed outcome questionnaire (NPRS, ODI, PSFS, …) for a client at one time.

    The answers are kept exactly as entered (item id → the scoring-sheet number). Scores are
    always computed from them by the published algorithm, with the clinic's missing-item rule,
    and stored with that rule and the instrument version; they are never taken from input.
    Context that changes what a value means is stored with it: the NPRS recall period and the
    PSFS activities.
    """

    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="measure_responses")
    client = models.ForeignKey(Client, models.CASCADE, related_name="measure_responses")
    instrument = models.CharField(max_length=30)
    instrument_version = models.CharField(max_length=30)
    answers = models.JSONField()
    # Full precision; rounded only for display. Null only where there is no total (ZCQ).
    score = models.FloatField(null=True, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=60, blank=True)
    rule = models.CharField("missing-item rule", max_length=40)
    context = models.JSONField(default=dict, blank=True)
    prorated = models.BooleanField(default=False, help_text="Missing items filled by the rule.")
    notes = models.JSONField(default=list, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [
            models.Index(fields=["client", "instrument", "taken_at"]),
            # Outcomes find the scores recorded since their last refresh (analytics/refresh.py).
            models.Index(fields=["clinic", "created_at"], name="measures_clinic_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=Source.values),
                name="measures_response_source_known",
                violation_error_message="A response is entered by staff or by the client.",
            ),
            models.CheckConstraint(
                condition=~Q(rule=""),
                name="measures_response_rule_recorded",
                violation_error_message="Store the missing-item rule used with every score.",
            ),
        ]

    def __str__(self):
        return f"{self.instrument} for client {self.client_id} on {self.taken_at:%Y-%m-%d}"

    @classmethod
    def build(
        cls,
        client: Client,
        instrument_id: str,
        answers: dict[str, Any],
        *,
        rule: str | None = None,
        taken_at: datetime | None = None,
        entered_by=None,
        source: str = Source.STAFF,
        **context: Any,
    ) -> Response:
        """An unsaved response scored by `scoring.score`, with the clinic's missing-item rule
        unless `rule` is given. Raises AnswerError (naming the item) or UnknownInstrument."""
        instrument = get_instrument(instrument_id)
        rule = rule or InstrumentSetting.rule_for(client.clinic_id, instrument.id)
        result = score(instrument, answers, rule=rule, **context)
        return cls(
            clinic_id=client.clinic_id,
            client=client,
            instrument=instrument.id,
            instrument_version=instrument.version,
            answers={str(k): v for k, v in answers.items() if v is not None},
            score=result.score,
            subscores=result.subscores,
            band=result.band or "",
            rule=result.rule,
            context=result.context,
            prorated=result.prorated,
            notes=list(result.notes),
            taken_at=taken_at or timezone.now(),
            entered_by=entered_by,
            source=source,
        )

    @classmethod
    def record(cls, client: Client, instrument_id: str, answers: dict[str, Any], **kwargs):
        """Score and save a response; see `build`."""
        response = cls.build(client, instrument_id, answers, **kwargs)
        response.save()
        return response

    @property
    def spec(self) -> schema.Instrument:
        return get_instrument(self.instrument)

    @property
    def display_score(self) -> int | float | None:
        return round_for_display(self.score, self.spec.display_decimals)

    def display_subscores(self) -> list[tuple[str, int | float | None]]:
        """(subscale name, rounded score) in the instrument's order."""
        spec = self.spec
        return [
            (s.name, round_for_display(self.subscores.get(s.id), spec.display_decimals))
            for s in spec.subscales
        ]

    @property
    def rule_description(self) -> str:
        """The missing-item rule the score was computed with, in words."""
        rule = next((r for r in self.spec.missing.rules if r.id == self.rule), None)
        return rule.description.strip() if rule else "a rule no longer offered"

    def context_labels(self) -> list[tuple[str, str]]:
        """Readable context: the NPRS recall period label, the PSFS activities."""
        labels = []
        for field in self.spec.context:
            value = self.context.get(field.id)
            if value is None:
                continue
            if field.kind == "choice":
                choice = next((c.label for c in field.choices if c.code == value), value)
                labels.append((field.id.replace("_", " ").capitalize(), choice))
            else:
                text = "; ".join(f"{k}. {v}" for k, v in sorted(value.items()))
                labels.append((field.id.replace("_", " ").capitalize(), text))
        return labels

    def result(self) -> ScoreResult:
        """The stored scores as a ScoreResult (for FHIR export), without rescoring."""
        spec = self.spec
        return ScoreResult(
            instrument=self.instrument,
            version=self.instrument_version,
            score=self.score,
            subscores=dict(self.subscores),
            band=self.band or None,
            rule=self.rule,
            items_answered=len(self.answers),
            missing=tuple(i.id for i in spec.items if i.id not in self.answers),
            prorated=self.prorated,
            context=dict(self.context),
            notes=tuple(self.notes),
        )


def _choice(value: Any) -> str | None:
    """A choice context value as series_context reads it (JSON null counts as absent)."""
    return None if value is None else str(value)
