"""The `kneadwell instruments ...` and `kneadwell score ...` commands. Django-free except
`instruments load`, which stores a clinic's licensed wording in the database."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kneadwell.cli.base import setup_django
from kneadwell.interop.fhir import questionnaire
from kneadwell.knowledge.instruments.registry import (
    UnknownInstrument,
    get_instrument,
    load_instruments,
)
from kneadwell.knowledge.instruments.scoring import AnswerError, score


def register(sub: argparse._SubParsersAction) -> None:
    """Add the instrument commands to the top-level `kneadwell` subparsers."""
    instruments = sub.add_parser(
        "instruments",
        help="The outcome measures: list them, export them as FHIR.",
        description="The outcome-measure instruments Kneadwell ships.",
    )
    commands = instruments.add_subparsers(
        dest="instruments_command", metavar="ACTION", required=True
    )

    listing = commands.add_parser(
        "list", help="Print each instrument id with its name.", description="Print each id."
    )
    listing.set_defaults(func=list_instruments)

    fhir = commands.add_parser(
        "fhir",
        help="Print an instrument as a FHIR R4 Questionnaire.",
        description="Print an instrument as FHIR R4 Questionnaire JSON (no licensed wording).",
    )
    fhir.add_argument("instrument", metavar="INSTRUMENT", help="Instrument id, e.g. odi.")
    fhir.set_defaults(func=print_questionnaire)
    load = commands.add_parser(
        "load",
        help="Import a clinic's licensed wording for an instrument.",
        description=(
            "Check a clinic's licensed item text (YAML or JSON) against the instrument's "
            "structure and store it for that clinic. Exits 2 naming every problem."
        ),
    )
    load.add_argument("file", metavar="FILE", help="The licensed text, YAML or JSON.")
    load.add_argument("--clinic", required=True, help="The clinic's name, exactly.")
    load.set_defaults(func=load_licensed_text)

    scoring = sub.add_parser(
        "score",
        help="Score one response and print the result as JSON.",
        description=(
            "Score answers exactly as the instrument's authors publish. Exits 2 with a message "
            "on standard error when the answers are invalid."
        ),
    )
    scoring.add_argument("instrument", metavar="INSTRUMENT", help="Instrument id, e.g. odi.")
    scoring.add_argument(
        "--answers",
        required=True,
        metavar="JSON",
        help='Object from item id to value, e.g. \'{"1": 3, "2": 1}\'; leave missing answers out.',
    )
    scoring.add_argument("--rule", help="Missing-item rule id (default: the instrument's).")
    scoring.add_argument(
        "--recall",
        help="NPRS recall period: now, worst_24h, average_24h or average_week.",
    )
    scoring.add_argument(
        "--activities",
        metavar="JSON",
        help='PSFS activities by item id, e.g. \'{"1": "Gardening"}\'.',
    )
    scoring.set_defaults(func=score_answers)


def list_instruments(args: argparse.Namespace) -> int:
    for instrument_id, instrument in load_instruments().items():
        print(f"{instrument_id}\t{instrument.name}")
    return 0


def print_questionnaire(args: argparse.Namespace) -> int:
    try:
        instrument = get_instrument(args.instrument)
    except UnknownInstrument as exc:
        return _fail(str(exc))
    print(json.dumps(questionnaire(instrument), indent=2, ensure_ascii=False))
    return 0


def load_licensed_text(args: argparse.Namespace) -> int:
    setup_django()
    # Imported after setup: the other commands work without Django or a database.
    from kneadwell.accounts.models import Clinic
    from kneadwell.knowledge.instruments.registry import LicensedTextError
    from kneadwell.measures.models import LicensedText

    try:
        with open(args.file, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return _fail(f"cannot read {args.file}: {exc.strerror}")
    clinic = Clinic.objects.filter(name=args.clinic).first()
    if clinic is None:
        return _fail(f"no clinic is named {args.clinic!r}")
    try:
        record = LicensedText.install(clinic, data)
    except (LicensedTextError, UnknownInstrument) as exc:
        return _fail(f"{args.file}: {exc}")
    instrument = get_instrument(record.instrument)
    print(
        f"Loaded the licensed wording of {instrument.short_name} {record.version} "
        f"for {clinic} ({len(record.content['items'])} items)."
    )
    return 0


def score_answers(args: argparse.Namespace) -> int:
    try:
        answers = _json_object(args.answers, "--answers")
        context: dict[str, Any] = {}
        if args.recall is not None:
            context["recall"] = args.recall
        if args.activities is not None:
            context["activities"] = _json_object(args.activities, "--activities")
        result = score(args.instrument, answers, rule=args.rule, **context)
    except (AnswerError, UnknownInstrument) as exc:
        return _fail(str(exc))
    print(json.dumps(result.display(), ensure_ascii=False))
    return 0


def _json_object(text: str, option: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswerError(f"{option} is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise AnswerError(f"{option} must be a JSON object from item id to value")
    return value


def _fail(message: str) -> int:
    print(f"kneadwell: {message}", file=sys.stderr)
    return 2
