"""Load the knowledge base from ``data/*.yaml``, validate it and check its cross-references.

``load_knowledge()`` returns a frozen ``Knowledge`` or raises ``KnowledgeError``; ``check()``
returns every problem as a list of messages that name the file, the entry and the field.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.schema import (
    ALL_CONDITIONS,
    BodyRegion,
    Condition,
    ContraindicationRule,
    Entry,
    EvidenceStatement,
    Handout,
    InvalidCode,
    PlanTemplate,
    PressureLevel,
    RedFlag,
    Source,
    Technique,
    VocabularyItem,
)

T = TypeVar("T", bound=BaseModel)

# The C loader is about ten times faster; both are safe loaders.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_DATA_DIR = Path(__file__).parent / "data"

# table name -> (file, section inside the file or None for a top-level list, model)
TABLES: dict[str, tuple[str, str | None, type[Entry]]] = {
    "sources": ("sources.yaml", None, Source),
    "medication_classes": ("vocabulary.yaml", "medication_classes", VocabularyItem),
    "history_items": ("vocabulary.yaml", "history_items", VocabularyItem),
    "findings": ("vocabulary.yaml", "findings", VocabularyItem),
    "interventions": ("vocabulary.yaml", "interventions", VocabularyItem),
    "adverse_effect_types": ("vocabulary.yaml", "adverse_effect_types", VocabularyItem),
    "invalid_icd10cm_codes": ("vocabulary.yaml", "invalid_icd10cm_codes", InvalidCode),
    "pressure_levels": ("pressure_levels.yaml", None, PressureLevel),
    "body_regions": ("body_regions.yaml", None, BodyRegion),
    "conditions": ("conditions.yaml", None, Condition),
    "techniques": ("techniques.yaml", None, Technique),
    "evidence": ("evidence.yaml", None, EvidenceStatement),
    "red_flags": ("red_flags.yaml", None, RedFlag),
    "rules": ("rules.yaml", None, ContraindicationRule),
    "plans": ("plans.yaml", None, PlanTemplate),
    "handouts": ("handouts.yaml", None, Handout),
}


class KnowledgeError(Exception):
    """The knowledge files are invalid. The message lists every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Knowledge:
    """The whole knowledge base, each table a read-only mapping from id to entry."""

    sources: Mapping[str, Source]
    medication_classes: Mapping[str, VocabularyItem]
    history_items: Mapping[str, VocabularyItem]
    findings: Mapping[str, VocabularyItem]
    interventions: Mapping[str, VocabularyItem]
    adverse_effect_types: Mapping[str, VocabularyItem]
    invalid_icd10cm_codes: Mapping[str, InvalidCode]
    pressure_levels: Mapping[str, PressureLevel]
    body_regions: Mapping[str, BodyRegion]
    conditions: Mapping[str, Condition]
    techniques: Mapping[str, Technique]
    evidence: Mapping[str, EvidenceStatement]
    red_flags: Mapping[str, RedFlag]
    rules: Mapping[str, ContraindicationRule]
    plans: Mapping[str, PlanTemplate]
    handouts: Mapping[str, Handout]

    def pressure_level(self, level: int) -> PressureLevel:
        """The pressure level with this number (1 to 5)."""
        return next(p for p in self.pressure_levels.values() if p.level == level)

    def evidence_for(self, condition_id: str) -> list[EvidenceStatement]:
        """Evidence statements about one condition, in file order."""
        return [e for e in self.evidence.values() if e.condition == condition_id]

    def claims(self) -> list[EvidenceStatement]:
        """The popular claims and how the evidence grades them."""
        return [e for e in self.evidence.values() if e.kind == "claim"]

    def red_flags_for(self, condition_id: str, *, every_visit: bool = False) -> list[RedFlag]:
        """Red flags to ask a client with this condition; every_visit=True: the re-screen set."""
        flags = [
            flag
            for flag in self.red_flags.values()
            if flag.applies_to == ALL_CONDITIONS or condition_id in flag.applies_to
        ]
        return [flag for flag in flags if flag.every_visit] if every_visit else flags

    def rules_triggered_by(self, kind: str, value: str) -> list[ContraindicationRule]:
        """Rules with exactly this trigger, e.g. ("medication_class", "anticoagulant")."""
        return [
            rule
            for rule in self.rules.values()
            if rule.trigger.kind == kind and rule.trigger.value == value
        ]

    def plan_for(self, condition_id: str) -> PlanTemplate | None:
        return next((p for p in self.plans.values() if p.condition == condition_id), None)

    def handout_for(self, condition_id: str) -> Handout | None:
        return next((h for h in self.handouts.values() if h.condition == condition_id), None)

    def region_and_descendants(self, region_id: str) -> set[str]:
        """The region and every region inside it (e.g. leg_left -> calf_left, foot_left, ...)."""
        found = {region_id}
        changed = True
        while changed:
            inside = {r.id for r in self.body_regions.values() if r.parent in found}
            changed = not inside <= found
            found |= inside
        return found

    def counts(self) -> dict[str, int]:
        return {table: len(getattr(self, table)) for table in TABLES}


