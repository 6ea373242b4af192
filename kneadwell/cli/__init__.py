"""The `kneadwell` command line: serve, demo data, people, tokens, the access log and more."""

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import date

from kneadwell.cli import backup as backup_commands
from kneadwell.cli import exchange as exchange_commands
from kneadwell.cli import instruments as instruments_commands
from kneadwell.cli import knowledge as knowledge_commands
from kneadwell.cli import outcomes as outcomes_commands
from kneadwell.cli.base import setup_django


def cmd_serve(args) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    from kneadwell.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", 4)
            self.cfg.set("worker_class", "gthread")

        def load(self):
            return application

    worker = _start_worker(f"http://{args.host}:{args.port}") if args.with_worker else None
    print(f"Kneadwell is serving http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    try:
        Server().run()
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def _start_worker(served_at: str):
    """The background worker as a child of the web server (`kneadwell serve --with-worker`).
    Unless KNEADWELL_BASE_URL says where clients reach the server, the links in the emails it
    sends point at the address this server is serving."""
    import os
    import subprocess

    env = dict(os.environ)
    env.setdefault("KNEADWELL_BASE_URL", served_at)
    print("The background worker is running (reminders, exports).", flush=True)
    command = [sys.executable, "-m", "kneadwell.cli", "worker"]
    return subprocess.Popen(command, env=env)  # noqa: S603


def cmd_worker(args) -> int:
    """Run background jobs until stopped; jobs wait in the queue while it is down."""
    setup_django()
    from django.core.management import call_command

    call_command("run_huey", workers=args.threads, worker_type="thread")
    return 0


def cmd_demo(args) -> int:
    setup_django()
    from django.core.management import call_command

    from kneadwell.demo.clinic import create_demo

    call_command("migrate", interactive=False, verbosity=0)
    result = create_demo()
    print("Demo Clinic is ready." if result.created else "Demo Clinic already exists; unchanged.")
    logins = result.logins
    if args.scale:
        from kneadwell.demo.scale import create_scale

        print(f"Growing the Scale Clinic to {args.scale:,} visits (this takes a while):")
        try:
            scale = create_scale(
                args.scale, seed=args.seed, access_log=args.access_log, until=args.until
            )
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        if not scale.created:
            print("The Scale Clinic already exists; unchanged. Use a new data directory.")
        else:
            counts = ", ".join(f"{v:,} {k}" for k, v in scale.counts.items())
            print(f"Scale Clinic is ready in {scale.seconds:.0f} s: {counts}.")
            special = ", ".join(f"{n:,} visits: client {pk}" for n, pk in scale.special.items())
            print(f"Clients with exactly {special}.")
            logins = logins + scale.logins
            outcomes_commands.rebuild_summary(argparse.Namespace(clinic=scale.clinic.pk))
    print(f"Sign in at http://{args.host}:{args.port}/login/ with one of these demo logins:")
    for role, email, password in logins:
        print(f"  {role:<11} {email:<32} password: {password}")
    _print_portal_demo(args, result.clinic)
    _print_where_things_are()
    return 0


def _print_portal_demo(args, clinic) -> None:
    """How to open the client portal as a demo client: a fresh desk code each run."""
    from django.conf import settings

    from kneadwell.portal.demo import desk_codes

    clients = desk_codes(clinic) if clinic is not None else []
    if not clients:
        return
    base = f"http://{args.host}:{args.port}/portal"
    print(f"Open the client portal as a demo client at {base}/code/ with a code and birth date:")
    for client in clients:
        print(f"  {client.name:<24} code: {client.code}  born: {client.born}  ({client.waiting})")
    mail = settings.EMAIL_FILE_PATH
    print(f"  Or ask for a sign-in link at {base}/sign-in/ with their email; it lands in {mail}/.")


def _print_where_things_are() -> None:
    """The data directory, where emails land, and how to start again (the demo's printout)."""
    from django.conf import settings

    print(f"Data: {settings.DATA_DIR} (set KNEADWELL_DATA_DIR to use another directory).")
    if not settings.EMAIL_HOST:  # no SMTP server set: emails go to files (settings.py)
        what = "Emails (password resets, portal links, reminders)"
        print(f"{what} are written as files to {settings.EMAIL_FILE_PATH}/, not sent.")
    print(f"To start the demo afresh: stop the server, delete {settings.DATA_DIR}, run again.")


def cmd_createuser(args) -> int:
    setup_django()
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from kneadwell.accounts.models import Clinic, Membership, User

    email = args.email.lower()
    if User.objects.filter(email=email).exists():
        print(f"Someone already signs in as {email}.", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    if password is None:
        password = getpass.getpass(f"Password for {email}: ")
    user = User(email=email, first_name=args.first_name, last_name=args.last_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        print("Choose another password: " + " ".join(error.messages), file=sys.stderr)
        return 2
    with transaction.atomic():
        clinic, _ = Clinic.objects.get_or_create(name=args.clinic)
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, clinic=clinic, role=args.role)
    print(f"Created {email} as {args.role} of {clinic}.")
    return 0


def _future_day(text: str) -> date:
    """An argparse type: a day after today, in ISO form."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-01-31.") from None
    if day <= date.today():
        raise argparse.ArgumentTypeError("choose a day after today.")
    return day


def cmd_token_create(args) -> int:
    setup_django()
    from kneadwell.accounts.models import ApiToken, User

    user = User.objects.filter(email=args.user.lower(), is_active=True).first()
    if user is None or not hasattr(user, "membership"):
        print(f"No active person signs in as {args.user}.", file=sys.stderr)
        return 2
    _, token = ApiToken.issue(user, args.name, expires_on=args.expires)
    print(token)
    return 0


def cmd_audit_verify(args) -> int:
    setup_django()
    from kneadwell.audit.models import AccessLogEntry

    report = AccessLogEntry.verify_chain()
    if report.problem:
        print(f"The access log has been tampered with: {report.problem}.", file=sys.stderr)
        return 1
    print(f"The access log is intact ({report.entries} entries).")
    for note in report.notes:
        print(f"Note: {note}.")
    if report.checkpoint is not None:
        print(
            f"Last checkpoint: entry number {report.checkpoint.position} at {report.checkpoint.at}."
        )
    return 0


def cmd_audit_checkpoint(args) -> int:
    setup_django()
    from kneadwell.audit.keeping import Keeping
    from kneadwell.audit.models import AccessLogEntry

    keeping = Keeping.from_settings()
    AccessLogEntry.seal_pending(keeping=keeping)
    position, head = AccessLogEntry.head()
    if position == 0:
        print("The access log is empty; no checkpoint written.")
        return 0
    checkpoint = keeping.write(position, head)
    print(f"Checkpoint written: entry number {checkpoint.position} ({keeping.path}).")
    return 0


def cmd_manage(args) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kneadwell manage", *args.rest])
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("give a number of 1 or more")
    return value


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kneadwell", description="Kneadwell: the clinical record for massage therapy."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("serve", help="Apply database migrations, then serve the web app.")
    p.add_argument("--host", default="127.0.0.1", help="Address to listen on (127.0.0.1).")
    p.add_argument("--port", type=int, default=8000, help="Port to listen on (8000).")
    p.add_argument("--workers", type=int, default=2, help="Worker processes (2).")
    p.add_argument(
        "--with-worker", action="store_true", help="Also run the background worker (make run)."
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="Run the background worker: reminders, exports, retries.")
    p.add_argument("--threads", type=int, default=2, help="Jobs run at once (2).")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("demo", help="Create the Demo Clinic with invented clients (idempotent).")
    p.add_argument(
        "--scale",
        type=_positive,
        metavar="N",
        help="Also grow the Scale Clinic: ten invented years, N visit notes (benchmarks).",
    )
    p.add_argument("--seed", type=int, default=20261123, help="Seed of the Scale Clinic.")
    p.add_argument("--host", default="127.0.0.1", help="Address the printed sign-in link uses.")
    p.add_argument("--port", type=int, default=8000, help="Port the printed sign-in link uses.")
    p.add_argument(
        "--access-log",
        type=_positive,
        metavar="M",
        help="Fill the Scale Clinic's access log up to M entries with more reads.",
    )
    p.add_argument(
        "--until",
        type=_day,
        metavar="YYYY-MM-DD",
        help="The Scale Clinic's last day (yesterday's visits are the newest; default today).",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("createuser", help="Add a person to a clinic (the clinic is created).")
    p.add_argument("--email", required=True, help="The address they sign in with.")
    p.add_argument("--clinic", required=True, help="Clinic name; created if new.")
    p.add_argument(
        "--role", default="owner", choices=["owner", "therapist", "front_desk"], help="Role."
    )
    p.add_argument("--first-name", default="", help="Given name.")
    p.add_argument("--last-name", default="", help="Family name.")
    p.add_argument(
        "--password-stdin", action="store_true", help="Read the password from standard input."
    )
    p.set_defaults(func=cmd_createuser)

    token = sub.add_parser("token", help="Personal API access tokens.")
    token_sub = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    p = token_sub.add_parser("create", help="Create a token for a person and print it once.")
    p.add_argument("--user", required=True, help="Email of the person the token acts as.")
    p.add_argument("--name", default="command line", help="What the token is for.")
    p.add_argument(
        "--expires",
        type=_future_day,
        metavar="YYYY-MM-DD",
        help="The day the token stops working (default: never; revoke it under API tokens).",
    )
    p.set_defaults(func=cmd_token_create)

    audit = sub.add_parser("audit", help="The access log.")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = audit_sub.add_parser(
        "verify",
        help="Check the keyed chain and its checkpoints; exit 1 naming the first bad entry.",
    )
    p.set_defaults(func=cmd_audit_verify)
    p = audit_sub.add_parser(
        "checkpoint", help="Record the log's length and head, signed, outside the database."
    )
    p.set_defaults(func=cmd_audit_checkpoint)

    p = sub.add_parser("manage", help="Run a Django management command (pass-through).")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="The command and its arguments.")
    p.set_defaults(func=cmd_manage)

    knowledge_commands.register(sub)
    instruments_commands.register(sub)
    outcomes_commands.register(sub)
    backup_commands.register(sub)
    exchange_commands.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)
