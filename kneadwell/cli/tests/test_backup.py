"""`kneadwell backup` and `kneadwell restore`: a round trip, encrypted and not; a restore that
refuses a damaged file, a wrong passphrase, a damaged database or a tampered access log before
it replaces anything."""

import io
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kneadwell.audit.models import AccessLogEntry
from kneadwell.cli import main
from kneadwell.cli.backup import MAGIC, BackupError, Place, restore_backup, write_backup

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup"),
]
PASSPHRASE = "correct horse battery staple"


def _reads(n: int) -> None:
    for i in range(n):
        AccessLogEntry.append(clinic_id=1, user_email="tara@willow.test", action="view",
                              what=f"chart {i}", client_id=7)  # fmt: skip


def _live(tmp_path: Path) -> Place:
    """The test database as the live one, with a data directory holding an issued document."""
    data = tmp_path / "live"
    (data / "documents").mkdir(parents=True)
    (data / "documents" / "letter-1.pdf").write_bytes(b"%PDF-1.7 a letter")
    return Place(
        data_dir=data,
        database=Path(settings.DATABASES["default"]["NAME"]),
        secret_key="the secret key",
        audit_key=settings.KNEADWELL_AUDIT_KEY,
        checkpoints=Path(settings.KNEADWELL_AUDIT_CHECKPOINTS),
    )


def _target(tmp_path: Path) -> Place:
    """A data directory to restore into, holding an older database of its own."""
    data = tmp_path / "restored"
    data.mkdir()
    with sqlite3.connect(data / "kneadwell.sqlite3") as db:
        db.execute("CREATE TABLE older (x)")
    db.close()
    (data / "secret_key").write_text("an older key")
    return Place(data, data / "kneadwell.sqlite3", "", "", data / "audit_checkpoints")


def _entries(database: Path) -> int:
    with sqlite3.connect(database) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM audit_accesslogentry").fetchone()
    db.close()
    return count


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_a_backup_restores_the_database_keys_and_documents(tmp_path, passphrase):
    _reads(3)
    backup = tmp_path / "kneadwell.backup"
    write_backup(_live(tmp_path), backup, passphrase)
    assert backup.stat().st_mode & 0o777 == 0o600
    assert backup.read_bytes().startswith(MAGIC) == (passphrase is not None)
    _reads(2)  # after the backup: not in it
    target = _target(tmp_path)
    entries, kept_in = restore_backup(target, backup, passphrase)
    assert entries == 3 and _entries(target.database) == 3
    assert (target.data_dir / "secret_key").read_text() == "the secret key"
    assert (target.data_dir / "audit_key").read_text() == settings.KNEADWELL_AUDIT_KEY
    assert (target.data_dir / "documents" / "letter-1.pdf").read_bytes() == b"%PDF-1.7 a letter"
    assert target.database.stat().st_mode & 0o777 == 0o600
    # The replaced files are kept, not deleted.
    assert (kept_in / "secret_key").read_text() == "an older key"
    with sqlite3.connect(kept_in / "kneadwell.sqlite3") as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("older",)]
    db.close()


def test_the_command_writes_a_private_backup(tmp_path, capsys, monkeypatch):
    _reads(1)
    backup = tmp_path / "b.kneadwell"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    assert main(["backup", "--to", str(backup), "--encrypt", "--passphrase-stdin"]) == 0
    assert "encrypted" in capsys.readouterr().out
    assert backup.stat().st_mode & 0o777 == 0o600 and backup.read_bytes().startswith(MAGIC)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["backup", "--to", str(tmp_path / "c"), "--encrypt", "--passphrase-stdin"]) == 2
    assert "10 characters" in capsys.readouterr().err


def _refused(target: Place, backup: Path, passphrase=None) -> str:
    before = target.database.read_bytes()
    with pytest.raises(BackupError) as refusal:
        restore_backup(target, backup, passphrase)
    assert target.database.read_bytes() == before
    assert (target.data_dir / "secret_key").read_text() == "an older key"
    assert not list(target.data_dir.glob("replaced-*"))
    return str(refusal.value)


def test_a_damaged_file_is_refused_before_anything_is_replaced(tmp_path, capsys):
    _reads(2)
    backup = tmp_path / "b"
    write_backup(_live(tmp_path), backup, None)
    data = bytearray(backup.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\0" * 64
    backup.write_bytes(bytes(data))
    assert "not a readable Kneadwell backup" in _refused(_target(tmp_path), backup)
    # The command says so and exits 2 (its target is the live data: it refuses before it).
    assert main(["restore", str(backup)]) == 2
    assert "Nothing was replaced." in capsys.readouterr().err


def test_a_wrong_passphrase_is_refused(tmp_path):
    backup = tmp_path / "b"
    write_backup(_live(tmp_path), backup, PASSPHRASE)
    assert "passphrase is wrong" in _refused(_target(tmp_path), backup, "not the passphrase")


def _archive(tmp_path: Path, files: dict[str, bytes]) -> Path:
    path = tmp_path / "crafted"
    with tarfile.open(path, "w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


def test_a_damaged_database_is_refused(tmp_path):
    crafted = _archive(tmp_path, {"kneadwell.sqlite3": b"SQLite format 3\0" + b"x" * 5000,
                                  "audit_key": b"k"})  # fmt: skip
    assert "database is damaged" in _refused(_target(tmp_path), crafted)


def test_a_backup_whose_access_log_was_tampered_with_is_refused(tmp_path):
    _reads(3)
    backup = tmp_path / "b"
    write_backup(_live(tmp_path), backup, None)
    with tarfile.open(backup, "r:gz") as archive:
        files = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}
    database = tmp_path / "copy.sqlite3"
    database.write_bytes(files["kneadwell.sqlite3"])
    with sqlite3.connect(database) as db:
        db.execute("UPDATE audit_accesslogentry SET what = 'nothing' WHERE seq = 2")
    db.close()
    files["kneadwell.sqlite3"] = database.read_bytes()
    problem = _refused(_target(tmp_path), _archive(tmp_path, files))
    assert "access log does not verify" in problem and "its contents do not match" in problem
