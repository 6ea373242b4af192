"""The ``kneadwell knowledge`` command line: ``kneadwell knowledge check [--data-dir DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kneadwell.knowledge.loader import check, load_knowledge

# Tables shown in the one-line summary, with the word used for them.
_SUMMARY = (
    ("conditions", "conditions"),
    ("techniques", "techniques"),
    ("evidence", "evidence statements"),
    ("red_flags", "red flags"),
    ("rules", "rules"),
    ("plans", "plan templates"),
    ("handouts", "handouts"),
    ("sources", "sources"),
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``knowledge`` command and its actions to the main parser's subparsers."""
    knowledge = sub.add_parser(
        "knowledge",
        help="Work with the clinical knowledge base.",
        description="Work with the clinical knowledge base (conditions, evidence, safety rules).",
    )
    actions = knowledge.add_subparsers(dest="knowledge_action", metavar="ACTION", required=True)
    check_parser = actions.add_parser(
        "check",
        help="Validate every knowledge file and report what is wrong.",
        description="Validate every knowledge file; on problems, name the file, entry and field.",
    )
    check_parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="Check the YAML files in DIR instead of the built-in knowledge base.",
    )
    check_parser.set_defaults(func=handle_check)


def handle_check(args: argparse.Namespace) -> int:
    problems = check(args.data_dir)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"knowledge: {len(problems)} problem(s) found", file=sys.stderr)
        return 1
    counts = load_knowledge(args.data_dir).counts()
    summary = ", ".join(f"{counts[table]} {word}" for table, word in _SUMMARY)
    print(f"knowledge: OK ({summary})")
    return 0
