"""The Scale Clinic: ten years of an invented, busy clinic, grown to N visit notes.

`kneadwell demo --scale N` writes it for benchmarks (`make bench-scale`) and for trying the pages
on a big record: clients with intakes, screenings (and every-visit check-ins), evidence-graded
plans with their versions, signed SOAP notes, outcome questionnaires scored by the published
algorithms, reassessment decisions, discharges and an access log that tells the same story,
chained by the audit app exactly as live entries are. A few clients have exactly 10, 100 and
1,000 visits. Rows go in with bulk inserts, oldest first. Every person here is made up, and the
same seed gives the same clinic.
"""

from __future__ import annotations

import math
import random
import time as clock
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from kneadwell.accounts.models import Clinic, Membership, Role, User
from kneadwell.audit import statistics
from kneadwell.audit.models import AccessLogEntry, Channel
from kneadwell.clients.models import Client, ClientStatus
from kneadwell.core import bulk
from kneadwell.demo.clinic import DEMO_PASSWORD
from kneadwell.knowledge.instruments.registry import load_instruments
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.measures import progress
from kneadwell.measures.models import Response
from kneadwell.plans.build import draft_from_template
from kneadwell.plans.models import Discharge, Plan, PlanStatus, PlanVersion, Reassessment
from kneadwell.plans.safety import restrictions_from
from kneadwell.reports import discharge
from kneadwell.screening import demo as screening_demo
from kneadwell.screening.enforce import evaluate_for, rescreen_conditions
from kneadwell.screening.models import Intake, Screening, ScreeningKind
from kneadwell.visits.models import Addendum, Visit, VisitStatus

SCALE_CLINIC = "Scale Clinic"
SPECIAL_VISITS = (10, 100, 1000)
YEARS = 10
# Most clients come for a course or two; a few keep coming for years (a long tail).
MEDIAN_VISITS, MAX_VISITS = 9, 400
GIVEN = (
    "Ada Agnes Alba Alvar Amara Anselm Astrid Aurelio Beatrix Benedikt Bruno Calla Celia Cormac "
    "Dagny Delphine Dmitri Edda Elif Emrys Esme Ewan Farid Fenna Florian Freya Gideon Greta "
    "Halvard Hana Hiro Ilse Imogen Ines Isak Jonas Juno Kalani Kasimir Kesi Lena Leif Linnea "
    "Lorenzo Lucan Maren Mateo Mila Nadia Nils Noor Odile Osei Otto Paloma Pavel Priya Quentin "
    "Rafe Rhea Rosalind Rune Saoirse Silas Soren Sunniva Talia Tamsin Teodor Ulla Ulrich Una "
    "Valter Vesna Viggo Wendell Wilma Wren Ximena Yara Yusuf Zeno Zofia"
).split()
FAMILY_HEADS = (
    "Ash Birch Bram Cald Cold Dun Elm Fair Fern Gall Hawk Hol Ives Kett Lark Mill Moor Nettle "
    "Oak Pem Quar Red Rook Stone Still Thistle Under Wend West Yard"
).split()
FAMILY_TAILS = (
    "bury combe dale field ford grove hurst ley more stead stone thwaite ton way well wick "
    "worth brook by cott"
).split()
REPORTS = [
    "Stiff in the mornings, easing by midday.",
    "Slept better after the last session.",
    "Sore for a day afterwards, then looser.",
    "Walked further this week before needing to stop.",
    "About the same as last week.",
    "A bad few days after a long drive.",
    "Managed the stairs without the rail twice this week.",
    "Pain flared after gardening at the weekend, settled by Tuesday.",
]
CHANGES = [
    "",
    "Started the home stretches most days.",
    "New mattress since last time.",
    "Back at work full days.",
    "GP reviewed medication; no change.",
]
FINDINGS = [
    "Paraspinal tone raised on the left, less than last visit.",
    "Tender points along the upper trapezius; range of motion improving.",
    "Guarded on forward bending; no new neurological signs reported.",
    "Tissue warmer and more pliable after treatment.",
]
ASSESSMENTS = [
    "Tolerated well.",
    "Responding to treatment; continue as planned.",
    "Slow progress; review at the reassessment point.",
    "Tolerated well; some soreness expected for a day.",
]
PLANS = ["Continue the plan.", "Same again next week.", "Add gentle hip mobility next time.", ""]
ADVICE = [
    "Keep up the daily walk.",
    "Heat for ten minutes before the stretches.",
    "Short walks, often, rather than one long one.",
    "Pace the gardening: twenty minutes, then a break.",
]
ADVERSE = [
    {"kind": "soreness", "onset_hours": 6, "duration_hours": 24, "severity": 3},
    {"kind": "increased_pain", "onset_hours": 12, "duration_hours": 36, "severity": 4},
    {"kind": "fatigue", "onset_hours": 2, "duration_hours": 8, "severity": 2},
    {"kind": "headache", "onset_hours": 4, "duration_hours": 6, "severity": 3},
]
ACTIONS = ["Lighter pressure next time.", "Advised heat and rest.", "None needed."]
# How the burden changes from the baseline (1.0) to the end of a course, and how often.
OUTCOMES = {"improving": 0.4, "slowly improving": 0.75, "no change": 1.0, "worse": 1.25}
OUTCOME_WEIGHTS = [45, 30, 18, 7]
PGIC_FOR = {"improving": (1, 2), "slowly improving": (2, 3), "no change": (4, 4), "worse": (5, 6)}

