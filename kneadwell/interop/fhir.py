"""The one place Kneadwell maps to FHIR R4: instruments as Questionnaires, responses as
QuestionnaireResponses, scores as survey Observations. Plain dicts in, FHIR JSON dicts out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.instruments.schema import ContextField, Instrument, Item
from kneadwell.knowledge.instruments.scoring import (
    AnswerError,
    ScoreResult,
    checked_value,
    round_for_display,
)

BASE = "https://kneadwell.org/fhir"
INSTRUMENTS_SYSTEM = f"{BASE}/CodeSystem/instruments"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"


def questionnaire_url(instrument: Instrument) -> str:
    return f"{BASE}/Questionnaire/{instrument.id}"


def answers_system(instrument: Instrument) -> str:
    return f"{BASE}/CodeSystem/{instrument.id}-answers"


def context_system(instrument: Instrument, field: ContextField) -> str:
    return f"{BASE}/CodeSystem/{instrument.id}-{field.id}"


def questionnaire(instrument: Instrument | str) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire. Item text appears only where the licence
    allows; otherwise items carry their neutral titles."""
    instrument = _instrument(instrument)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"kneadwell-{instrument.id}",
        "url": questionnaire_url(instrument),
        "version": instrument.version,
        "name": re.sub(r"[^A-Za-z0-9]", "", instrument.short_name),
        "title": instrument.name,
        "status": "active",
        "subjectType": ["Patient"],
        "code": [_instrument_coding(instrument)],
        "description": _description(instrument),
        "item": [],
    }
    if instrument.copyright_notice or not instrument.licence.ships_text:
        resource["copyright"] = " ".join(
            filter(None, [instrument.copyright_notice, instrument.licence.note])
        ).strip()
    for field in instrument.context:
        if field.kind == "choice":
            resource["item"].append(
                {
                    "linkId": field.id,
                    "text": field.description.strip(),
                    "type": "choice",
                    "required": field.required,
                    "answerOption": [
                        {
                            "valueCoding": {
                                "system": context_system(instrument, field),
                                "code": c.code,
                                "display": c.label,
                            }
                        }
                        for c in field.choices
                    ],
                }
            )
    item_text_fields = [f for f in instrument.context if f.kind == "item_text"]
    for item in instrument.items:
        for field in item_text_fields:
            resource["item"].append(
                {
                    "linkId": f"{field.id}-{item.id}",
                    "text": f"{field.id.rstrip('s').capitalize()} {item.id}",
                    "type": "string",
                }
            )
        resource["item"].append(_questionnaire_item(instrument, item))
    return resource


def questionnaire_response(
    instrument: Instrument | str,
    answers: Mapping[str, Any],
    authored: datetime,
    subject_ref: str,
    response_id: str,
    **context: Any,
) -> dict[str, Any]:
    """A stored response as a QuestionnaireResponse. Choice answers carry their score in the
    ordinalValue extension so any FHIR consumer can recompute the score. Context (NPRS
    `recall`, PSFS `activities`) is exported as its own answers."""
    instrument = _instrument(instrument)
    unknown = [k for k in answers if instrument.item(str(k)) is None]
    if unknown:
        raise AnswerError(f"{instrument.short_name} has no item {unknown[0]!r}", item=unknown[0])
    items: list[dict[str, Any]] = []
    for field in instrument.context:
        value = context.get(field.id)
        if field.kind == "choice" and value is not None:
            choice = next((c for c in field.choices if c.code == value), None)
            if choice is None:
                codes = ", ".join(c.code for c in field.choices)
                raise AnswerError(
                    f"{instrument.short_name} {field.id}: {value!r} is not one of {codes}",
                    item=field.id,
                )
            items.append(
                {
                    "linkId": field.id,
                    "answer": [
                        {
                            "valueCoding": {
                                "system": context_system(instrument, field),
                                "code": choice.code,
                                "display": choice.label,
                            }
                        }
                    ],
                }
            )
    texts = {f.id: context.get(f.id) or {} for f in instrument.context if f.kind == "item_text"}
    for item in instrument.items:
        for name, by_item in texts.items():
            text = by_item.get(item.id)
            if text:
                items.append({"linkId": f"{name}-{item.id}", "answer": [{"valueString": text}]})
        raw = answers.get(item.id)
        if raw is None or (isinstance(raw, Sequence) and not isinstance(raw, str) and not raw):
            continue
        values = raw if isinstance(raw, list | tuple) else [raw]
        if len(values) > 1 and instrument.multiple_marks is None:
            raise AnswerError(
                f"{instrument.short_name} item {item.id}: takes one answer", item=item.id
            )
        items.append(
            {
                "linkId": item.id,
                "answer": [
                    _answer(instrument, item, checked_value(instrument, item, v)) for v in values
                ],
            }
        )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{questionnaire_url(instrument)}|{instrument.version}",
        "status": "completed",
        "subject": {"reference": subject_ref},
        "authored": _datetime(authored),
        "item": items,
    }


