"""Scores a response to an instrument exactly as its authors publish, from the rules in the
instrument's data file. Pure functions over plain values; no database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.instruments.schema import Instrument, Item, MissingRule

Number = int | float


class AnswerError(ValueError):
    """The answers cannot be scored. The message names the item (or field) and what is allowed,
    in words a therapist can act on; `item` and `allowed` let a form put it next to the field."""

    def __init__(self, message: str, *, item: str | None = None, allowed: str | None = None):
        super().__init__(message)
        self.item = item
        self.allowed = allowed


@dataclass(frozen=True)
class ScoreResult:
    """A scored response. Scores keep full precision; use `display()` to show them."""

    instrument: str
    version: str
    score: float | None  # None only where the instrument has no total (ZCQ)
    subscores: dict[str, float | None]  # None: an optional subscale left out (ZCQ satisfaction)
    band: str | None
    rule: str  # the missing-item rule used; store it with the score
    items_answered: int
    missing: tuple[str, ...] = ()
    prorated: bool = False  # True when missing items were filled by the rule
    context: dict[str, Any] = field(default_factory=dict)  # NPRS recall, PSFS activities
    notes: tuple[str, ...] = ()

    def display(self) -> dict[str, Any]:
        """The result as shown to people and printed by the CLI: scores rounded half up to the
        instrument's display precision (ODI 35.555… → 35.6)."""
        decimals = get_instrument(self.instrument).display_decimals
        data = {
            "instrument": self.instrument,
            "score": round_for_display(self.score, decimals),
            "subscores": {k: round_for_display(v, decimals) for k, v in self.subscores.items()},
            "band": self.band,
            "rule": self.rule,
        }
        if self.context:
            data["context"] = self.context
        return data

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def round_for_display(value: float | None, decimals: int) -> int | float | None:
    """Round half up (not Python's half-to-even) for display; whole numbers stay whole."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(rounded) if decimals == 0 else float(rounded)


def score(
    instrument_id: str | Instrument,
    answers: Mapping[str, Number | Sequence[Number] | None],
    rule: str | None = None,
    **context: Any,
) -> ScoreResult:
    """Score `answers` (item id → the number the scoring sheet gives; a missing answer is left
    out) with the instrument's published algorithm and the missing-item `rule` (the
    instrument's default when None). Context is stored with the result: NPRS needs
    `recall=...`; PSFS takes `activities={"1": "...", ...}`. Raises AnswerError."""
    instrument = (
        instrument_id if isinstance(instrument_id, Instrument) else get_instrument(instrument_id)
    )
    missing_rule = _resolve_rule(instrument, rule)
    notes: list[str] = []
    item_scores = _validate_answers(instrument, answers, notes)
    ctx = _validate_context(instrument, context, item_scores)

    prorated = False
    subscores: dict[str, Fraction | None] = {}
    for sub in instrument.subscales:
        value, filled = _group_score(
            instrument,
            sub.name,
            [instrument.item(i) for i in sub.items],
            item_scores,
            missing_rule,
            method=sub.method,
            divisor=sub.divisor,
            optional=sub.optional,
        )
        subscores[sub.id] = value
        prorated = prorated or filled

    method = instrument.scoring.method
    total: Fraction | None
    if method == "none":
        total = None
        if all(v is None for v in subscores.values()):
            raise AnswerError(f"{instrument.short_name}: no items were answered")
    elif method == "sum_of_subscales":
        total = sum(subscores.values(), Fraction(0))
    else:
        total, filled = _group_score(
            instrument, "total", instrument.items, item_scores, missing_rule, method=method
        )
        prorated = prorated or filled

    if prorated:
        notes.append(f"Missing items were filled by rule {missing_rule.id!r}.")
    return ScoreResult(
        instrument=instrument.id,
        version=instrument.version,
        score=_float(total),
        subscores={k: _float(v) for k, v in subscores.items()},
        band=_band(instrument, total, subscores),
        rule=missing_rule.id,
        items_answered=len(item_scores),
        missing=tuple(i.id for i in instrument.items if i.id not in item_scores),
        prorated=prorated,
        context=ctx,
        notes=tuple(notes),
    )


def _resolve_rule(instrument: Instrument, rule: str | None) -> MissingRule:
    found = instrument.missing.get(rule or instrument.missing.default)
    if found is None:
        allowed = ", ".join(r.id for r in instrument.missing.rules)
        raise AnswerError(
            f"{instrument.short_name} has no missing-item rule {rule!r}; rules: {allowed}",
            item="rule",
            allowed=allowed,
        )
    return found


def _allowed_text(item: Item) -> str:
    values = item.allowed_values()
    if values == list(range(values[0], values[-1] + 1)) and len(values) > 2:
        return f"whole numbers {values[0]} to {values[-1]}"
    return ", ".join(str(v) for v in values)


def _validate_answers(
    instrument: Instrument, answers: Mapping[str, Any], notes: list[str]
) -> dict[str, int]:
    """Item id → the item's score, for the answered items."""
    if not isinstance(answers, Mapping):
        raise AnswerError(
            f"{instrument.short_name}: answers must be an object from item id to value, "
            f"got {type(answers).__name__}"
        )
    item_ids = [i.id for i in instrument.items]
    scores: dict[str, int] = {}
    for key, raw in answers.items():
        item = instrument.item(str(key)) if isinstance(key, str | int) else None
        if item is None:
            raise AnswerError(
                f"{instrument.short_name} has no item {key!r}; items are "
                f"{item_ids[0]} to {item_ids[-1]}",
                item=str(key),
                allowed=f"{item_ids[0]}–{item_ids[-1]}",
            )
        if raw is None:
            continue
        if isinstance(raw, list | tuple) and instrument.multiple_marks is not None:
            if not raw:
                continue
            marked = [checked_value(instrument, item, v) for v in raw]
            best = max(marked, key=item.score_of)
            if len(set(marked)) > 1:
                notes.append(
                    f"Item {item.id}: more than one answer marked ({', '.join(map(str, marked))});"
                    f" the highest, {item.score_of(best)}, was scored."
                )
            scores[item.id] = item.score_of(best)
        else:
            scores[item.id] = item.score_of(checked_value(instrument, item, raw))
    return scores


