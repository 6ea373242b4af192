"""Taking a clinic's records out: FHIR R4 NDJSON in the Bulk Data layout (one file per resource
type and a manifest), the issued PDFs as they went out, each client's signed notes as a PDF, and
a SHA256SUMS file. Resource ids are numbered within the export, so the same records give the
same files in any installation. `import_directory` reads such a directory back."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from kneadwell.accounts.models import User
from kneadwell.audit.models import AccessLogEntry, Action, Channel
from kneadwell.interop import importer, restore
from kneadwell.interop.bundle import (
    TYPES,
    Ids,
    client_resources,
    clinic_resources,
    practitioner_resource,
)
from kneadwell.reports import documents
from kneadwell.visits.models import VisitStatus

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


class ExportError(Exception):
    """The directory cannot take an export (it exists and is not empty)."""


def export_clinic(
    clinic, to: Path, *, progress: Callable[[int, int], None] | None = None, notes: bool = True
):
    """Write everything of `clinic` into the directory `to` (created; must be empty). Files are
    readable by the owner only. `notes=False` leaves out the signed notes' PDFs (the slow part).
    Returns the manifest."""
    to = Path(to)
    if to.exists() and any(to.iterdir()):
        raise ExportError(f"{to} is not empty; export into a new directory.")
    (to / "documents").mkdir(parents=True, exist_ok=True, mode=0o700)
    (to / "notes").mkdir(exist_ok=True, mode=0o700)
    os.chmod(to, 0o700)
    ids = Ids(ordinal=True)
    lines: dict[str, list[str]] = {kind: [] for kind in TYPES}
    members = [
        m.user for m in clinic.memberships.select_related("user").order_by("user__email")
    ]  # fmt: skip
    named: set = set()  # people the records name (a former colleague, say)
    for resource in clinic_resources(clinic, ids, members, named):
        lines[resource["resourceType"]].append(_line(resource))
    practitioners: set = {user.pk for user in members}
    clients = list(clinic.clients.order_by("pk"))
    for number, client in enumerate(clients, start=1):

        def url(issued):
            return f"documents/{ids('DocumentReference', issued.pk)}.pdf"

        for resource in client_resources(
            client, ids, practitioners=practitioners, clinic_done=True, document_url=url,
            full=True, named=named,
        ):  # fmt: skip
            lines[resource["resourceType"]].append(_line(resource))
        for issued in client.issued_documents.order_by("issued_at", "id"):
            _write(to / url(issued), issued.content())
        signed = client.visits.filter(status=VisitStatus.SIGNED)
        if notes and signed.exists():
            pdf = documents.visit_notes(client, signed).pdf(clinic)
            _write(to / "notes" / f"{ids('Patient', client.pk)}.pdf", pdf)
        if progress is not None:
            progress(number, len(clients))
    for user in User.objects.filter(pk__in=named - practitioners).order_by("email"):
        lines["Practitioner"].append(_line(practitioner_resource(user, ids, clinic)))
    output = []
    for kind in TYPES:
        if lines[kind]:
            _write(to / f"{kind}.ndjson", ("\n".join(lines[kind]) + "\n").encode())
            output.append({"type": kind, "url": f"{kind}.ndjson", "count": len(lines[kind])})
    manifest = {
        "transactionTime": timezone.now().isoformat(),
        "request": f"kneadwell export --clinic {clinic.name}",
        "requiresAccessToken": False,
        "output": output,
        "error": [],
    }
    _write(to / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    _write(to / CHECKSUMS, checksums(to).encode())
    return manifest


def checksums(directory: Path) -> str:
    """`sha256sum`-style lines for every file but the checksums and the manifest (whose
    transaction time differs on every export), sorted by path."""
    rows = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        name = path.relative_to(directory).as_posix()
        if name in (CHECKSUMS, MANIFEST):
            continue
        rows.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}\n")
    return "".join(rows)


def verify(directory: Path) -> list[str]:
    """Files whose checksum does not match SHA256SUMS (empty when the export is intact)."""
    directory = Path(directory)
    expected = (directory / CHECKSUMS).read_text().splitlines()
    actual = set(checksums(directory).splitlines())
    return [line.split("  ", 1)[1] for line in expected if line not in actual]


def import_directory(directory: Path, clinic, by, *, progress=None) -> list:
    """Read an export back into `clinic` (a new one, without clients): every resource the
    export writes (restore.py), all or nothing. Returns the clients."""
    directory = Path(directory)
    broken = verify(directory)
    if broken:
        raise importer.ImportRefused([f"{name}: its checksum does not match" for name in broken])
    found = restore.load_directory(directory)
    return restore.restore(directory, found, clinic, by, progress=progress)


def log_export(clinic, user, channel: str = Channel.CLI, address=None) -> None:
    """One access-log entry per client taken out (the export holds every client's record)."""
    now = timezone.now()
    AccessLogEntry.extend(
        [
            AccessLogEntry(
                at=now,
                clinic_id=clinic.pk,
                user_id=getattr(user, "pk", None),
                user_email=getattr(user, "email", ""),
                client_id=pk,
                action=Action.EXPORT,
                what="clinic export (FHIR and PDFs)",
                channel=channel,
                address=address,
            )  # fmt: skip
            for pk in clinic.clients.order_by("pk").values_list("pk", flat=True)
        ]
    )


def _line(resource: dict) -> str:
    return json.dumps(resource, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(content)


def archive(directory: Path) -> Path:
    """The export as one zip file beside it (for a download)."""
    return Path(shutil.make_archive(str(directory), "zip", root_dir=directory))
