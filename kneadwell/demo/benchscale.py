"""`make bench-scale`: the busy pages of the Scale Clinic, served as in production, timed.

For each database (SQLite always; PostgreSQL when DATABASE_URL is set or BENCH_PG=1) this
builds the Scale Clinic once per size N in a data directory of its own (`var/bench-scale-N/`,
reused on the next run), serves it with `kneadwell serve` (gunicorn, production settings, on
loopback only), signs in as the owner and measures:

- p50 and p95 of the chart, progress, visit-note, access-log (filtered by client, action and
  date) and API visit-list pages of the clients with 10, 100 and 1,000 visits, and of the
  client list, each as a ratio to the floor page (`/library/`) measured in the same run, in
  turns with it (one request of each page per round), so a busy machine weighs on both alike;
- the outcomes page (issue 17 item 5's target: at most 1 s), as a cross-check of `make bench`;
- a mixed load, 80% of the per-client reads and 20% autosaves of draft notes, from a few
  threads for a bounded time and number of requests: throughput against the floor page's
  under the same load, and how many answers were 5xx or "database is locked" (counted in the
  server's log).

Nothing here fails on time: it prints a table (and keeps it as JSON beside the data). Each
database runs in a process of its own, because settings are read once per process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_VISITS = 100_000
SPECIAL = (10, 100, 1000)
FLOOR = "/library/"


@dataclass
class Target:
    """One page to time: a name for the table and its path."""

    name: str
    path: str
    api: bool = False


@dataclass
class Setup:
    """What the measuring side needs from the database, found before the server starts."""

    owner: str
    password: str
    token: str
    special: dict[int, int]  # visits -> client id
    latest_visit: dict[int, int]  # visits -> the newest signed visit's id
    drafts: list[tuple[int, int]]  # (client id, visit id) of draft notes for the autosaves
    since: str
    counts: dict[str, int] = field(default_factory=dict)


# --- the parent: one child per database, then the table -------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-scale", description=__doc__.split("\n")[0])
    parser.add_argument("--visits", type=int, default=_env_int("SCALE", DEFAULT_VISITS))
    parser.add_argument("--port", type=int, default=_env_int("BENCH_PORT", 8108))
    parser.add_argument("--rounds", type=int, default=_env_int("BENCH_ROUNDS", 20))
    parser.add_argument("--threads", type=int, default=_env_int("BENCH_THREADS", 4))
    parser.add_argument("--seconds", type=float, default=_env_int("BENCH_SECONDS", 20))
    parser.add_argument("--most", type=int, default=_env_int("BENCH_MOST", 3000))
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args)
    backends = ["sqlite"]
    if os.environ.get("DATABASE_URL") or os.environ.get("BENCH_PG") == "1":
        backends.append("postgresql")
    status = 0
    for backend in backends:
        env = _child_env(backend, args.visits)
        command = [sys.executable, "-m", "kneadwell.demo.benchscale", "--child", backend]
        command += [f"--visits={args.visits}", f"--port={args.port}", f"--rounds={args.rounds}"]
        command += [f"--threads={args.threads}", f"--seconds={args.seconds}"]
        command += [f"--most={args.most}"]
        print(
            f"== {backend}: {args.visits:,} visits, data in {env['KNEADWELL_DATA_DIR']}", flush=True
        )
        status = subprocess.call(command, env=env) or status  # noqa: S603
    return status


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").replace("_", "").replace(",", "") or default)


def _child_env(backend: str, visits: int) -> dict[str, str]:
    env = dict(os.environ)
    suffix = "" if backend == "sqlite" else "-pg"
    data = Path("var") / f"bench-scale-{visits}{suffix}"
    env["KNEADWELL_DATA_DIR"] = str(data.resolve())
    env["KNEADWELL_DEBUG"] = "0"
    env["KNEADWELL_HTTPS"] = "0"
    if backend == "sqlite":
        env.pop("DATABASE_URL", None)
    elif not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/kneadwell_bench_{visits}"
    env.setdefault("KNEADWELL_DB_CONN_MAX_AGE", "60")
    return env


# --- the child: build, serve, measure -------------------------------------------------------


def _child(args) -> int:
    data = Path(os.environ["KNEADWELL_DATA_DIR"])
    data.mkdir(parents=True, exist_ok=True)
    if args.child == "postgresql":
        _create_database(os.environ["DATABASE_URL"])
    started = time.monotonic()
    built = subprocess.call(  # noqa: S603
        [sys.executable, "-m", "kneadwell.cli", "demo", f"--scale={args.visits}"],
        stdout=subprocess.DEVNULL,
    )
    if built:
        return built
    build_seconds = time.monotonic() - started
    setup = _prepare(args.visits, args.threads)
    log_path = data / "bench-server.log"
    server = _serve(args.port, log_path)
    try:
        base = f"http://127.0.0.1:{args.port}"
        _wait_for(base)
        results = _measure(base, setup, args, log_path)
    finally:
        server.terminate()
        server.wait(timeout=30)
    results["backend"] = args.child
    results["visits"] = args.visits
    results["build or reuse (s)"] = round(build_seconds, 1)
    results["counts"] = setup.counts
    (data / f"bench-scale-{args.child}.json").write_text(json.dumps(results, indent=2))
    print(table(results), flush=True)
    return 0


def _create_database(url: str) -> None:
    """Create the PostgreSQL database named in the URL if it is missing."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    dsn = f"host={config['HOST'] or '127.0.0.1'} port={config['PORT'] or 5432} "
    dsn += f"user={config['USER'] or 'postgres'} dbname=postgres"
    if config.get("PASSWORD"):
        dsn += f" password={config['PASSWORD']}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            connection.execute(f'CREATE DATABASE "{name}"')