# The access log's (action, what) pairs, the wording the views use.
WHATS = [
    ("create", "client record"),
    ("view", "intake form"),
    ("create", "intake and screening"),
    ("view", "plan form"),
    ("create", "treatment plan"),
    ("view", "chart"),
    ("create", "visit note (draft)"),
    ("create", "visit check-in screening"),
    ("update", "visit note"),
    ("view", "progress and reassessment"),
    ("create", "reassessment decision"),
    ("update", "treatment plan (new version)"),
    ("view", "discharge form"),
    ("create", "discharge summary"),
    ("update", "visit note addendum"),
    ("list", "client list"),
    ("view", "outcome measures"),
    ("view", "visit note"),
    ("view", "demographics"),
]
W = {pair: index for index, pair in enumerate(WHATS)}
MEASURE_WHAT = len(WHATS)  # + the instrument's index in INSTRUMENT_NAMES: "outcome measure: X"
READS = [W["view", "chart"], W["view", "progress and reassessment"], W["view", "outcome measures"]]
READS += [W["view", "visit note"]]


@dataclass
class ScaleResult:
    created: bool
    clinic: Clinic | None = None
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    special: dict[int, int] = field(default_factory=dict)  # visits -> client id
    seconds: float = 0.0


def special_email(visits: int) -> str:
    """The address that marks the client with exactly this many visits (benchmarks find it)."""
    return f"scale-{visits}-visits@example.org"


def staff_email(kind: str, number: int = 0) -> str:
    return f"{kind}{number:02d}@scale.kneadwell.test" if number else f"{kind}@scale.kneadwell.test"


def create_scale(
    visits: int,
    *,
    seed: int = 20261123,
    special: Sequence[int] = SPECIAL_VISITS,
    access_log: int | None = None,
    until: date | None = None,
    say: Callable[[str], None] = print,
) -> ScaleResult:
    """Grow the Scale Clinic to `visits` signed and draft visit notes (the special clients'
    included) over the ten years before `until` (today), with at least `access_log` entries in
    the access log. A clinic of that name that already exists is left alone."""

    clinic = Clinic.objects.filter(name=SCALE_CLINIC).first()
    if clinic is not None:
        return ScaleResult(created=False, clinic=clinic)
    if visits < sum(special) + 10:
        raise ValueError(f"Ask for at least {sum(special) + 10:,} visits.")
    started = clock.monotonic()
    builder = _Builder(visits, random.Random(seed), until or timezone.localdate(), say)
    with transaction.atomic():
        builder.staff(DEMO_PASSWORD)
    builder.history(special)
    builder.write_log(access_log or 0)
    # As the nightly task would: a bulk load leaves SQLite's planner without statistics.
    statistics.refresh()
    result = ScaleResult(
        created=True,
        clinic=builder.clinic,
        logins=builder.logins,
        counts=builder.counts,
        special=builder.special,
        seconds=clock.monotonic() - started,
    )
    return result


