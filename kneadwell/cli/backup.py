"""`kneadwell backup --to FILE [--encrypt]` and `kneadwell restore FILE`: one file holding a
consistent copy of the SQLite database, the secret key, the access log's key and checkpoints,
and the issued documents; a restore checks the copy before it replaces anything."""

from __future__ import annotations

import argparse
import base64
import getpass
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import sys
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kneadwell.cli.base import setup_django

MAGIC = b"KNEADWELL-BACKUP-ENCRYPTED-1\n"
SALT_BYTES = 16
DATABASE = "kneadwell.sqlite3"
KEPT = ("secret_key", "audit_key", "audit_checkpoints")


class BackupError(Exception):
    """Why a backup or a restore was refused, in words for the operator."""


@dataclass(frozen=True)
class Place:
    """What a backup copies and a restore replaces."""

    data_dir: Path
    database: Path
    secret_key: str
    audit_key: str
    checkpoints: Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add the backup and restore commands to the top-level `kneadwell` subparsers."""
    p = sub.add_parser(
        "backup",
        help="Write a consistent copy of the database, keys and documents to one file.",
        description=(
            "A consistent copy (SQLite's online backup, safe while the server runs) of the "
            "database, the secret key, the access log's key and checkpoints and the issued "
            "documents, in one file readable by you alone. On PostgreSQL use pg_dump."
        ),
    )
    p.add_argument("--to", required=True, type=Path, metavar="FILE", help="The file to write.")
    p.add_argument(
        "--encrypt", action="store_true", help="Encrypt it with a passphrase (asked for)."
    )
    p.add_argument(
        "--passphrase-stdin", action="store_true", help="Read the passphrase from standard input."
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="Check a backup, then put it in place of the data (stop the server first).",
        description=(
            "Checks the backup (the database's integrity, the access log's chain under the "
            "backup's key) before it replaces anything; the replaced files are kept in a "
            "folder `replaced-…` in the data directory. Stop the server first."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help="A file written by kneadwell backup.")
    p.add_argument(
        "--passphrase-stdin", action="store_true", help="Read the passphrase from standard input."
    )
    p.set_defaults(func=cmd_restore)


def _passphrase(args, prompt: str) -> str:
    if args.passphrase_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(prompt)


def _place() -> Place:
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "sqlite":
        raise BackupError(
            "This database is PostgreSQL: back it up with pg_dump (docs/deploy.md, Backups); "
            "kneadwell backup copies SQLite only."
        )
    return Place(
        data_dir=Path(settings.DATA_DIR),
        database=Path(settings.DATABASES["default"]["NAME"]),
        secret_key=settings.SECRET_KEY,
        audit_key=settings.KNEADWELL_AUDIT_KEY,
        checkpoints=Path(settings.KNEADWELL_AUDIT_CHECKPOINTS),
    )


def cmd_backup(args) -> int:
    setup_django()
    try:
        place = _place()
        passphrase = None
        if args.encrypt:
            passphrase = _passphrase(args, "Passphrase for the backup: ")
            if len(passphrase) < 10:
                raise BackupError("Choose a passphrase of 10 characters or more.")
        size = write_backup(place, args.to, passphrase)
    except BackupError as error:
        print(error, file=sys.stderr)
        return 2
    state = "encrypted" if passphrase else "not encrypted: keep it somewhere safe"
    print(f"Backup written to {args.to} ({size:,} bytes, {state}).")
    return 0


def cmd_restore(args) -> int:
    setup_django()
    try:
        place = _place()
        with open(args.file, "rb") as file:
            encrypted = file.read(len(MAGIC)) == MAGIC
        passphrase = _passphrase(args, "Passphrase of the backup: ") if encrypted else None
        entries, kept_in = restore_backup(place, args.file, passphrase)
    except (BackupError, OSError) as error:
        print(f"Nothing was replaced. {error}", file=sys.stderr)
        return 2
    print(f"Restored from {args.file}: the access log is intact ({entries} entries).")
    print(f"The files it replaced are in {kept_in}.")
    for variable in ("KNEADWELL_SECRET_KEY", "KNEADWELL_AUDIT_KEY"):
        if os.environ.get(variable):
            print(f"{variable} is set: it must hold the backup's key (see the restored file).")
    return 0


# --- Writing ------------------------------------------------------------------------------


def write_backup(place: Place, to: Path, passphrase: str | None) -> int:
    """Write the backup of `place` to `to` (mode 0600); its size in bytes."""
    with tempfile.TemporaryDirectory(dir=place.data_dir, prefix=".backup-") as work:
        work = Path(work)
        # Checkpoints first: the database only grows, so none can name a head past the copy.
        if place.checkpoints.exists():
            shutil.copyfile(place.checkpoints, work / "audit_checkpoints")
        _copy_database(place.database, work / DATABASE)
        (work / "secret_key").write_text(place.secret_key)
        (work / "audit_key").write_text(place.audit_key)
        manifest = {"format": 1, "written": datetime.now(UTC).isoformat(timespec="seconds")}
        (work / "manifest.json").write_text(json.dumps(manifest))
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for name in ("manifest.json", DATABASE, *KEPT):
                if (work / name).exists():
                    archive.add(work / name, arcname=name)
            documents = place.data_dir / "documents"
            if documents.is_dir():
                archive.add(documents, arcname="documents")
        data = buffer.getvalue()
    if passphrase is not None:
        data = encrypt(data, passphrase)
    partial = to.with_name(to.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.chmod(partial, 0o600)
    os.replace(partial, to)
    return len(data)


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while the server keeps writing."""
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _key(passphrase: str, salt: bytes) -> bytes:
    raw = hashlib.scrypt(
        passphrase.encode(), salt=salt, n=2**15, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32
    )
    return base64.urlsafe_b64encode(raw)


