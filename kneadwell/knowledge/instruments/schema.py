"""The shape of an outcome-measure instrument file (instruments/*.yaml) and of a clinic's
licensed item text, as pydantic models. Clinical facts live in the YAML; this only says how
they are written down and refuses files that contradict themselves."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Confidence(StrEnum):
    """How a fact was checked, mirroring the marks in FACTS.md."""

    VERIFIED = "verified"  # ✔
    VERIFIED_SECONDARY = "verified_secondary"  # ✔ (secondary)
    KNOWN = "known"  # K: well established, not re-checked
    UNCONFIRMED = "unconfirmed"  # U
    DESIGN = "design"  # Kneadwell's own choice where no rule is published


class Direction(StrEnum):
    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


class LicenceStatus(StrEnum):
    PUBLIC_DOMAIN = "public_domain"
    FREE = "free"
    LICENCE_REQUIRED = "licence_required"
    UNCONFIRMED = "unconfirmed"


class Fact(Strict):
    """Anything that carries its provenance."""

    confidence: Confidence
    sources: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Fact:
        if self.confidence != Confidence.DESIGN and not self.sources:
            raise ValueError("a clinical fact needs at least one source")
        return self


class Licence(Fact):
    status: LicenceStatus
    holder: str | None = None
    ships_text: bool = False

    @model_validator(mode="after")
    def _text_only_when_free(self) -> Licence:
        if self.ships_text and self.status not in (
            LicenceStatus.PUBLIC_DOMAIN,
            LicenceStatus.FREE,
        ):
            raise ValueError(f"item text cannot ship for licence status {self.status}")
        return self


class Option(Strict):
    value: int  # what is entered: the scoring-sheet number, or 1, 2, ... where options have none
    score: int  # the points the option contributes
    label: str | None = None  # the published wording, only where the licence allows


class Item(Strict):
    id: str
    title: str  # a neutral section title, never licensed wording
    kind: Literal["choice", "scale", "check"]
    text: str | None = None  # the published question, only where the licence allows
    options: list[Option] = Field(default_factory=list)  # choice items
    min: int | None = None  # scale items: whole numbers from min to max
    max: int | None = None
    anchors: dict[int, str] = Field(default_factory=dict)  # scale end labels, where allowed
    loinc: Code | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Item:
        if not self.id.isdigit():
            raise ValueError(f"item id {self.id!r} must be 1, 2, ... in published order")
        if self.kind == "choice":
            if len(self.options) < 2:
                raise ValueError(f"item {self.id}: a choice item needs at least two options")
            values = [o.value for o in self.options]
            if len(set(values)) != len(values):
                raise ValueError(f"item {self.id}: option values repeat")
        elif self.options:
            raise ValueError(f"item {self.id}: only choice items list options")
        if self.kind == "scale":
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError(f"item {self.id}: a scale item needs min < max")
            if any(not self.min <= k <= self.max for k in self.anchors):
                raise ValueError(f"item {self.id}: anchors must lie on the scale")
        elif self.min is not None or self.max is not None or self.anchors:
            raise ValueError(f"item {self.id}: only scale items have min, max and anchors")
        return self

    def allowed_values(self) -> list[int]:
        if self.kind == "choice":
            return [o.value for o in self.options]
        if self.kind == "check":
            return [0, 1]
        return list(range(self.min, self.max + 1))

    def score_of(self, value: int) -> int:
        if self.kind == "choice":
            return next(o.score for o in self.options if o.value == value)
        return value

    @property
    def max_score(self) -> int:
        if self.kind == "choice":
            return max(o.score for o in self.options)
        return 1 if self.kind == "check" else self.max

    @property
    def min_score(self) -> int:
        if self.kind == "choice":
            return min(o.score for o in self.options)
        return 0 if self.kind == "check" else self.min

    @property
    def has_licensed_wording(self) -> bool:
        return bool(
            self.text or self.anchors or any(o.label for o in self.options),
        )


class Code(Strict):
    code: str
    display: str | None = None
    confidence: Confidence
    sources: list[str] = Field(default_factory=list)
    note: str | None = None


class Loinc(Strict):
    panel: Code | None = None
    score: Code | None = None  # the total score
    subscores: dict[str, Code] = Field(default_factory=dict)
    note: str | None = None


class Subscale(Strict):
    id: str
    name: str
    items: list[str]
    method: Literal["sum", "mean"]
    divisor: float | None = None  # FIQR: the domain sum is divided by this weight
    optional: bool = False  # may be left out entirely (ZCQ satisfaction, asked after treatment)
    range: tuple[float, float]


class Scoring(Fact):
    # sum: the item scores added; mean: their average; percent_of_max: sum ÷ (max × answered)
    # × 100; value: the single answer itself; sum_of_subscales: the subscale scores added;
    # none: no total, only subscales.
    method: Literal["sum", "mean", "percent_of_max", "value", "sum_of_subscales", "none"]


class MissingRule(Fact):
    id: str
    description: str
    # require_all: any missing item leaves the score unscored; prorate: the score is computed
    # over the answered items as if the missing ones had their mean (equivalently the
    # denominator shrinks); zero: a missing item counts as 0 ("score regardless"); answered:
    # only the answered items count and the others are not missing at all (PSFS activities).
    method: Literal["require_all", "prorate", "zero", "answered"]
    max_missing: int | None = None  # per scored group (total or subscale); None = no limit
    min_answered: int = 1

    @model_validator(mode="after")
    def _limits(self) -> MissingRule:
        if self.method == "require_all" and self.max_missing not in (None, 0):
            raise ValueError(f"rule {self.id}: require_all allows no missing items")
        return self


class MissingRules(Strict):
    default: str
    rules: list[MissingRule]

    @model_validator(mode="after")
    def _default_exists(self) -> MissingRules:
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("missing-item rule ids repeat")
        if self.default not in ids:
            raise ValueError(f"default rule {self.default!r} is not one of {ids}")
        return self

    def get(self, rule_id: str) -> MissingRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


class Condition(Strict):
    score: str = "total"  # "total" or a subscale id
    min: float | None = None  # inclusive
    above: float | None = None  # exclusive lower bound, for published integer bands
    max: float | None = None  # inclusive

    def matches(self, value: float | None) -> bool:
        if value is None:
            return False
        if self.min is not None and value < self.min:
            return False
        if self.above is not None and value <= self.above:
            return False
        return self.max is None or value <= self.max


class Band(Strict):
    label: str
    published: str  # the range exactly as the source prints it
    when: list[Condition]


class Bands(Fact):
    status: Literal["published", "convention"]
    items: list[Band]


class Cutoff(Fact):
    """A published threshold that is not a severity band (e.g. a "success" or "poor outcome"
    cut-off). Informational; not applied by the scoring."""

    label: str
    condition: Condition


class Mic(Fact):
    type: Literal["individual_mic", "between_group", "mdc"]
    absolute: float | None = None
    percent: float | None = None
    subscale: str | None = None  # None: the total score
    population: str
    anchor: str | None = None

    @model_validator(mode="after")
    def _has_value(self) -> Mic:
        if self.absolute is None and self.percent is None:
            raise ValueError("a minimal important change needs an absolute or percent value")
        return self


class RatingChange(Fact):
    """How a single-time global rating of change (PGIC, GROC) is read."""

    improved: Condition
    worse: Condition


class ContextChoice(Strict):
    code: str
    label: str


class ContextField(Strict):
    """Something stored with every response besides the answers (NPRS recall period, PSFS
    activity names)."""

    id: str
    description: str
    kind: Literal["choice", "item_text"]  # item_text: one free-text label per answered item
    required: bool
    choices: list[ContextChoice] = Field(default_factory=list)


class Instrument(Strict):
    id: str
    name: str
    short_name: str
    version: str
    reference: str
    facts_section: str  # where FACTS.md records the facts this file encodes
    recall_period: str | None = None
    licence: Licence
    direction: Direction
    range: tuple[float, float]
    display_decimals: int = Field(ge=0, le=3)
    change_measure: Literal["score", "rating", "none"]  # how read_change treats it
    scoring: Scoring
    missing: MissingRules
    items: list[Item]
    subscales: list[Subscale] = Field(default_factory=list)
    context: list[ContextField] = Field(default_factory=list)
    multiple_marks: Fact | None = None  # ODI: more than one statement marked → take the highest
    bands: Bands | None = None
    cutoffs: list[Cutoff] = Field(default_factory=list)
    mic: list[Mic] = Field(default_factory=list)
    rating_change: RatingChange | None = None
    loinc: Loinc = Field(default_factory=Loinc)
    copyright_notice: str | None = None
    notes: list[str] = Field(default_factory=list)

    @field_validator("items")
    @classmethod
    def _published_order(cls, items: list[Item]) -> list[Item]:
        expected = [str(n) for n in range(1, len(items) + 1)]
        if [i.id for i in items] != expected:
            raise ValueError(f"item ids must be {expected[0]}..{expected[-1]} in order")
        return items

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        ids = {i.id for i in self.items}
        subscale_ids = {s.id for s in self.subscales}
        for s in self.subscales:
            unknown = [i for i in s.items if i not in ids]
            if unknown:
                raise ValueError(f"subscale {s.id} names unknown items {unknown}")
        if self.scoring.method in ("sum_of_subscales", "none") and not self.subscales:
            raise ValueError(f"scoring {self.scoring.method} needs subscales")
        if self.scoring.method == "value" and len(self.items) != 1:
            raise ValueError("scoring 'value' is for single-item instruments")
        if not self.licence.ships_text:
            wording = [i.id for i in self.items if i.has_licensed_wording]
            if wording:
                raise ValueError(
                    f"{self.id}: licence {self.licence.status} does not allow item text, "
                    f"but items {wording} carry wording"
                )
        names = {"total"} | subscale_ids
        for band in self.bands.items if self.bands else []:
            for cond in band.when:
                if cond.score not in names:
                    raise ValueError(f"band {band.label} refers to unknown score {cond.score}")
        for mic in self.mic:
            if mic.subscale is not None and mic.subscale not in subscale_ids:
                raise ValueError(f"MIC refers to unknown subscale {mic.subscale}")
        for key in self.loinc.subscores:
            if key not in subscale_ids:
                raise ValueError(f"LOINC subscore {key} is not a subscale")
        if self.change_measure == "rating" and self.rating_change is None:
            raise ValueError("a rating instrument needs rating_change")
        return self

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def subscale(self, subscale_id: str) -> Subscale | None:
        return next((s for s in self.subscales if s.id == subscale_id), None)

    @property
    def has_total(self) -> bool:
        return self.scoring.method != "none"

    @property
    def score_names(self) -> list[str]:
        """The scores a response produces: "total" (where there is one), then each subscale."""
        return (["total"] if self.has_total else []) + [s.id for s in self.subscales]


Item.model_rebuild()


class LicensedItem(Strict):
    id: str
    text: str
    options: list[str] = Field(default_factory=list)  # one label per option, in order
    anchors: dict[int, str] = Field(default_factory=dict)  # scale items: end labels

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class LicensedText(Strict):
    """A clinic's licensed wording for an instrument, loaded as content, never shipped."""

    instrument: str
    version: str
    licence: str  # who licensed it to the clinic, and under what agreement
    title: str | None = None
    instructions: str | None = None
    copyright_notice: str | None = None
    items: list[LicensedItem]

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value