def score_observations(
    instrument: Instrument | str,
    result: ScoreResult,
    effective: datetime,
    subject_ref: str,
    response_ref: str,
) -> list[dict[str, Any]]:
    """One survey Observation per score (the total, then each subscale), valued in {score}
    at the instrument's display precision, derived from the QuestionnaireResponse."""
    instrument = _instrument(instrument)
    if result.instrument != instrument.id:
        raise ValueError(f"result is for {result.instrument!r}, not {instrument.id!r}")
    observations = []
    for name in instrument.score_names:
        value = result.score if name == "total" else result.subscores.get(name)
        if value is None:
            continue
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                    ]
                }
            ],
            "code": _score_code(instrument, name),
            "subject": {"reference": subject_ref},
            "effectiveDateTime": _datetime(effective),
            "valueQuantity": {
                "value": round_for_display(value, instrument.display_decimals),
                "unit": "{score}",
                "system": UCUM,
                "code": "{score}",
            },
            "method": _rule_concept(instrument, result.rule),
            "derivedFrom": [{"reference": response_ref}],
        }
        if name == "total" and result.band:
            observation["interpretation"] = [
                {
                    "coding": [
                        {
                            "system": f"{BASE}/CodeSystem/{instrument.id}-bands",
                            "code": _slug(result.band),
                            "display": result.band,
                        }
                    ],
                    "text": result.band,
                }
            ]
        components = _context_components(instrument, result)
        if components:
            observation["component"] = components
        if result.notes:
            observation["note"] = [{"text": n} for n in result.notes]
        observations.append(observation)
    return observations


def _instrument(instrument: Instrument | str) -> Instrument:
    return instrument if isinstance(instrument, Instrument) else get_instrument(instrument)


def _instrument_coding(instrument: Instrument) -> dict[str, str]:
    panel = instrument.loinc.panel
    if panel is not None:
        return {"system": LOINC, "code": panel.code, "display": panel.display or instrument.name}
    return {"system": INSTRUMENTS_SYSTEM, "code": instrument.id, "display": instrument.name}


def _description(instrument: Instrument) -> str:
    reference = instrument.reference.rstrip(".")
    if instrument.licence.ships_text:
        return f"{instrument.name} ({reference})."
    return (
        f"{instrument.name} ({reference}). Structure and scoring only: the item "
        f"wording is not included (licence status: {instrument.licence.status.value})."
    )


def _questionnaire_item(instrument: Instrument, item: Item) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "linkId": item.id,
        "prefix": item.id,
        "text": item.text or item.title,
    }
    if item.loinc is not None:
        entry["code"] = [{"system": LOINC, "code": item.loinc.code}]
    if item.kind == "choice":
        entry["type"] = "choice"
        entry["answerOption"] = [
            {
                "valueCoding": _option_coding(instrument, item, o.value),
                "extension": [{"url": ORDINAL_VALUE, "valueDecimal": o.score}],
            }
            for o in item.options
        ]
        if instrument.multiple_marks is not None:
            entry["repeats"] = True
    elif item.kind == "scale":
        entry["type"] = "integer"
        entry["extension"] = [
            {"url": MIN_VALUE, "valueInteger": item.min},
            {"url": MAX_VALUE, "valueInteger": item.max},
        ]
    else:
        entry["type"] = "boolean"
    return entry