def encrypt(data: bytes, passphrase: str) -> bytes:
    """Fernet (AES-128-CBC with HMAC-SHA256) under a key drawn from the passphrase by scrypt."""
    from cryptography.fernet import Fernet

    salt = os.urandom(SALT_BYTES)
    return MAGIC + salt + Fernet(_key(passphrase, salt)).encrypt(data)


def decrypt(data: bytes, passphrase: str) -> bytes:
    from cryptography.fernet import Fernet, InvalidToken

    salt, token = data[len(MAGIC) : len(MAGIC) + SALT_BYTES], data[len(MAGIC) + SALT_BYTES :]
    try:
        return Fernet(_key(passphrase, salt)).decrypt(token)
    except InvalidToken:
        raise BackupError("The passphrase is wrong, or the backup is damaged.") from None


# --- Restoring ----------------------------------------------------------------------------


def restore_backup(place: Place, backup: Path, passphrase: str | None) -> tuple[int, Path]:
    """Check the backup in a folder beside the data, then move it into place; the access
    log's entry count and the folder holding the replaced files."""
    data = backup.read_bytes()
    if data.startswith(MAGIC):
        if passphrase is None:
            raise BackupError("The backup is encrypted: give its passphrase.")
        data = decrypt(data, passphrase)
    with tempfile.TemporaryDirectory(dir=place.data_dir, prefix=".restore-") as work:
        work = Path(work)
        try:
            # The whole stream first: gzip's checksum catches damage anywhere in it, where tar
            # alone would stop quietly at a damaged header and leave out what follows.
            archive_bytes = gzip.decompress(data)
            with tarfile.open(fileobj=io.BytesIO(archive_bytes), mode="r:") as archive:
                archive.extractall(work, filter="data")
        except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
            raise BackupError(f"This is not a readable Kneadwell backup ({error}).") from None
        if not (work / DATABASE).is_file() or not (work / "audit_key").is_file():
            raise BackupError("This is not a Kneadwell backup: it holds no database or key.")
        _check_integrity(work / DATABASE)
        entries = _check_access_log(work)
        kept_in = _replace(place, work)
    return entries, kept_in


def _check_integrity(database: Path) -> None:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            result = db.execute("PRAGMA integrity_check").fetchall()
        db.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The backup's database is damaged ({error}).") from None
    if result != [("ok",)]:
        problems = "; ".join(row[0] for row in result[:3])
        raise BackupError(f"The backup's database is damaged: {problems}.")


def _check_access_log(work: Path) -> int:
    """Bring the copy up to this version's tables and verify its access log under the
    backup's own key and checkpoints; the number of entries."""
    from django.core.management import call_command
    from django.db import connections
    from django.db.utils import load_backend

    from kneadwell.audit.keeping import Keeping
    from kneadwell.audit.models import AccessLogEntry

    # A connection of its own to the copy, made here rather than declared in the settings.
    alias = "restore_check"
    settings_dict = {**connections["default"].settings_dict, "NAME": work / DATABASE}
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        keeping = Keeping(
            key=(work / "audit_key").read_text().strip().encode(),
            path=work / "audit_checkpoints",
        )
        report = AccessLogEntry.verify_chain(using=alias, keeping=keeping)
    finally:
        connections[alias].close()
        del connections[alias]
    if report.problem:
        raise BackupError(f"The backup's access log does not verify: {report.problem}.")
    return report.entries


def _replace(place: Place, work: Path) -> Path:
    """Move the current files aside (into `replaced-<time>`) and the checked copy in."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    kept_in = place.data_dir / f"replaced-{stamp}"
    kept_in.mkdir(mode=0o700)
    database = place.database
    # The old WAL and shared-memory files must go with the old database, never onto the new.
    for path in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        if path.exists():
            os.replace(path, kept_in / path.name)
    for name in (*KEPT, "documents"):
        target = place.checkpoints if name == "audit_checkpoints" else place.data_dir / name
        if target.exists():
            os.replace(target, kept_in / name)
        if (work / name).exists():
            os.replace(work / name, target)
    os.replace(work / DATABASE, database)
    for path in (database, *(place.data_dir / n for n in KEPT)):
        if path.exists():
            path.chmod(0o600)
    return kept_in
