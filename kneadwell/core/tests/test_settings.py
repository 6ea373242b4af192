"""Settings: debug off by default, SQLite in WAL mode, a clean deploy check with HTTPS."""

import os
import subprocess
import sys

import pytest


def _run(args, **env):
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "kneadwell.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
    )


def test_the_deploy_check_is_clean_with_https_settings(tmp_path):
    result = _run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        KNEADWELL_DATA_DIR=str(tmp_path),
        KNEADWELL_HTTPS="1",
        KNEADWELL_ALLOWED_HOSTS="clinic.example.org",
        KNEADWELL_DEBUG="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_complains_without_https(tmp_path):
    result = _run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"], KNEADWELL_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0


def test_a_secret_key_is_generated_once_in_the_data_directory(tmp_path):
    _run(["manage", "check"], KNEADWELL_DATA_DIR=str(tmp_path))
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    _run(["manage", "check"], KNEADWELL_DATA_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key


def test_a_bad_boolean_is_refused_with_the_variable_named():
    from kneadwell.core.env import envbool

    os.environ["KNEADWELL_TEST_FLAG"] = "maybe"
    try:
        with pytest.raises(ValueError, match="KNEADWELL_TEST_FLAG must be 1 or 0"):
            envbool("KNEADWELL_TEST_FLAG")
    finally:
        del os.environ["KNEADWELL_TEST_FLAG"]


def test_debug_is_off_unless_asked_for():
    from django.conf import settings

    assert settings.DEBUG is False


def test_sqlite_uses_immediate_transactions_and_a_busy_timeout(tmp_path):
    code = "from django.db import connection; print(connection.settings_dict['OPTIONS'])"
    result = _run(
        ["manage", "shell", "-c", code], KNEADWELL_DATA_DIR=str(tmp_path), DATABASE_URL=""
    )
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout, result.stderr
    assert "'timeout': 20" in result.stdout


def test_the_data_file_is_in_wal_mode(tmp_path):
    result = _run(
        ["manage", "migrate", "--verbosity", "0"], KNEADWELL_DATA_DIR=str(tmp_path), DATABASE_URL=""
    )
    assert result.returncode == 0, result.stderr
    import sqlite3

    mode = (
        sqlite3.connect(tmp_path / "kneadwell.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    )
    assert mode == "wal"