def load_knowledge(data_dir: Path | str | None = None) -> Knowledge:
    """Load and validate the knowledge base; the default directory is read only once."""
    if data_dir is None:
        return _load_default()
    return _load(Path(data_dir))


@functools.lru_cache(maxsize=1)
def _load_default() -> Knowledge:
    return _load(DEFAULT_DATA_DIR)


def check(data_dir: Path | str | None = None) -> list[str]:
    """Every problem in the knowledge files, or an empty list. Never uses the cache."""
    _, problems = _read_and_check(Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR)
    return problems


def _load(data_dir: Path) -> Knowledge:
    knowledge, problems = _read_and_check(data_dir)
    if problems:
        raise KnowledgeError(problems)
    assert knowledge is not None
    return knowledge


def _read_and_check(data_dir: Path) -> tuple[Knowledge | None, list[str]]:
    problems: list[str] = []
    raw_files: dict[str, Any] = {}
    tables: dict[str, dict[str, Entry]] = {}
    written_ids: dict[str, set[str]] = {}
    for table, (filename, section, model) in TABLES.items():
        if filename not in raw_files:
            raw_files[filename] = _read_yaml(data_dir / filename, problems)
        items = _section(raw_files[filename], filename, section, problems)
        tables[table] = _validate_entries(items, filename, model, problems)
        # Every id written in the file counts as existing, even on an entry that failed
        # validation, so one bad entry is reported once, not at every place that cites it.
        written_ids[table] = {
            item["id"]
            for item in items
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        }

    _check_references(tables, written_ids, problems)
    _check_consistency(tables, problems)
    _check_client_text(tables, problems)
    if problems:
        return None, problems
    frozen = {name: MappingProxyType(entries) for name, entries in tables.items()}
    return Knowledge(**frozen), []


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing from {path.parent}")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.append(f"{path.name}: not valid YAML{where}: {reason}")
    return None


def _section(data: Any, filename: str, section: str | None, problems: list[str]) -> list[Any]:
    if data is None:
        return []
    if section is not None:
        if not isinstance(data, dict):
            problems.append(f"{filename}: expected sections such as '{section}:' at the top")
            return []
        data = data.get(section)
        if data is None:
            problems.append(f"{filename}: section '{section}' is missing")
            return []
    if not isinstance(data, list):
        where = f"section '{section}'" if section else "the file"
        problems.append(f"{filename}: {where} should be a list of entries, each starting '- id:'")
        return []
    return data


def _validate_entries(
    items: list[Any], filename: str, model: type[Entry], problems: list[str]
) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for index, item in enumerate(items):
        label = _entry_label(item, index)
        if not isinstance(item, dict):
            problems.append(f"{filename}: {label}: should be a mapping of fields")
            continue
        try:
            entry = model.model_validate(item)
        except ValidationError as error:
            for detail in error.errors():
                field = _field_path(detail["loc"])
                where = f", field '{field}'" if field else ""
                problems.append(f"{filename}: {label}{where}: {_message(detail)}")
            continue
        if entry.id in entries:
            problems.append(f"{filename}: {label}, field 'id': the id is used twice")
            continue
        entries[entry.id] = entry
    return entries


_TYPE_NAMES = {"str", "int", "bool", "float", "none", "constrained-str", "constrained-int"}


