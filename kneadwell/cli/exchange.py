"""`kneadwell export --clinic NAME --to DIR` and `kneadwell import DIR --as EMAIL`: a clinic's
records out as FHIR NDJSON (Bulk Data layout) with its PDFs and checksums, and back in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kneadwell.cli.base import setup_django


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="Write a clinic's records as FHIR NDJSON with its PDFs and checksums.",
        description="One NDJSON file per FHIR resource type, a manifest, the issued PDFs, each "
        "client's signed notes as a PDF, and SHA256SUMS. The directory must be new or empty.",
    )
    p.add_argument("--clinic", required=True, help="The clinic's name.")
    p.add_argument("--to", required=True, type=Path, help="The directory to write.")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser(
        "import",
        help="Read an export back into an empty clinic: everything the export holds.",
        description="Checks every checksum and every resource first; any problem imports "
        "nothing. Create the owner first, with the email they had in the old clinic.",
    )
    p.add_argument("directory", type=Path, help="A directory written by `kneadwell export`.")
    p.add_argument("--as", dest="user", required=True, help="Email of the person importing.")
    p.set_defaults(func=cmd_import)


def progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} clients", end=end,
          file=sys.stderr, flush=True)  # fmt: skip


def cmd_export(args) -> int:
    setup_django()
    from kneadwell.accounts.models import Clinic
    from kneadwell.interop.export import ExportError, export_clinic, log_export

    clinic = Clinic.objects.filter(name=args.clinic).first()
    if clinic is None:
        print(f"No clinic is called {args.clinic!r}.", file=sys.stderr)
        return 2
    try:
        manifest = export_clinic(clinic, args.to, progress=progress_bar)
    except ExportError as error:
        print(error, file=sys.stderr)
        return 2
    log_export(clinic, None)
    counts = ", ".join(f"{o['count']} {o['type']}" for o in manifest["output"])
    print(f"Exported {clinic} to {args.to}: {counts}.")
    return 0


def cmd_import(args) -> int:
    setup_django()
    from kneadwell.accounts.models import User
    from kneadwell.interop.export import import_directory
    from kneadwell.interop.importer import ImportRefused

    user = User.objects.filter(email=args.user.lower(), is_active=True).first()
    if user is None or not hasattr(user, "membership"):
        print(f"No active person signs in as {args.user}.", file=sys.stderr)
        return 2
    try:
        clients = import_directory(
            args.directory, user.membership.clinic, user, progress=progress_bar
        )
    except ImportRefused as refused:
        print("Nothing was imported:", file=sys.stderr)
        for problem in refused.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    except FileNotFoundError as missing:
        print(f"Nothing was imported: {missing.filename} is missing.", file=sys.stderr)
        return 1
    print(f"Imported {len(clients)} clients into {user.membership.clinic}.")
    return 0