class _Log:
    """Access-log events as compact columns, written in time order at the end."""

    def __init__(self):
        self.at = array("q")  # seconds since the epoch
        self.user = array("H")  # index into the builder's users
        self.client = array("q")  # 0: no client
        self.what = array("H")

    def add(self, at: datetime, user: int, client: int, what: int) -> None:
        self.at.append(int(at.timestamp()))
        self.user.append(user)
        self.client.append(client)
        self.what.append(what)

    def __len__(self):
        return len(self.at)


@dataclass
class _Profile:
    """One kind of client (a screening profile, perhaps with a caution) and its plan draft."""

    answers: dict
    findings: list
    draft: object
    template: str
    condition: str
    rescreen: bool
    regions: list[str]


class _Builder:
    def __init__(self, visits: int, rng: random.Random, until: date, say):

        self.total = visits
        self.rng = rng
        self.until = until
        self.start = until - timedelta(days=365 * YEARS)
        self.say = say
        self.knowledge = load_knowledge()
        self.instruments = load_instruments()
        self.instrument_names = list(self.instruments)
        self.log = _Log()
        self.counts: dict[str, int] = {}
        self.special: dict[int, int] = {}
        self.logins: list[tuple[str, str, str]] = []
        self.profiles: dict[tuple[int, int], _Profile] = {}
        self.therapist_clients: dict[int, list[int]] = {}
        self.started = clock.monotonic()

    # --- people ---------------------------------------------------------------------------

    def staff(self, password: str) -> None:
        self.clinic = Clinic.objects.create(name=SCALE_CLINIC)
        # A clinic seeing this many visits a year needs about one therapist per 1,500.
        therapists = min(80, max(3, round(self.total / YEARS / 1500)))
        hashed = make_password(password)
        people = [(Role.OWNER, staff_email("owner"), "Orla", "Owensby")]
        people += [(Role.FRONT_DESK, staff_email("desk", n), "Dana", f"Desk{n}") for n in (1, 2)]
        for n in range(1, therapists + 1):
            given = GIVEN[(n * 7) % len(GIVEN)]
            family = FAMILY_HEADS[n % len(FAMILY_HEADS)] + FAMILY_TAILS[n % len(FAMILY_TAILS)]
            people.append((Role.THERAPIST, staff_email("therapist", n), given, family))
        users = User.objects.bulk_create(
            [User(email=e, first_name=f, last_name=la, password=hashed) for _, e, f, la in people]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, clinic=self.clinic, role=role)
                for u, (role, *_) in zip(users, people, strict=True)
            ]
        )
        self.users = users
        self.addresses = [f"10.20.{i // 250}.{i % 250 + 2}" for i in range(len(users))]
        self.owner, self.desk = 0, [1, 2]
        self.therapists = list(range(3, len(users)))
        # One therapist's notes reach the log through the API (a tablet app, say).
        self.api_user = self.therapists[-1]
        self.logins = [(r.label, e, password) for r, e, *_ in (people[0], people[3], people[1])]
        self.counts["staff"] = len(users)

    # --- the record -----------------------------------------------------------------------

    def history(self, special: Sequence[int]) -> None:
        plan = self._visit_counts(special)
        self.ids = bulk.next_ids(*_models())
        batch = _Batch()
        done = 0
        for index, (n_visits, is_special) in enumerate(plan):
            self._client(batch, index, n_visits, is_special)
            if batch.visit_count >= 20000 or index == len(plan) - 1:
                done += batch.visit_count
                self._save(batch)
                batch = _Batch()
                self._progress(f"{done:,} of {self.total:,} visits")
        bulk.reset_sequences(*_models())

    def _number(self, obj):
        """Give a new row its primary key now, so the rows that point to it can."""
        model = type(obj)
        obj.pk = self.ids[model]
        self.ids[model] += 1
        return obj

    def _visit_counts(self, special: Sequence[int]) -> list[tuple[int, bool]]:
        """How many visits each client has: the special clients first, then a long tail."""
        counts = [(n, True) for n in special]
        left = self.total - sum(special)
        sigma = 1.0
        while left > 0:
            n = min(
                MAX_VISITS, max(1, round(self.rng.lognormvariate(math.log(MEDIAN_VISITS), sigma)))
            )
            n = min(n, left)
            counts.append((n, False))
            left -= n
        self.rng.shuffle(counts)
        return counts

    def _profile(self, key: tuple[int, int]) -> _Profile:
        """The screening answers, findings and plan draft of a profile, evaluated once."""
        if key not in self.profiles:
            profile_index, caution = key
            profile = screening_demo.PROFILES[profile_index]
            answers = screening_demo.intake_answers(profile, random.Random(sum(key)))
            if caution:
                for name, value in screening_demo.CAUTIONS[caution - 1].items():
                    answers[name] = answers[name] + value if isinstance(value, list) else value
            findings = evaluate_for(self.clinic.pk, answers)
            condition = profile[0][0]
            template = self.knowledge.plan_for(condition)
            restrictions = restrictions_from(findings)
            self.profiles[key] = _Profile(
                answers=answers,
                findings=[f.to_dict() for f in findings],
                draft=draft_from_template(template, self.knowledge, restrictions),
                template=template.id,
                condition=condition,
                rescreen=bool(rescreen_conditions(answers)),
                regions=[r for r in profile[1] if r not in restrictions.avoid_regions][:2]
                or ["upper_back"],
            )
        return self.profiles[key]

    def _client(self, batch: _Batch, index: int, n_visits: int, is_special: bool) -> None:

        rng = self.rng
        given = rng.choice(GIVEN)
        family = rng.choice(FAMILY_HEADS) + rng.choice(FAMILY_TAILS)
        therapist = rng.choice(self.therapists)
        second = rng.choice(self.therapists) if rng.random() < 0.1 else None
        days = (self.until - self.start).days
        # A client needs room for their visits before today (about three days each at least).
        latest_start = max(0, days - 3 * n_visits - 1)
        arrival = self.start + timedelta(days=0 if is_special else rng.randrange(latest_start + 1))
        created = _at(arrival - timedelta(days=rng.randrange(1, 10)), 9 + rng.randrange(8))
        consented = created.date()
        client = self._number(
            Client(
                clinic=self.clinic,
                given_names=given,
                family_name=family,
                birth_date=date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 62)),
                gender=rng.choice(["female", "male", "female", "male", "other"]),
                phone=f"555-{rng.randrange(1000, 9999)}",
                email=special_email(n_visits) if is_special else f"client{index}@example.org",
                city="Exampleton",
                postal_code=f"EX{rng.randrange(1, 9)} {rng.randrange(1, 9)}AB",
                physician_name=rng.choice(
                    ["Dr. Helena Marsh", "Dr. Samuel Okafor", "Dr. Ingrid Valdés"]
                ),
                consent_treatment=True,
                consent_treatment_date=consented,
                consent_data=True,
                consent_data_date=consented,
                created_at=created,
                updated_at=created,
            )
        )
        client.fill_search_columns()  # bulk.insert does not call save()
        batch.clients.append(client)
        for who in {therapist, second} - {None}:
            link = self._number(Client.therapists.through(client=client, user=self.users[who]))
            batch.links.append(link)
            self.therapist_clients.setdefault(who, []).append(client.pk)
        batch.log.append((created, rng.choice(self.desk), client, W["create", "client record"]))
        caution = rng.randrange(1, 5) if rng.random() < 0.15 else 0
        profile_index = rng.randrange(len(screening_demo.PROFILES))
        dates = self._visit_dates(arrival, n_visits, is_special)
        for number, course_dates in enumerate(dates):
            if number and rng.random() < 0.3:
                profile_index = rng.randrange(len(screening_demo.PROFILES))
            last_course = number == len(dates) - 1
            ended = self._course(
                batch,
                client,
                therapist,
                second,
                (profile_index, caution),
                course_dates,
                last_course,
            )
            if last_course and ended:
                client.status = ClientStatus.DISCHARGED
                client.discharged_at = ended
                client.updated_at = ended
        if not is_special and rng.random() < 0.02 and client.status == ClientStatus.DISCHARGED:
            client.archived_at = client.discharged_at + timedelta(days=400)
            if client.archived_at.date() > self.until:
                client.archived_at = None

    def _visit_dates(self, arrival: date, n: int, is_special: bool) -> list[list[date]]:
        """The client's visit dates, grouped into courses of care, all before today."""
        rng = self.rng
        courses, left = [], n
        long_courses = is_special and n >= 100
        while left > 0:
            size = rng.randint(30, 60) if long_courses else rng.randint(4, 12)
            size = left if left - size < 3 else size
            courses.append(size)
            left -= size
        offsets, day = [], 0
        for number, size in enumerate(courses):
            if number:
                day += rng.randint(3, 14) if long_courses else rng.randint(30, 400)
            course = []
            step = (3, 4) if long_courses or rng.random() < 0.15 else (6, 8)
            for _ in range(size):
                course.append(day)
                day += rng.randint(*step)
            offsets.append(course)
        available = (self.until - timedelta(days=1) - arrival).days
        span = offsets[-1][-1] or 1
        factor = min(1.0, available / span)
        result, previous = [], -1
        for course in offsets:
            days = []
            for offset in course:
                previous = max(previous + 1, int(offset * factor))
                days.append(arrival + timedelta(days=previous))
            result.append(days)
        return result

    def _course(self, batch, client, therapist, second, key, dates, last_course):
        """One course of care: intake, screening, plan, visits, measures, decisions and perhaps a
        discharge. Returns when the client was discharged, or None."""

        rng = self.rng
        profile = self._profile(key)
        draft = profile.draft
        by = self.users[therapist]
        first = _at(dates[0], 8 + rng.randrange(10), rng.choice([0, 15, 30, 45]))
        intake_at = first - timedelta(minutes=20)
        intake = Intake(client=client, answers=profile.answers, created_by=by, created_at=intake_at)
        self._number(intake)
        screening = self._number(
            Screening(
                client=client,
                intake=intake,
                kind=ScreeningKind.INTAKE,
                answers=profile.answers,
                findings=profile.findings,
                created_by=by,
                at=intake_at,
            )
        )
        batch.intakes.append(intake)
        batch.screenings.append(screening)
        batch.log.append(
            (intake_at - timedelta(minutes=15), therapist, client, W["view", "intake form"])
        )
        batch.log.append((intake_at, therapist, client, W["create", "intake and screening"]))
        plan = self._number(
            Plan(
                clinic=self.clinic,
                client=client,
                condition=profile.condition,
                template=profile.template,
                status=PlanStatus.ACTIVE,
                created_by=by,
                created_at=intake_at + timedelta(minutes=5),
            )
        )
        version = self._number(
            PlanVersion(
                plan=plan,
                number=1,
                created_by=by,
                created_at=plan.created_at,
                goals=[{"text": rng.choice(screening_demo.GOALS), "psfs_activity": ""}],
                techniques=draft.techniques,
                max_pressure=draft.max_pressure,
                session_minutes=draft.session_minutes or 45,
                sessions_per_week=draft.sessions_per_week or 1,
                planned_sessions=draft.planned_sessions or 8,
                reassess_after_visits=draft.reassess_after_visits or 4,
                reassess_after_weeks=draft.reassess_after_weeks,
                combine_with=draft.combine_with,
                measures=draft.measures,
                positioning="\n".join(draft.positioning),
            )
        )
        batch.plans.append(plan)
        batch.versions.append(version)
        batch.log.append(
            (plan.created_at - timedelta(minutes=2), therapist, client, W["view", "plan form"])
        )
        batch.log.append((plan.created_at, therapist, client, W["create", "treatment plan"]))

        outcome = rng.choices(list(OUTCOMES), OUTCOME_WEIGHTS)[0]
        pain = rng.randint(4, 8)
        level = rng.uniform(0.3, 0.65)  # questionnaire burden at baseline, share of the maximum
        measures = self.knowledge.conditions[profile.condition].measures
        responses: list = []

        def record(instrument_id, share, at, **context):
            answers = _answers_for(self.instruments[instrument_id], share, rng)
            if instrument_id == "psfs":
                context = {"activities": {"1": version.goals[0]["text"]}}
                answers = {"1": answers["1"]}
            response = Response.build(
                client,
                instrument_id,
                answers,
                rule=self.instruments[instrument_id].missing.default,
                taken_at=at,
                entered_by=by,
                **context,
            )
            response.created_at = at
            responses.append(self._number(response))
            if instrument_id != "nprs" or context.get("recall") != "now":
                what = MEASURE_WHAT + self.instrument_names.index(instrument_id)
                batch.log.append((at, therapist, client, what))
            return response

        for instrument_id in measures.baseline:
            extra = {"recall": "average_week"} if instrument_id == "nprs" else {}
            share = pain / 10 if instrument_id == "nprs" else level
            record(instrument_id, share, first - timedelta(minutes=10), **extra)

        every = version.reassess_after_visits
        changed = referred = False
        n = len(dates)
        ended = None
        recent = (self.until - dates[-1]).days < 56
        discharged = not (last_course and recent) and rng.random() < 0.7
        for k, day in enumerate(dates):
            progress = k / max(n - 1, 1)
            factor = 1 + (OUTCOMES[outcome] - 1) * progress
            who = second if second is not None and rng.random() < 0.1 else therapist
            at = _at(day, 8 + rng.randrange(10), rng.choice([0, 15, 30, 45]))
            rating = max(0, min(10, round(pain * factor + rng.uniform(-1, 1))))
            draft_left = last_course and recent and k == n - 1 and rng.random() < 0.2
            visit = self._visit(batch, client, who, version, at, rating, profile, draft_left)
            if rng.random() < 0.3:
                batch.log.append(
                    (at - timedelta(minutes=12), who, client, W["list", "client list"])
                )
            batch.log.append((at - timedelta(minutes=10), who, client, W["view", "chart"]))
            batch.log.append(
                (at - timedelta(minutes=1), who, client, W["create", "visit note (draft)"])
            )
            if profile.rescreen:
                batch.screenings.append(
                    self._number(
                        Screening(
                            client=client,
                            intake=intake,
                            kind=ScreeningKind.VISIT_CHECKIN,
                            answers=profile.answers,
                            findings=profile.findings,
                            created_by=self.users[who],
                            at=at,
                        )
                    )
                )
                batch.log.append((at, who, client, W["create", "visit check-in screening"]))
            if draft_left:
                continue
            signed = visit.signed_at
            batch.log.append((signed, who, client, W["update", "visit note"]))
            record("nprs", rating / 10, at, recall="now")
            if rng.random() < 0.005:
                note_at = signed + timedelta(days=1)
                text = "Client phoned: soreness settled."
                addendum = Addendum(visit=visit, author=self.users[who], text=text)
                addendum.created_at = note_at
                batch.addenda.append(self._number(addendum))
                batch.log.append((note_at, who, client, W["update", "visit note addendum"]))
            if every and (k + 1) % every == 0 and k < n - 1:
                decided = signed + timedelta(minutes=5)
                for instrument_id in measures.periodic:
                    record(instrument_id, level * factor, decided - timedelta(minutes=2))
                improving = outcome == "improving" or (outcome != "worse" and k >= 2 * every)
                decision = "continue"
                if not improving and not changed:
                    decision, changed = "change_plan", True
                elif not improving and not referred:
                    decision, referred = "refer_physician", True
                batch.reassessments.append(
                    self._number(
                        Reassessment(
                            client=client,
                            plan=plan,
                            plan_version=version,
                            decision=decision,
                            primary_instrument=(measures.periodic or ["nprs"])[0],
                            primary_status="improved" if improving else "no_meaningful_change",
                            decided_at=decided,
                            by=self.users[who],
                        )
                    )
                )
                batch.log.append(
                    (
                        decided - timedelta(minutes=1),
                        who,
                        client,
                        W["view", "progress and reassessment"],
                    )
                )
                batch.log.append((decided, who, client, W["create", "reassessment decision"]))
                if decision == "change_plan":
                    version = self._new_version(
                        batch, plan, version, decided + timedelta(minutes=3)
                    )
                    batch.log.append(
                        (
                            decided + timedelta(minutes=3),
                            who,
                            client,
                            W["update", "treatment plan (new version)"],
                        )
                    )
        if discharged and not draft_left:
            last = responses[-1].taken_at + timedelta(minutes=30)
            for instrument_id in measures.end_of_course:
                if instrument_id == "pgic":
                    low, high = PGIC_FOR[outcome]
                    share = (rng.randint(low, high) - 1) / 6
                else:
                    share = level * OUTCOMES[outcome]
                record(instrument_id, share, last)
            ended = last + timedelta(minutes=20)
            self._discharge(batch, client, plan, version, responses, dates, therapist, ended)
        if not last_course or ended:
            plan.status = PlanStatus.CLOSED
        batch.responses.extend(responses)
        return ended

    def _visit(self, batch, client, who, version, at, rating, profile, draft_left):

        rng = self.rng
        region = profile.regions[0]
        technique_max = self.knowledge.techniques
        treatment = [
            {
                "technique": t,
                "region": profile.regions[i % len(profile.regions)],
                "pressure": min(version.max_pressure, technique_max[t].pressure_max),
                "minutes": 15,
            }
            for i, t in enumerate(version.techniques[:2])
        ]
        by = self.users[who]
        minutes = version.session_minutes
        signed_at = at + timedelta(minutes=minutes + 10)
        adverse = []
        if rng.random() < 0.04:
            adverse = [{**rng.choice(ADVERSE), "action": rng.choice(ACTIONS)}]
        visit = self._number(
            Visit(
                clinic=self.clinic,
                client=client,
                therapist=by,
                plan_version=version,
                visit_date=at.date(),
                start_time=at.time(),
                duration_minutes=minutes,
                nprs=rating,
                client_report=rng.choice(REPORTS),
                changes_since_last=rng.choice(CHANGES),
                adverse_effects=adverse,
                objective=rng.choice(FINDINGS),
                pain_regions=[region],
                treated_regions=sorted({row["region"] for row in treatment}),
                treatment=treatment,
                assessment=rng.choice(ASSESSMENTS),
                plan_text=rng.choice(PLANS),
                home_advice=rng.choice(ADVICE),
                status=VisitStatus.DRAFT if draft_left else VisitStatus.SIGNED,
                signed_at=None if draft_left else signed_at,
                signed_by=None if draft_left else by,
                draft_saved_at=signed_at if draft_left else None,
                created_at=at,
                updated_at=signed_at,
            )
        )
        batch.visits.append(visit)
        return visit

    def _new_version(self, batch, plan, version, at):

        values = {
            f.name: getattr(version, f.name)
            for f in PlanVersion._meta.concrete_fields
            if f.name not in ("id", "plan", "number", "created_at", "created_by", "change_note")
        }
        new = self._number(
            PlanVersion(
                plan=plan,
                number=version.number + 1,
                created_by=version.created_by,
                created_at=at,
                change_note="Shorter sessions and a daily walking programme.",
                **values,
            )
        )
        new.session_minutes = (
            30 if (version.session_minutes or 45) > 30 else version.session_minutes
        )
        batch.versions.append(new)
        return new

    def _discharge(self, batch, client, plan, version, responses, dates, therapist, when):

        found = progress.courses(responses)
        goals = [(g["text"], "met") for g in version.goals if g.get("text")]
        plans = [{"id": plan.pk, "condition": plan.condition, "version": version.number}]
        record = Discharge(
            client=client,
            summary=discharge.summary(found, dates, goals, plans),
            recommendations="Keep up the daily walk and the stretches from the handout.",
            discharged_at=when,
            by=self.users[therapist],
        )
        batch.discharges.append(self._number(record))
        batch.log.append(
            (when - timedelta(minutes=5), therapist, client, W["view", "discharge form"])
        )
        batch.log.append((when, therapist, client, W["create", "discharge summary"]))

    def _save(self, batch: _Batch) -> None:
        """Insert a batch, parents first, in one transaction."""
        with transaction.atomic():
            for model, rows in zip(_models(), batch.tables(), strict=True):
                bulk.insert(model, rows, with_pk=True)
                if not model._meta.auto_created:  # the client-therapist links
                    name = str(model._meta.verbose_name_plural).replace("addendums", "addenda")
                    self.counts[name] = self.counts.get(name, 0) + len(rows)
        for client in batch.clients:
            if client.email.startswith("scale-"):
                self.special[int(client.email.split("-")[1])] = client.pk
        for at, user, client, what in batch.log:
            self.log.add(at, user, client.pk, what)

    # --- the access log -------------------------------------------------------------------

    def write_log(self, at_least: int) -> None:
        """Write the log in time order, chained by the audit app; reads fill it up to
        `at_least` entries (staff opening charts, progress pages and notes again)."""

        log, rng = self.log, self.rng
        # Extra reads, each some hours to weeks after an event of the same client and person.
        limit = int(datetime.combine(self.until, time(0), tzinfo=UTC).timestamp())
        base = len(log)
        therapists = set(self.therapists)
        for _ in range(max(0, at_least - base)):
            j = rng.randrange(base)
            while log.client[j] == 0:
                j = rng.randrange(base)
            at = min(limit - 60, log.at[j] + rng.randrange(3600, 30 * 86400))
            log.at.append(at)
            log.user.append(log.user[j] if log.user[j] in therapists else self.owner)
            log.client.append(log.client[j])
            log.what.append(rng.choice(READS))
        order = sorted(range(len(log)), key=log.at.__getitem__)
        names = [self.instruments[i].short_name for i in self.instrument_names]
        clinic_id = self.clinic.pk
        chunk: list[AccessLogEntry] = []
        written = 0
        for j in order:
            user = log.user[j]
            code = log.what[j]
            if code >= MEASURE_WHAT:
                action, what = "create", f"outcome measure: {names[code - MEASURE_WHAT]}"
            else:
                action, what = WHATS[code]
            client_id = log.client[j] or None
            if action == "list":
                mine = self.therapist_clients.get(user) or [client_id]
                ids = sorted(rng.sample(mine, min(25, len(mine))))
                what, client_id = f"client list: {','.join(map(str, ids))}", None
            chunk.append(
                AccessLogEntry(
                    at=datetime.fromtimestamp(log.at[j], tz=UTC),
                    clinic_id=clinic_id,
                    user_id=self.users[user].pk,
                    user_email=self.users[user].email,
                    client_id=client_id,
                    action=action,
                    what=what,
                    channel=Channel.API if user == self.api_user else Channel.UI,
                    address=self.addresses[user],
                )
            )
            if len(chunk) == 20000:
                AccessLogEntry.extend(chunk)
                written += len(chunk)
                chunk = []
                if written % 200000 == 0:
                    self._progress(f"{written:,} of {len(order):,} access-log entries")
        AccessLogEntry.extend(chunk)
        self.counts["access-log entries"] = written + len(chunk)
        self._progress(f"{self.counts['access-log entries']:,} access-log entries")

    def _progress(self, text: str) -> None:
        self.say(f"  {text} ({clock.monotonic() - self.started:.0f} s)")