def _entry_label(item: Any, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"entry '{item['id']}'"
    return f"entry at index {index}"


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in part or part in _TYPE_NAMES:
            # pydantic names the union branch or validator it tried; reviewers don't need it
            continue
        else:
            path += f".{part}" if path else part
    return path


def _message(detail: Any) -> str:
    message = str(detail["msg"])
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    if detail["type"] == "extra_forbidden":
        message = "unknown field (check the spelling)"
    elif detail["type"] == "string_pattern_mismatch":
        message = f"'{detail['input']}' is not a valid id (lowercase letters, digits, _ or -)"
    return message


def _where(table: str, entry_id: str, field: str) -> str:
    filename = TABLES[table][0]
    return f"{filename}: entry '{entry_id}', field '{field}'"


def _check_references(
    tables: dict[str, dict[str, Entry]], written_ids: dict[str, set[str]], problems: list[str]
) -> None:
    known: dict[str, set[str]] = {
        name: set(entries) | written_ids[name] for name, entries in tables.items()
    }
    known["instruments"] = set(load_instruments())
    # An intervention is either a named technique or a broader one from the vocabulary.
    known["interventions"] = known["interventions"] | known["techniques"]
    names = {
        "instruments": "instrument",
        "interventions": "intervention",
        **{table: table.removesuffix("s").replace("_", " ") for table in tables},
    }
    names["history_items"] = "history item"
    names["body_regions"] = "body region"
    names["medication_classes"] = "medication class"
    for table, entries in tables.items():
        for entry in entries.values():
            for field, target, value in entry.references():
                if value not in known[target]:
                    problems.append(
                        f"{_where(table, entry.id, field)}: unknown {names[target]} '{value}'"
                    )


def _check_consistency(tables: dict[str, dict[str, Entry]], problems: list[str]) -> None:
    """Checks across entries that a single model cannot make on its own."""
    invalid = {code.code: code for code in _typed(tables["invalid_icd10cm_codes"], InvalidCode)}
    for condition in _typed(tables["conditions"], Condition):
        for index, icd in enumerate(condition.icd10cm):
            if icd.code in invalid:
                problems.append(
                    f"{_where('conditions', condition.id, f'icd10cm[{index}].code')}: "
                    f"'{icd.code}' must not be used: {invalid[icd.code].reason}"
                )

    levels = sorted(level.level for level in _typed(tables["pressure_levels"], PressureLevel))
    if tables["pressure_levels"] and levels != [1, 2, 3, 4, 5]:
        problems.append(f"pressure_levels.yaml: expected levels 1 to 5 once each, found {levels}")

    regions = _typed(tables["body_regions"], BodyRegion)
    by_id = {region.id: region for region in regions}
    for region in regions:
        seen = {region.id}
        parent = region.parent
        while parent in by_id:
            if parent in seen:
                problems.append(f"{_where('body_regions', region.id, 'parent')}: parents loop")
                break
            seen.add(parent)
            parent = by_id[parent].parent

    flags = _typed(tables["red_flags"], RedFlag)
    for condition in _typed(tables["conditions"], Condition):
        if condition.rescreen_every_visit and not any(
            flag.every_visit
            and (flag.applies_to == ALL_CONDITIONS or condition.id in flag.applies_to)
            for flag in flags
        ):
            problems.append(
                f"{_where('conditions', condition.id, 'rescreen_every_visit')}: "
                "no red flag is marked every_visit for this condition"
            )
        for table in ("plans", "handouts"):
            if tables["conditions"] and not any(
                getattr(entry, "condition", None) == condition.id
                for entry in tables[table].values()
            ):
                problems.append(
                    f"{TABLES[table][0]}: no entry for condition '{condition.id}' "
                    f"(every condition needs one)"
                )


def _check_client_text(tables: dict[str, dict[str, Entry]], problems: list[str]) -> None:
    """Client-facing text must not assert a claim the evidence does not support.

    A paragraph or summary marked myth_busting may name the claim in order to correct it.
    """
    claims = [
        claim
        for claim in _typed(tables["evidence"], EvidenceStatement)
        if claim.kind == "claim" and claim.grade != "supported"
    ]
    texts: list[tuple[str, str, str, str]] = []  # (table, entry id, field, text)
    for handout in _typed(tables["handouts"], Handout):
        texts.append(("handouts", handout.id, "title", handout.title))
        for field, paragraph in handout.paragraphs():
            if not paragraph.myth_busting:
                texts.append(("handouts", handout.id, f"{field}.text", paragraph.text))
    for statement in _typed(tables["evidence"], EvidenceStatement):
        if not statement.myth_busting:
            texts.append(("evidence", statement.id, "summary_client", statement.summary_client))
    for flag in _typed(tables["red_flags"], RedFlag):
        texts.append(("red_flags", flag.id, "question", flag.question))
    for table, entry_id, field, text in texts:
        for claim in claims:
            for keyword in claim.keywords:
                if keyword.lower() in text.lower():
                    problems.append(
                        f"{_where(table, entry_id, field)}: client text uses '{keyword}' "
                        f"(claim '{claim.id}', graded {claim.grade}); reword it, or mark the "
                        "paragraph myth_busting if it corrects the claim"
                    )


def _typed(entries: dict[str, Entry], model: type[T]) -> list[T]:
    return [entry for entry in entries.values() if isinstance(entry, model)]
