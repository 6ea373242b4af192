"""How the library pages put knowledge entries into words: labels, triggers, effects, links.

Plain functions over the loaded ``Knowledge``; ``entry_url`` is the one place that knows which
page shows an entry, so search results and tests link to the same place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import reverse

from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import Knowledge
from kneadwell.knowledge.schema import (
    AFFECTED_REGION,
    TRIGGER_TABLES,
    ContraindicationRule,
    Effect,
    EvidenceStatement,
    PressureLevel,
    RedFlag,
    Trigger,
)

# Words for the codes used in the data files, as a therapist would say them.
LABELS: dict[str, str] = {
    # evidence direction
    "supports": "Supports",
    "insufficient": "Insufficient evidence",
    "against": "Guidelines advise against",
    "not_supported": "Not supported",
    # certainty
    "high": "High",
    "moderate": "Moderate",
    "low": "Low",
    "very_low": "Very low",
    # claim grade
    "supported": "Supported",
    "weak": "Weak evidence",
    # tiers
    "emergency": "Emergency",
    "urgent": "Urgent",
    "soon": "Soon",
    "caution": "Caution",
    # basis
    "guideline": "Guideline",
    "systematic_review": "Systematic review",
    "trial": "Trial",
    "expert_consensus": "Expert consensus",
    "case_reports": "Case reports",
    "proposed_convention": "Proposed convention",
    # verification (FACTS.md tags)
    "checked": "Checked against the source",
    "known": "Well known, not re-checked",
    "unconfirmed": "Unconfirmed: verify before relying on it",
    # plan status
    "trial_dose": "Dose used in trials",
    # combine with
    "exercise": "Exercise",
    "self_management": "Self-management",
    "physician": "The physician",
    "psychological": "Psychological care",
    "education": "Education",
    # when not improving
    "change_plan": "change the plan",
    "refer_physician": "refer to the physician",
    "stop": "stop massage",
    # evidence kind
    "evidence": "Evidence statement",
    "claim": "Popular claim",
    # trigger kinds
    "condition": "Condition",
    "medication_class": "Medicine",
    "history": "History",
    "finding": "Finding",
    "answer": "Answer “yes” to",
    "region_treated": "Working on",
}

TIER_MEANING = {
    "emergency": "Do not treat; direct the client to emergency care now.",
    "urgent": "Do not treat today; contact the physician today.",
    "soon": "Refer for review within days to weeks.",
    "caution": "Treat, with the changes listed.",
}

# The tables shown on the vocabulary page, in order, with their headings.
VOCABULARY_TABLES: tuple[tuple[str, str], ...] = (
    ("pressure_levels", "Pressure scale"),
    ("body_regions", "Body regions"),
    ("medication_classes", "Medication classes"),
    ("history_items", "History items"),
    ("findings", "Findings"),
    ("interventions", "Interventions named in evidence"),
    ("adverse_effect_types", "Side effects recorded at visits"),
    ("invalid_icd10cm_codes", "ICD-10-CM codes that must not be used"),
)


def label(code: str | None) -> str:
    """The words for a data-file code; unknown codes are shown readably rather than hidden."""
    if code is None:
        return "Not graded"
    return LABELS.get(code, code.replace("_", " ").capitalize())


def pressure_scale(knowledge: Knowledge) -> list[PressureLevel]:
    return sorted(knowledge.pressure_levels.values(), key=lambda level: level.level)


def pressure_text(knowledge: Knowledge, level: int) -> str:
    return f"level {level} ({knowledge.pressure_level(level).name.lower()})"


def region_name(knowledge: Knowledge, region_id: str) -> str:
    if region_id == AFFECTED_REGION:
        return "the affected area recorded on the body chart"
    return knowledge.body_regions[region_id].name.lower()


def trigger_text(knowledge: Knowledge, trigger: Trigger) -> str:
    """E.g. "Medicine: Anticoagulant" or "Answer “yes” to: Do you have ...?"."""
    entry = getattr(knowledge, TRIGGER_TABLES[trigger.kind])[trigger.value]
    name = entry.question if isinstance(entry, RedFlag) else entry.name
    return f"{label(trigger.kind)}: {name}"


def effect_text(knowledge: Knowledge, effect: Effect) -> str:
    """One effect of a rule as a sentence, without its advice."""
    where = f" on {region_name(knowledge, effect.region)}" if effect.region else ""
    if effect.kind == "defer":
        return "Defer the session."
    if effect.kind == "avoid_region":
        return f"Do not work on {region_name(knowledge, effect.region or '')}."
    if effect.kind == "cap_pressure":
        return (
            f"Pressure no higher than {pressure_text(knowledge, effect.max_pressure or 1)}{where}."
        )
    if effect.kind == "avoid_technique":
        technique = knowledge.techniques[effect.technique or ""].name
        return f"No {technique.lower()}{where}."
    if effect.kind == "positioning":
        return "Positioning:"
    return "Advice:"


@dataclass(frozen=True)
class RedFlagGroup:
    group: str
    title: str
    flags: list[RedFlag]


def red_flag_groups(knowledge: Knowledge) -> list[RedFlagGroup]:
    """Red flags grouped by what they may signal, in file order."""
    groups: dict[str, list[RedFlag]] = {}
    for flag in knowledge.red_flags.values():
        groups.setdefault(flag.group, []).append(flag)
    return [RedFlagGroup(group, label(group), flags) for group, flags in groups.items()]


def rules_limiting(knowledge: Knowledge, technique_id: str) -> list[ContraindicationRule]:
    """Rules with an effect that avoids this technique."""
    return [
        rule
        for rule in knowledge.rules.values()
        if any(effect.technique == technique_id for effect in rule.effects)
    ]


def evidence_about(knowledge: Knowledge, intervention_id: str) -> list[EvidenceStatement]:
    return [e for e in knowledge.evidence.values() if e.intervention == intervention_id]


def instrument_names() -> dict[str, str]:
    """Outcome-measure ids to their short names, from the instrument files."""
    return {key: instrument.short_name for key, instrument in load_instruments().items()}


def entry_url(table: str, entry_id: str, knowledge: Knowledge) -> str:
    """The library page that shows this entry (with an anchor where it is one of many)."""
    if table == "conditions":
        return reverse("knowledge:condition", args=[entry_id])
    if table == "techniques":
        return reverse("knowledge:technique", args=[entry_id])
    if table == "rules":
        return reverse("knowledge:rule", args=[entry_id])
    if table == "handouts":
        return reverse("knowledge:handout", args=[knowledge.handouts[entry_id].condition])
    if table == "plans":
        condition = knowledge.plans[entry_id].condition
        return reverse("knowledge:condition", args=[condition]) + "#plan"
    if table == "evidence":
        return reverse("knowledge:evidence") + f"#evidence-{entry_id}"
    if table == "red_flags":
        return reverse("knowledge:red_flags") + f"#flag-{entry_id}"
    if table == "sources":
        return reverse("knowledge:sources") + f"#source-{entry_id}"
    return reverse("knowledge:vocabulary") + f"#{table}-{entry_id}"


def all_entries(knowledge: Knowledge) -> Iterator[tuple[str, str]]:
    """(table, id) for every entry in the knowledge base."""
    for table in knowledge.counts():
        for entry_id in getattr(knowledge, table):
            yield table, entry_id