def checked_value(instrument: Instrument, item: Item, raw: Any) -> int:
    """The entered value for one item as a whole number, or AnswerError naming the item."""
    allowed = _allowed_text(item)
    where = f"{instrument.short_name} item {item.id} ({item.title})"
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise AnswerError(
            f"{where}: {raw!r} is not a number; allowed values: {allowed}",
            item=item.id,
            allowed=allowed,
        )
    if isinstance(raw, float):
        if not raw.is_integer():
            raise AnswerError(
                f"{where}: {raw!r} is not a whole number; allowed values: {allowed}",
                item=item.id,
                allowed=allowed,
            )
        raw = int(raw)
    if raw not in item.allowed_values():
        raise AnswerError(
            f"{where}: {raw} is out of range; allowed values: {allowed}",
            item=item.id,
            allowed=allowed,
        )
    return raw


def _validate_context(
    instrument: Instrument, context: Mapping[str, Any], item_scores: Mapping[str, int]
) -> dict[str, Any]:
    fields = {f.id: f for f in instrument.context}
    unknown = [k for k in context if k not in fields and context[k] is not None]
    if unknown:
        accepted = ", ".join(fields) or "nothing besides the answers"
        raise AnswerError(
            f"{instrument.short_name} takes no {unknown[0]!r}; it takes {accepted}",
            item=unknown[0],
        )
    result: dict[str, Any] = {}
    for f in instrument.context:
        value = context.get(f.id)
        if f.kind == "choice":
            codes = [c.code for c in f.choices]
            if value is None:
                if f.required:
                    what = _first_sentence(f.description)
                    raise AnswerError(
                        f"{instrument.short_name} needs {f.id!r} ({what}): "
                        f"one of: {', '.join(codes)}",
                        item=f.id,
                        allowed=", ".join(codes),
                    )
                continue
            if value not in codes:
                raise AnswerError(
                    f"{instrument.short_name} {f.id}: {value!r} is not allowed; "
                    f"one of: {', '.join(codes)}",
                    item=f.id,
                    allowed=", ".join(codes),
                )
            result[f.id] = value
        else:
            if value is None:
                if f.required:
                    raise AnswerError(f"{instrument.short_name} needs {f.id!r}", item=f.id)
                continue
            result[f.id] = _checked_item_text(instrument, f.id, value, item_scores)
    return result


