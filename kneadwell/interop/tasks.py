"""The clinic export the owner starts from a web page, run by the background worker. The zip
waits in `<data dir>/exports/<clinic>/` (owner-only permissions) until it is downloaded once."""

from __future__ import annotations

import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from huey.contrib.djhuey import db_task

from kneadwell.accounts.models import Clinic, User
from kneadwell.audit.models import Channel
from kneadwell.interop.export import archive, export_clinic, log_export

TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def exports_dir(clinic_id: int) -> Path:
    path = Path(settings.DATA_DIR) / "exports" / str(clinic_id)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


# An export still marked as being written after this long was lost (the worker stopped).
PENDING_HOURS = 6


def _pending_marks(clinic_id: int) -> list[Path]:
    """The marks of exports queued or being written (a file `.<token>.pending` each)."""
    marks = []
    for mark in exports_dir(clinic_id).glob(".*.pending"):
        if time.time() - mark.stat().st_mtime > PENDING_HOURS * 3600:
            mark.unlink(missing_ok=True)
        else:
            marks.append(mark)
    return marks


def in_progress(clinic_id: int) -> datetime | None:
    """When the export being written started, or None: one export at a time per clinic."""
    marks = _pending_marks(clinic_id)
    if not marks:
        return None
    return datetime.fromtimestamp(min(m.stat().st_mtime for m in marks), tz=UTC)


def start_export(clinic, user) -> str | None:
    """Queue the export; its token names the file it will become. None while another export of
    the clinic is still being written (a second press starts nothing)."""
    if in_progress(clinic.pk) is not None:
        return None
    token = secrets.token_urlsafe(16)
    (exports_dir(clinic.pk) / f".{token}.pending").touch(mode=0o600)
    export_for_download(clinic.pk, user.pk, token)
    return token


@dataclass(frozen=True)
class Ready:
    token: str
    written_at: datetime
    size: int


def waiting(clinic_id: int) -> list[Ready]:
    """The finished exports waiting to be downloaded, oldest first, with when and how big."""
    found = []
    for path in exports_dir(clinic_id).glob("*.zip"):
        stat = path.stat()
        written = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
        found.append(Ready(path.stem, written, stat.st_size))
    return sorted(found, key=lambda r: (r.written_at, r.token))


def take(clinic_id: int, token: str) -> bytes | None:
    """The export's zip, deleted as it is handed over (offered once); None if there is none."""
    if not token or not set(token) <= TOKEN_CHARS:
        return None
    path = exports_dir(clinic_id) / f"{token}.zip"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    return content


@db_task()
def export_for_download(clinic_id: int, user_id: int, token: str) -> None:
    clinic = Clinic.objects.get(pk=clinic_id)
    work = exports_dir(clinic_id) / f".{token}"
    try:
        export_clinic(clinic, work)
        zipped = archive(work)
        zipped.chmod(0o600)
        zipped.rename(exports_dir(clinic_id) / f"{token}.zip")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        (exports_dir(clinic_id) / f".{token}.pending").unlink(missing_ok=True)
    log_export(clinic, User.objects.filter(pk=user_id).first(), Channel.UI)
