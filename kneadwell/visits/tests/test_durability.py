"""Durability (issue 12): the production server is killed (SIGKILL, the whole process group)
while notes are being signed, three times over; after each restart every signature the server
acknowledged (a 200 to the sign request) is there, signed, and `audit verify` passes.

The server runs in subprocesses on a data directory of its own; on PostgreSQL on a database of
its own (created and dropped here), never the suite's. Loopback only, every loop bounded.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)

KILLS = 3
SIGNED_BEFORE_KILL = 3
EMAIL = "durable@example.test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def environment(tmp_path):
    env = {**os.environ, "KNEADWELL_DATA_DIR": str(tmp_path / "data")}
    env.pop("KNEADWELL_DEBUG", None)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        base = settings.DATABASES["default"]
        name = f"{base['NAME'].removeprefix('test_')}_durable_{uuid.uuid4().hex[:8]}"
        admin = dict(
            host=base["HOST"] or "127.0.0.1",
            port=base["PORT"] or 5432,
            user=base["USER"],
            dbname="postgres",
            autocommit=True,
        )
        if base.get("PASSWORD"):
            admin["password"] = base["PASSWORD"]
        with psycopg.connect(**admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        user = base["USER"] + (f":{base['PASSWORD']}" if base.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{user}@{admin['host']}:{admin['port']}/{name}"
        env["KNEADWELL_DB_CONN_MAX_AGE"] = "0"
        yield env
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env.pop("DATABASE_URL", None)
        yield env


def _cli(env, *args, stdin: str | None = None) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kneadwell.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


class Server:
    def __init__(self, env):
        self.env, self.port, self.process = env, _free_port(), None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "kneadwell.cli", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # until a page answers (workers up, not just bound)
            try:
                url = f"http://127.0.0.1:{self.port}/login/"
                with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback only
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise AssertionError("the server did not answer within 90 s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def _api(server, token, method, path, body=None):
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"http://127.0.0.1:{server.port}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:  # a refusal: its status and what it says
        return error.code, json.loads(error.read() or b"null")


def test_every_acknowledged_signature_survives_a_kill(environment):
    env = environment
    _cli(env, "manage", "migrate", "--verbosity", "0")
    _cli(
        env, "createuser", "--email", EMAIL, "--clinic", "Durable", "--role", "therapist",
        "--password-stdin", stdin="a-long-durable-password\n",
    )  # fmt: skip
    token = _cli(env, "token", "create", "--user", EMAIL).strip().splitlines()[-1]
    server = Server(env)
    acknowledged: list[tuple[int, int]] = []
    try:
        server.start()
        status, me = _api(server, token, "POST", "/clients", {
            "given_names": "Dora", "family_name": "Durable", "birth_date": "1970-05-05",
            "consent_treatment": True, "consent_treatment_date": "2026-01-05",
        })  # fmt: skip
        assert status == 201, me
        client = me["id"]
        _, questions = _api(server, token, "GET", "/screening/questions")
        flags = {
            q["id"]: False
            for q in questions
            if q["applies_to"] == "all" or "chronic_lbp" in q["applies_to"]
        }
        status, intake = _api(server, token, "POST", f"/clients/{client}/intakes", {
            "complaint": "Low back ache", "conditions": ["chronic_lbp"], "red_flags": flags,
            "consent": True,
        })  # fmt: skip
        assert status == 201, intake
        row = {"technique": "swedish", "region": "low_back", "pressure": 2,
               "position": "side_lying"}  # fmt: skip
        for round_ in range(KILLS):
            stop = threading.Event()
            errors: list[str] = []

            def sign_many(stop=stop, errors=errors):
                for _ in range(200):  # bounded; the kill ends it much sooner
                    if stop.is_set():
                        return
                    try:
                        status, visit = _api(server, token, "POST", f"/clients/{client}/visits", {
                            "visit_date": date.today().isoformat(), "duration_minutes": 30,
                            "treatment": [row],
                        })  # fmt: skip
                        if status != 201:
                            errors.append(f"draft: {status} {visit}")
                            return
                        status, signed = _api(
                            server, token, "POST",
                            f"/clients/{client}/visits/{visit['id']}/sign", {},
                        )  # fmt: skip
                    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                        return  # the server is gone: nothing after this was acknowledged
                    if status == 200 and signed["status"] == "signed":
                        acknowledged.append((round_, visit["id"]))
                    else:
                        errors.append(f"{status} {signed}")
                        return

            worker = threading.Thread(target=sign_many)
            worker.start()
            deadline = time.monotonic() + 60
            while (
                sum(1 for r, _ in acknowledged if r == round_) < SIGNED_BEFORE_KILL
                and worker.is_alive()
                and time.monotonic() < deadline
            ):
                time.sleep(0.05)
            server.kill()  # mid-stream: the thread is still signing
            stop.set()
            worker.join(timeout=60)
            assert not errors, errors
            assert sum(1 for r, _ in acknowledged if r == round_) >= SIGNED_BEFORE_KILL
            server.start()
            for _, visit_id in acknowledged:
                status, visit = _api(server, token, "GET", f"/clients/{client}/visits/{visit_id}")
                assert status == 200 and visit["status"] == "signed", visit
    finally:
        server.kill()
    verify = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kneadwell.cli", "audit", "verify"],
        env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert len(acknowledged) >= KILLS * SIGNED_BEFORE_KILL