def _first_sentence(text: str) -> str:
    return text.strip().split(". ")[0].rstrip(".").lower()


def _checked_item_text(
    instrument: Instrument, name: str, value: Any, item_scores: Mapping[str, int]
) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise AnswerError(
            f"{instrument.short_name} {name}: expected an object from item id to text",
            item=name,
        )
    texts = {}
    for key, text in value.items():
        if instrument.item(str(key)) is None:
            raise AnswerError(
                f"{instrument.short_name} {name}: no item {key!r}; items are "
                f"{instrument.items[0].id} to {instrument.items[-1].id}",
                item=name,
            )
        if not isinstance(text, str) or not text.strip():
            raise AnswerError(
                f"{instrument.short_name} {name} for item {key}: expected non-empty text",
                item=name,
            )
        texts[str(key)] = text.strip()
    unnamed = [i for i in item_scores if i not in texts]
    if unnamed:
        raise AnswerError(
            f"{instrument.short_name} {name}: rated item {unnamed[0]} has no {name} text; "
            "name every rated item so follow-ups rate the same ones",
            item=name,
        )
    return texts


def _group_score(
    instrument: Instrument,
    group: str,
    items: Sequence[Item],
    item_scores: Mapping[str, int],
    rule: MissingRule,
    *,
    method: str,
    divisor: float | None = None,
    optional: bool = False,
) -> tuple[Fraction | None, bool]:
    """Score one group of items (the total or a subscale). Returns (score, whether missing
    items were filled by proration). Exact arithmetic; converted to float at the end."""
    answered = [i for i in items if i.id in item_scores]
    missing = [i.id for i in items if i.id not in item_scores]
    if not answered and optional:
        return None, False

    where = instrument.short_name if group == "total" else f"{instrument.short_name} {group}"
    too_many = (
        (rule.method == "require_all" and missing)
        or (rule.max_missing is not None and len(missing) > rule.max_missing)
        or len(answered) < max(rule.min_answered, 1)
    )
    if too_many:
        allowed = 0 if rule.method == "require_all" else rule.max_missing
        limit = (
            f"allows at most {allowed} missing"
            if allowed is not None
            else f"needs at least {max(rule.min_answered, 1)} answered"
        )
        others = [r.id for r in instrument.missing.rules if r.id != rule.id]
        hint = f"; other rules: {', '.join(others)}" if others else ""
        raise AnswerError(
            f"{where}: too many items missing ({', '.join(missing)}); "
            f"rule {rule.id!r} {limit}{hint}",
            item=missing[0],
            allowed=limit,
        )

    raw = Fraction(sum(item_scores[i.id] for i in answered))
    over_answered = rule.method in ("prorate", "answered")
    prorate = rule.method == "prorate" and bool(missing)
    if method == "value":
        return raw, False
    if method == "percent_of_max":
        scored = answered if over_answered else items
        return raw * 100 / sum(i.max_score for i in scored), prorate
    if method == "mean":
        return raw / (len(answered) if over_answered else len(items)), prorate
    # A prorated sum gives each missing item the mean of the answered ones.
    total = raw * len(items) / len(answered) if prorate else raw
    if divisor:
        total = total / Fraction(divisor).limit_denominator()
    return total, prorate


def _band(
    instrument: Instrument, total: Fraction | None, subscores: Mapping[str, Fraction | None]
) -> str | None:
    if instrument.bands is None:
        return None
    values = {"total": total, **subscores}
    for band in instrument.bands.items:
        if all(cond.matches(values.get(cond.score)) for cond in band.when):
            return band.label
    return None


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
