"""The data directory, the SQLite file and its WAL and shared-memory files are for the service
user alone (0700, 0600) whatever the umask Kneadwell is started with."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

SCRIPT = """
import json, os, sys
from pathlib import Path

import pytest
from django.db import connection
os.umask(0o022)
os.environ["DJANGO_SETTINGS_MODULE"] = "kneadwell.settings"
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:  # WAL mode: the -wal and -shm files exist while it is open
    cursor.execute("CREATE TABLE IF NOT EXISTS t (x)")
    cursor.execute("INSERT INTO t VALUES (1)")
    data = Path(sys.argv[1])
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in [data, *data.iterdir()]}
print(json.dumps(modes))
"""


def _start(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "KNEADWELL_"))}
    env["KNEADWELL_DATA_DIR"] = str(data_dir)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT, str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_new_data_directory_is_private_under_umask_022(tmp_path):
    modes = _start(tmp_path / "data")
    assert modes["data"] == "0o700"
    for name in ("kneadwell.sqlite3", "kneadwell.sqlite3-wal", "kneadwell.sqlite3-shm"):
        assert modes[name] == "0o600", name
    for name in ("secret_key", "audit_key"):
        assert modes[name] == "0o600", name


def test_an_older_data_directory_is_tightened_at_start(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "kneadwell.sqlite3").touch(mode=0o644)
    (data / "kneadwell.sqlite3").chmod(0o644)
    (data / "secret_key").write_text("an old key")
    (data / "secret_key").chmod(0o644)
    modes = _start(data)
    assert modes["data"] == "0o700"
    assert modes["kneadwell.sqlite3"] == "0o600" and modes["secret_key"] == "0o600"
    assert modes["kneadwell.sqlite3-wal"] == "0o600"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL refusal")
def test_backup_and_restore_refuse_on_postgresql_and_point_to_pg_dump(tmp_path, capsys):
    from kneadwell.cli import main

    assert main(["backup", "--to", str(tmp_path / "b")]) == 2
    assert "pg_dump" in capsys.readouterr().err and not (tmp_path / "b").exists()
    (tmp_path / "b").write_bytes(b"anything")
    assert main(["restore", str(tmp_path / "b")]) == 2
    assert "pg_dump" in capsys.readouterr().err
