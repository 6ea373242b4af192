"""The kneadwell command line."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from kneadwell.accounts.models import ApiToken, Clinic, User
from kneadwell.cli import build_parser, main
from kneadwell.clients.models import Client


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in ("serve", "demo", "createuser", "token", "audit", "manage"):
        assert name in sub.choices
        assert sub.choices[name].format_help().strip()
    serve = sub.choices["serve"].format_help()
    assert "--host" in serve and "--port" in serve


@pytest.mark.django_db
def test_demo_creates_the_clinic_once(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "owner@demo.kneadwell.test" in out and "password:" in out
    assert f"are written as files to {settings.EMAIL_FILE_PATH}/" in out
    clinic = Clinic.objects.get(name="Demo Clinic")
    # The 30 working clients; the outcomes history's synthetic clients are archived.
    assert Client.objects.filter(clinic=clinic, archived_at__isnull=True).count() == 30
    assert clinic.memberships.count() == 4
    assert main(["demo"]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert Client.objects.filter(archived_at__isnull=True).count() == 30
    assert User.objects.count() == 4


@pytest.mark.django_db
def test_demo_clients_are_spread_over_both_therapists():
    main(["demo"])
    for email in ("tess@demo.kneadwell.test", "theo@demo.kneadwell.test"):
        assert User.objects.get(email=email).assigned_clients.count() >= 15


@pytest.mark.django_db
def test_createuser_reads_the_password_and_checks_it(monkeypatch, capsys):
    args = ["createuser", "--email", "a@b.test", "--clinic", "New", "--password-stdin"]
    # ASVS 2.1.1: at least 12 characters; eleven are refused.
    monkeypatch.setattr("sys.stdin", io.StringIO("kx7-qpw-mz4\n"))
    assert main(args) == 2
    assert "at least 12 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a-decent-passphrase-7\n"))
    assert main(args) == 0
    assert User.objects.get(email="a@b.test").membership.clinic.name == "New"


@pytest.mark.django_db
def test_token_create_prints_a_working_token(therapist, capsys):
    assert main(["token", "create", "--user", "tara@willow.test"]) == 0
    token = capsys.readouterr().out.strip()
    assert ApiToken.authenticate(token) == therapist
    assert main(["token", "create", "--user", "nobody@x.test"]) == 2


@pytest.mark.django_db
def test_demo_prints_the_address_it_was_given_and_where_things_are(capsys, settings):
    assert main(["demo", "--host", "0.0.0.0", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    assert "Sign in at http://0.0.0.0:8123/login/" in out
    assert f"Data: {settings.DATA_DIR}" in out and "KNEADWELL_DATA_DIR" in out
    assert f"are written as files to {settings.EMAIL_FILE_PATH}/, not sent" in out
    assert "delete" in out


def test_serve_and_demo_take_the_port():
    parser = build_parser()
    for command in (["serve"], ["demo"]):
        args = parser.parse_args([*command, "--host", "0.0.0.0", "--port", "8123"])
        assert (args.host, args.port) == ("0.0.0.0", 8123)
    assert parser.parse_args(["serve"]).port == 8000
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--port", "eighty"])


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_the_port_to_the_demo_and_the_server_with_its_worker():
    root = Path(__file__).resolve().parents[3]
    dry = subprocess.run(
        ["make", "-n", "-W", "requirements.lock", "run", "PORT=8123"],  # -n: print, run nothing
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = dry.stdout.splitlines()
    assert any("kneadwell demo" in line and "--port 8123" in line for line in lines)
    serve = [line for line in lines if "kneadwell serve" in line]
    assert serve and "--port 8123" in serve[0] and "--with-worker" in serve[0]


def test_the_worker_started_with_the_server_links_emails_to_the_served_port(monkeypatch):
    """Reminders are sent by the worker, outside any request: without KNEADWELL_BASE_URL their
    links must point at the port `serve` listens on, not at a default (the walk-through's find)."""
    from kneadwell import cli

    started = {}
    monkeypatch.setattr(
        "subprocess.Popen", lambda command, env: started.update(command=command, env=env)
    )
    monkeypatch.delenv("KNEADWELL_BASE_URL", raising=False)
    cli._start_worker("http://127.0.0.1:8157")
    assert started["env"]["KNEADWELL_BASE_URL"] == "http://127.0.0.1:8157"
    assert started["command"][-1] == "worker"
    monkeypatch.setenv("KNEADWELL_BASE_URL", "https://clinic.example")
    cli._start_worker("http://127.0.0.1:8157")
    assert started["env"]["KNEADWELL_BASE_URL"] == "https://clinic.example"  # the operator's


def test_token_create_takes_a_day_it_stops_working(therapist, capsys):
    assert main(["token", "create", "--user", "tara@willow.test", "--expires", "2999-01-31"]) == 0
    assert ApiToken.objects.get(user=therapist).expires_on.isoformat() == "2999-01-31"
    with pytest.raises(SystemExit):
        main(["token", "create", "--user", "tara@willow.test", "--expires", "2001-01-01"])
    assert "choose a day after today" in capsys.readouterr().err