def _prepare(visits: int, threads: int) -> Setup:
    """Find the special clients, their newest notes, a token and a few draft notes."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kneadwell.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from kneadwell.accounts.models import ApiToken
    from kneadwell.clients.models import Client
    from kneadwell.demo.clinic import DEMO_PASSWORD
    from kneadwell.demo.scale import SCALE_CLINIC, special_email
    from kneadwell.visits.models import Visit, VisitStatus

    clients = Client.objects.filter(clinic__name=SCALE_CLINIC)
    owner = clients.first().clinic.memberships.get(role="owner").user
    special = {n: clients.get(email=special_email(n)).pk for n in SPECIAL}
    latest = {
        n: Visit.objects.filter(client_id=pk, status=VisitStatus.SIGNED)
        .order_by("-visit_date", "-id")
        .values_list("id", flat=True)
        .first()
        for n, pk in special.items()
    }
    ApiToken.objects.filter(user=owner, name="bench-scale").delete()
    _, token = ApiToken.issue(owner, "bench-scale")
    others = clients.exclude(pk__in=special.values()).order_by("id")[:threads]
    drafts = []
    for client in others:
        visit = Visit.objects.filter(
            client=client, therapist=owner, status=VisitStatus.DRAFT
        ).first()
        if visit is None:
            visit = Visit.objects.create(
                clinic_id=client.clinic_id,
                client=client,
                therapist=owner,
                visit_date=timezone.localdate(),
            )
        drafts.append((client.pk, visit.pk))
    counts = {
        "visits": Visit.objects.filter(clinic=owner.membership.clinic).count(),
        "clients": clients.count(),
    }
    from kneadwell.audit.models import AccessLogEntry

    counts["access-log entries"] = AccessLogEntry.objects.count()
    since = (timezone.localdate() - timedelta(days=365)).isoformat()
    return Setup(owner.email, DEMO_PASSWORD, token, special, latest, drafts, since, counts)


def _serve(port: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("a")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "kneadwell.cli", "serve", "--host=127.0.0.1", f"--port={port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_for(base: str, seconds: float = 120) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/login/", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server at {base} did not answer within {seconds:.0f} s.")


def _session(base: str, setup: Setup):
    """A signed-in browser session (the owner sees every page)."""
    import requests

    session = requests.Session()
    session.get(base + "/login/", timeout=30)
    answer = session.post(
        base + "/login/",
        data={
            "username": setup.owner,
            "password": setup.password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": base + "/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"Signing in failed ({answer.status_code}).")
    return session


def targets(setup: Setup) -> list[Target]:
    """The busy pages, per special client, then the client list."""
    found = []
    for n, pk in setup.special.items():
        found += [
            Target(f"chart, {n:,} visits", f"/clients/{pk}/"),
            Target(f"progress, {n:,} visits", f"/clients/{pk}/progress/"),
            Target(f"note, {n:,} visits", f"/clients/{pk}/visits/{setup.latest_visit[n]}/"),
            Target(
                f"access log filtered, {n:,} visits",
                f"/access-log/?client={pk}&action=view&since={setup.since}",
            ),
            Target(f"API list visits, {n:,} visits", f"/api/v1/clients/{pk}/visits", api=True),
        ]
    found.append(Target("client list", "/clients/"))
    return found


def clinic_pages() -> list[Target]:
    """Pages over the whole clinic, timed once each (not part of the mixed load)."""
    return [
        Target("outcomes page, owner, 2 years", "/outcomes/"),
        Target(
            "outcomes, 10 years, LBP, NPRS",
            "/outcomes/?start=2000-01-01&condition=chronic_lbp&measure=nprs",
        ),
    ]


def _get(session, base: str, target: Target, token: str):
    headers = {"Authorization": f"Bearer {token}"} if target.api else {}
    return session.get(base + target.path, headers=headers, timeout=120)


def _time_pages(session, base, targets, token, rounds) -> dict:
    """Each target `rounds` times after two warm-ups, in turns (one request of each, then the
    next round), so the floor and every page see the same moments of a busy machine."""
    times = {t.name: [] for t in targets}
    sizes = {t.name: [] for t in targets}
    statuses = {t.name: set() for t in targets}
    for index in range(rounds + 2):
        for target in targets:
            started = time.perf_counter()
            answer = _get(session, base, target, token)
            elapsed = time.perf_counter() - started
            if index >= 2:  # two warm-up requests
                times[target.name].append(elapsed)
                sizes[target.name].append(len(answer.content))
                statuses[target.name].add(answer.status_code)
    return {
        t.name: {
            "p50": statistics.median(times[t.name]),
            "p95": _p95(times[t.name]),
            "bytes": max(sizes[t.name]),
            "statuses": sorted(statuses[t.name]),
        }
        for t in targets
    }


def _p95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def _measure(base: str, setup: Setup, args, log_path: Path) -> dict:
    session = _session(base, setup)
    floor = Target("floor (/library/)", FLOOR)
    # BENCH_OUTCOMES=0 leaves the outcomes page out (slow to time on a loaded machine).
    extra = clinic_pages() if os.environ.get("BENCH_OUTCOMES", "1") != "0" else []
    pages = _time_pages(session, base, [floor, *targets(setup), *extra], setup.token, args.rounds)
    floor_load = _load(base, setup, args, log_path, reads=[floor], writes=0.0)
    mixed = _load(base, setup, args, log_path, reads=targets(setup), writes=0.2)
    return {"pages": pages, "floor load": floor_load, "mixed load": mixed}


def _load(base: str, setup: Setup, args, log_path: Path, *, reads, writes: float) -> dict:
    """`args.threads` signed-in threads, each reading (or, with chance `writes`, autosaving its
    own draft note) until `args.seconds` pass or `args.most` requests are made in all."""
    locked_before = _count_locked(log_path)
    sessions = [_session(base, setup) for _ in range(args.threads)]
    lock = threading.Lock()
    tally = {"requests": 0, "writes": 0, "5xx": 0, "other errors": 0}
    times: list[float] = []
    deadline = time.monotonic() + args.seconds

    def work(index: int) -> None:
        rng = random.Random(index)
        session = sessions[index]
        client_pk, visit_pk = setup.drafts[index % len(setup.drafts)]
        while time.monotonic() < deadline:
            with lock:
                if tally["requests"] >= args.most:
                    return
                tally["requests"] += 1
            started = time.perf_counter()
            try:
                if rng.random() < writes:
                    answer = session.post(
                        f"{base}/clients/{client_pk}/visits/{visit_pk}/autosave/",
                        data={
                            "client_report": f"Typing, keystroke {rng.randrange(10**6)}",
                            "csrfmiddlewaretoken": session.cookies["csrftoken"],
                        },
                        headers={"Referer": base + "/"},
                        timeout=120,
                    )
                    kind = "writes"
                else:
                    answer = _get(session, base, rng.choice(reads), setup.token)
                    kind = None
                status = answer.status_code
            except Exception:  # noqa: BLE001 (a timeout or a dropped connection counts too)
                status, kind = 0, None
            elapsed = time.perf_counter() - started
            with lock:
                times.append(elapsed)
                if kind:
                    tally[kind] += 1
                if status >= 500:
                    tally["5xx"] += 1
                elif status == 0 or status >= 400:
                    tally["other errors"] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(args.threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.monotonic() - started
    time.sleep(0.5)  # let the server finish writing its log
    return {
        **tally,
        "seconds": round(seconds, 2),
        "per second": len(times) / seconds if seconds else 0.0,
        "p50": statistics.median(times) if times else 0.0,
        "p95": _p95(times) if times else 0.0,
        "database is locked": _count_locked(log_path) - locked_before,
    }


def _count_locked(log_path: Path) -> int:
    if not log_path.exists():
        return 0
    return log_path.read_text(errors="replace").count("database is locked")


def table(results: dict) -> str:
    """The figures as a plain-text table: each page against the floor page of the same run."""
    pages = results["pages"]
    floor = pages["floor (/library/)"]["p50"]
    lines = [
        f"Scale Clinic on {results['backend']}: {results['counts']['visits']:,} visits, "
        f"{results['counts']['access-log entries']:,} access-log entries "
        f"(built or reused in {results['build or reuse (s)']:.0f} s)",
        f"  {'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'× floor':>8} {'KiB':>7}  status",
    ]
    for name, page in pages.items():
        lines.append(
            f"  {name:<36} {page['p50'] * 1000:>8.1f} {page['p95'] * 1000:>8.1f} "
            f"{page['p50'] / floor:>8.1f} {page['bytes'] / 1024:>7.1f}  "
            f"{','.join(map(str, page['statuses']))}"
        )
    base, mixed = results["floor load"], results["mixed load"]
    lines.append(
        "  load (threads, loopback)            req/s   × floor   p50 ms   p95 ms  5xx  locked"
    )
    for name, load in (("floor page only", base), ("mixed 80% reads / 20% autosaves", mixed)):
        ratio = load["per second"] / base["per second"] if base["per second"] else 0.0
        lines.append(
            f"  {name:<34} {load['per second']:>7.1f} {ratio:>9.2f} {load['p50'] * 1000:>8.1f} "
            f"{load['p95'] * 1000:>8.1f} {load['5xx']:>4} {load['database is locked']:>7}"
        )
    lines.append(
        f"  mixed load: {mixed['requests']:,} requests in {mixed['seconds']:.0f} s, "
        f"{mixed['writes']:,} writes, {mixed['other errors']} other errors"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