def _models():
    """The tables the history fills, parents before the rows that point to them."""
    return [
        Client,
        Client.therapists.through,
        Intake,
        Screening,
        Plan,
        PlanVersion,
        Visit,
        Addendum,
        Response,
        Reassessment,
        Discharge,
    ]


class _Batch:
    """The rows of a few hundred clients, inserted together, parents first."""

    def __init__(self):
        self.clients, self.links, self.intakes, self.screenings = [], [], [], []
        self.plans, self.versions, self.visits, self.addenda = [], [], [], []
        self.responses, self.reassessments, self.discharges, self.log = [], [], [], []

    def tables(self) -> list[list]:
        return [
            self.clients,
            self.links,
            self.intakes,
            self.screenings,
            self.plans,
            self.versions,
            self.visits,
            self.addenda,
            self.responses,
            self.reassessments,
            self.discharges,
        ]

    @property
    def visit_count(self) -> int:
        return len(self.visits)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _answers_for(instrument, share: float, rng: random.Random) -> dict[str, int]:
    """Plausible answers to every item whose scores sit near `share` of each item's maximum
    (the burden: for higher-is-better instruments the scores sit near 1 - share)."""
    share = min(max(share, 0.0), 1.0)
    if instrument.direction == "higher_is_better":
        share = 1 - share
    answers = {}
    for item in instrument.items:
        values = item.allowed_values()
        scores = [item.score_of(v) for v in values]
        low, high = min(scores), max(scores)
        target = low + (high - low) * share + rng.uniform(-0.15, 0.15) * (high - low)
        answers[item.id] = min(values, key=lambda v: abs(item.score_of(v) - target))
    return answers
