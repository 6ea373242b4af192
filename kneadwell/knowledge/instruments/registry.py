"""Loads the instrument files in instruments/*.yaml, validates them once, and checks a clinic's
licensed item text against an instrument's structure before it is imported."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kneadwell.knowledge.instruments.schema import Instrument, LicensedText

INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "data" / "instruments"


class UnknownInstrument(KeyError):
    """No instrument has this id."""

    def __str__(self) -> str:
        return str(self.args[0])


class LicensedTextError(ValueError):
    """A clinic's licensed text does not fit the instrument it claims to be."""

    def __init__(self, instrument_id: str, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(
            f"Licensed text for {instrument_id!r} does not fit the instrument:\n{lines}"
        )


def load_file(path: Path) -> Instrument:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    if instrument.id != path.stem:
        raise ValueError(f"{path.name}: id {instrument.id!r} must match the file name")
    return instrument


@functools.cache
def load_instruments() -> dict[str, Instrument]:
    """Every shipped instrument by id, validated. Cached: the files do not change at run time."""
    return {p.stem: load_file(p) for p in sorted(INSTRUMENTS_DIR.glob("*.yaml"))}


def get_instrument(instrument_id: str) -> Instrument:
    try:
        return load_instruments()[instrument_id]
    except KeyError:
        known = ", ".join(sorted(load_instruments()))
        raise UnknownInstrument(
            f"Unknown instrument {instrument_id!r}; known instruments: {known}"
        ) from None


def validate_licensed_text(
    instrument: Instrument | str, data: Mapping[str, Any] | str | bytes
) -> LicensedText:
    """Check a clinic's licensed wording (a parsed mapping, or YAML/JSON text) against the
    instrument's structure: same id and version, every item present once with its text, and
    one option label per option. Raises LicensedTextError listing every problem."""
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    if isinstance(data, str | bytes):
        try:
            data = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            raise LicensedTextError(instrument.id, [f"not valid YAML or JSON: {exc}"]) from exc
    if not isinstance(data, Mapping):
        raise LicensedTextError(instrument.id, ["the file must contain a mapping at the top"])
    try:
        text = LicensedText.model_validate(dict(data))
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}"
            for err in exc.errors()
        ]
        raise LicensedTextError(instrument.id, problems) from exc

    problems = _structure_problems(instrument, text)
    if problems:
        raise LicensedTextError(instrument.id, problems)
    return text


def _structure_problems(instrument: Instrument, text: LicensedText) -> list[str]:
    problems = []
    if text.instrument != instrument.id:
        problems.append(f"instrument is {text.instrument!r}, expected {instrument.id!r}")
    if text.version != instrument.version:
        problems.append(f"version is {text.version!r}, expected {instrument.version!r}")

    seen: set[str] = set()
    for item in text.items:
        spec = instrument.item(item.id)
        if spec is None:
            problems.append(f"item {item.id}: not an item of {instrument.short_name}")
            continue
        if item.id in seen:
            problems.append(f"item {item.id}: appears more than once")
        seen.add(item.id)
        if not item.text.strip():
            problems.append(f"item {item.id}: text is empty")
        if spec.kind == "choice":
            if len(item.options) != len(spec.options):
                problems.append(
                    f"item {item.id}: has {len(item.options)} option labels, "
                    f"expected {len(spec.options)}"
                )
            elif any(not label.strip() for label in item.options):
                problems.append(f"item {item.id}: an option label is empty")
        elif item.options:
            problems.append(f"item {item.id}: is a {spec.kind} item and takes no option labels")
        if item.anchors:
            if spec.kind != "scale":
                problems.append(f"item {item.id}: only scale items take anchors")
            else:
                off = [k for k in item.anchors if not spec.min <= k <= spec.max]
                if off:
                    problems.append(
                        f"item {item.id}: anchors {off} are outside {spec.min}–{spec.max}"
                    )
    missing = [i.id for i in instrument.items if i.id not in seen]
    if missing:
        problems.append(f"items missing: {', '.join(missing)}")
    return problems


def licensed_text_template(instrument: Instrument | str) -> str:
    """A JSON skeleton a clinic fills in with the wording it licensed."""
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    skeleton = {
        "instrument": instrument.id,
        "version": instrument.version,
        "licence": "",
        "copyright_notice": instrument.copyright_notice or "",
        "items": [
            {"id": i.id, "text": "", "options": [""] * len(i.options)}
            if i.kind == "choice"
            else {"id": i.id, "text": ""}
            for i in instrument.items
        ],
    }
    return json.dumps(skeleton, indent=2, ensure_ascii=False)