def _option_coding(instrument: Instrument, item: Item, value: int) -> dict[str, str]:
    coding = {"system": answers_system(instrument), "code": str(value)}
    label = next((o.label for o in item.options if o.value == value), None)
    if label:
        coding["display"] = label
    return coding


def _answer(instrument: Instrument, item: Item, value: int) -> dict[str, Any]:
    if item.kind == "choice":
        return {
            "valueCoding": _option_coding(instrument, item, value),
            "extension": [{"url": ORDINAL_VALUE, "valueDecimal": item.score_of(value)}],
        }
    if item.kind == "scale":
        return {"valueInteger": value}
    return {"valueBoolean": value == 1}


def _score_code(instrument: Instrument, name: str) -> dict[str, Any]:
    if name == "total":
        loinc = instrument.loinc.score
        display = f"{instrument.short_name} score"
    else:
        loinc = instrument.loinc.subscores.get(name)
        display = f"{instrument.short_name} {instrument.subscale(name).name}"
    local = {
        "system": INSTRUMENTS_SYSTEM,
        "code": f"{instrument.id}-{'score' if name == 'total' else name}",
        "display": display,
    }
    codings = [local]
    if loinc is not None:
        loinc_display = loinc.display or display
        codings.insert(0, {"system": LOINC, "code": loinc.code, "display": loinc_display})
    return {"coding": codings, "text": display}


def _rule_concept(instrument: Instrument, rule_id: str) -> dict[str, Any]:
    rule = instrument.missing.get(rule_id)
    return {
        "coding": [{"system": f"{BASE}/CodeSystem/{instrument.id}-missing-rules", "code": rule_id}],
        "text": rule.description.strip() if rule else rule_id,
    }


def _context_components(instrument: Instrument, result: ScoreResult) -> list[dict[str, Any]]:
    components = []
    for field in instrument.context:
        value = result.context.get(field.id)
        if field.kind != "choice" or value is None:
            continue
        choice = next(c for c in field.choices if c.code == value)
        components.append(
            {
                "code": {
                    "coding": [
                        {
                            "system": f"{BASE}/CodeSystem/context",
                            "code": f"{instrument.id}-{field.id}",
                        }
                    ],
                    "text": field.id.replace("_", " ").capitalize(),
                },
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": context_system(instrument, field),
                            "code": choice.code,
                            "display": choice.label,
                        }
                    ],
                    "text": choice.label,
                },
            }
        )
    return components


def _datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("FHIR dateTimes with a time need a time zone; pass an aware datetime")
    return value.isoformat()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def response_bundle(
    instrument: Instrument | str,
    answers: Mapping[str, Any],
    result: ScoreResult,
    authored: datetime,
    subject_ref: str,
    response_id: str,
    **context: Any,
) -> dict[str, Any]:
    """One stored response as a FHIR R4 Bundle of type collection: the QuestionnaireResponse,
    then one survey Observation per score, each derived from the response in the bundle."""
    instrument = _instrument(instrument)
    response = questionnaire_response(
        instrument, answers, authored, subject_ref, response_id, **context
    )
    response_ref = f"QuestionnaireResponse/{response_id}"
    observations = score_observations(instrument, result, authored, subject_ref, response_ref)
    names = [n for n in instrument.score_names if _has_value(result, n)]
    for name, observation in zip(names, observations, strict=True):
        # FHIR ids allow letters, digits, "-" and "." only.
        observation["id"] = f"{response_id}-{'score' if name == 'total' else _slug(name)}"
    return {
        "resourceType": "Bundle",
        "id": f"{response_id}-bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"{BASE}/{r['resourceType']}/{r['id']}", "resource": r}
            for r in [response, *observations]
        ],
    }


def _has_value(result: ScoreResult, name: str) -> bool:
    value = result.score if name == "total" else result.subscores.get(name)
    return value is not None
