"""The clinic export the owner starts from a web page, run by the background worker. The zip
waits in `<data dir>/exports/<clinic>/` (owner-only permissions) until it is downloaded once."""

from __future__ import annotations

import secrets
import shutil
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


def start_export(clinic, user) -> str:
    """Queue the export; its token names the file it will become."""
    token = secrets.token_urlsafe(16)
    export_for_download(clinic.pk, user.pk, token)
    return token


def ready(clinic_id: int) -> list[str]:
    """Tokens of the finished exports waiting to be downloaded."""
    return sorted(p.stem for p in exports_dir(clinic_id).glob("*.zip"))


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
    log_export(clinic, User.objects.filter(pk=user_id).first(), Channel.UI)
