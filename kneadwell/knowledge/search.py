"""Search across the library: every word of the query must appear in an entry's text.

The knowledge base is a few hundred entries held in memory, so a plain scan is fast enough and
needs no index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kneadwell.knowledge.loader import Knowledge
from kneadwell.knowledge.schema import Entry

# Tables in the order results are shown, with their section headings.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("conditions", "Conditions"),
    ("techniques", "Techniques"),
    ("evidence", "Evidence and popular claims"),
    ("red_flags", "Red flags"),
    ("rules", "Safety rules"),
    ("tiers", "Urgency tiers"),
    ("plans", "Plan templates"),
    ("handouts", "Client handouts"),
    ("sources", "Sources"),
    ("pressure_levels", "Pressure scale"),
    ("body_regions", "Body regions"),
    ("medication_classes", "Medication classes"),
    ("history_items", "History items"),
    ("findings", "Findings"),
    ("interventions", "Interventions"),
    ("positions", "Client positions"),
    ("invalid_icd10cm_codes", "ICD-10-CM codes that must not be used"),
)

# Fields that hold ids or codes rather than words a reader would search for.
_NOT_TEXT = {
    "id",
    "sources",
    "verification",
    "kind",
    "basis",
    "direction",
    "certainty",
    "grade",
    "status",
    "view",
    "parent",
    "condition",
    "intervention",
    "technique",
    "region",
    "value",
    "group",
    "applies_to",
    "tier",
    "options",
    "keywords",
    "patterns",
    "positions",
    "must_include",
    "certainty_to",
}
EXCERPT_LENGTH = 160


@dataclass(frozen=True)
class Hit:
    table: str
    entry_id: str
    title: str
    excerpt: str


def search(knowledge: Knowledge, query: str) -> list[Hit]:
    """Entries whose text contains every word of ``query`` (any case), grouped by section."""
    words = query.lower().split()
    if not words:
        return []
    hits = []
    for table, _heading in SECTIONS:
        for entry in getattr(knowledge, table).values():
            texts = list(_texts(entry.model_dump()))
            blob = " ".join(texts).lower()
            if all(word in blob for word in words):
                hits.append(
                    Hit(table, entry.id, title_of(knowledge, entry), _excerpt(texts, words))
                )
    return hits


def title_of(knowledge: Knowledge, entry: Entry) -> str:
    """The words that name an entry in lists and search results."""
    data = entry.model_dump()
    if "condition" in data and "role" in data:  # a plan template
        return f"Plan template: {knowledge.conditions[data['condition']].name}"
    if "outcome" in data:  # an evidence statement or claim
        return data["outcome"]
    for field in ("name", "title", "question", "citation", "code"):
        if field in data:
            return str(data[field])
    return entry.id


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _excerpt(texts: list[str], words: list[str]) -> str:
    """The first piece of text with a query word in it, shortened around the word."""
    for text in texts:
        at = text.lower().find(words[0])
        if at >= 0:
            break
    else:
        return ""
    if len(text) <= EXCERPT_LENGTH:
        return text
    start = max(0, at - EXCERPT_LENGTH // 3)
    excerpt = text[start : start + EXCERPT_LENGTH].strip()
    return ("…" if start else "") + excerpt + ("…" if start + EXCERPT_LENGTH < len(text) else "")
