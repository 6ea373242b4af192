"""The `kneadwell outcomes rebuild [--clinic ID]` command: recompute the course summary that the
outcomes page reads, after records were written straight into the database."""

from __future__ import annotations

import argparse
import sys
import time

from kneadwell.cli.base import setup_django


def register(sub: argparse._SubParsersAction) -> None:
    """Add the outcomes command to the top-level `kneadwell` subparsers."""
    outcomes = sub.add_parser(
        "outcomes",
        help="The outcomes page's course summary.",
        description="The summary of every course of care that the outcomes page reads.",
    )
    actions = outcomes.add_subparsers(dest="outcomes_action", metavar="ACTION", required=True)
    rebuild = actions.add_parser(
        "rebuild",
        help="Recompute every course from the records (after an import or a restore).",
        description=(
            "Recompute the course summary from the plans, signed visits, scores and discharges. "
            "The page keeps it current by itself; this is for records written around it."
        ),
    )
    rebuild.add_argument("--clinic", type=int, help="Only this clinic (its number).")
    rebuild.set_defaults(func=rebuild_summary)


def rebuild_summary(args) -> int:
    setup_django()
    from kneadwell.accounts.models import Clinic
    from kneadwell.analytics.refresh import rebuild

    clinics = Clinic.objects.order_by("pk")
    if args.clinic is not None:
        clinics = clinics.filter(pk=args.clinic)
        if not clinics.exists():
            print(f"No clinic number {args.clinic}.", file=sys.stderr)
            return 2
    for clinic in clinics:
        started = time.monotonic()
        clients = rebuild(clinic.pk)
        seconds = time.monotonic() - started
        print(f"{clinic} (#{clinic.pk}): {clients} clients' courses recomputed in {seconds:.1f} s.")
    return 0
