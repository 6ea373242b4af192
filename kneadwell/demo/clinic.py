"""The Demo Clinic: invented staff and 30 invented clients for trying Kneadwell out.

Every person here is made up. Running it twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from kneadwell.accounts.models import Clinic, Membership, Role, User
from kneadwell.appointments import demo as appointments_demo
from kneadwell.clients.models import Client
from kneadwell.demo import courses as courses_demo
from kneadwell.demo import outcomes as outcomes_demo
from kneadwell.measures import demo as measures_demo
from kneadwell.portal import demo as portal_demo
from kneadwell.screening import demo as screening_demo
from kneadwell.visits import demo as visits_demo

DEMO_CLINIC = "Demo Clinic"
DEMO_PASSWORD = "demo-knead-2026"
STAFF = [
    (Role.OWNER, "owner@demo.kneadwell.test", "Olivia", "Ormond"),
    (Role.THERAPIST, "tess@demo.kneadwell.test", "Tess", "Thornbury"),
    (Role.THERAPIST, "theo@demo.kneadwell.test", "Theo", "Tamsworth"),
    (Role.FRONT_DESK, "desk@demo.kneadwell.test", "Dana", "Deskford"),
]
GIVEN = [
    "Amara",
    "Bruno",
    "Celia",
    "Dmitri",
    "Elif",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kalani",
    "Lorenzo",
    "Maren",
    "Nadia",
    "Osei",
    "Priya",
    "Quentin",
    "Rosalind",
    "Soren",
    "Talia",
    "Ulrich",
    "Vesna",
    "Wendell",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Anselm",
    "Beatrix",
    "Cormac",
    "Delphine",
]
FAMILY = [
    "Ashgrove",
    "Brindlecombe",
    "Calloway",
    "Dunmore",
    "Elsworth",
    "Fairweather",
    "Gallant",
    "Hollins",
    "Ivesdale",
    "Jessop",
    "Kettering",
    "Larkspur",
    "Moorcroft",
    "Nettleton",
    "Oakhurst",
    "Pemberly",
    "Quarrington",
    "Redfern",
    "Stillwater",
    "Thistlewood",
    "Underhill",
    "Vantreight",
    "Westbrook",
    "Yardley",
    "Zellwood",
    "Applethwaite",
    "Birchall",
    "Coldwell",
    "Drummond",
    "Everleigh",
]
PHYSICIANS = [
    ("Dr. Helena Marsh", "Riverside Family Practice"),
    ("Dr. Samuel Okafor", "Northgate Medical Centre"),
    ("Dr. Ingrid Valdés", "Harbour Street Clinic"),
]


@dataclass
class DemoResult:
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    clinic: Clinic | None = None


def create_demo() -> DemoResult:
    logins = [(role.label, email, DEMO_PASSWORD) for role, email, _, _ in STAFF]
    clinic = Clinic.objects.filter(name=DEMO_CLINIC).first()
    if clinic is not None:
        return DemoResult(created=False, logins=logins, clinic=clinic)
    rng = random.Random(20261123)
    with transaction.atomic():
        clinic = Clinic.objects.create(name=DEMO_CLINIC)
        users = {}
        for role, email, first, last in STAFF:
            user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last)
            Membership.objects.create(user=user, clinic=clinic, role=role)
            users[email] = user
        therapists = [users["tess@demo.kneadwell.test"], users["theo@demo.kneadwell.test"]]
        today = date(2026, 11, 1)
        for i, (given, family) in enumerate(zip(GIVEN, FAMILY, strict=True)):
            born = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
            physician, practice = PHYSICIANS[i % len(PHYSICIANS)]
            consented = today - timedelta(days=rng.randrange(10, 400))
            client = Client.objects.create(
                clinic=clinic,
                given_names=given,
                family_name=family,
                preferred_name="Rosie" if given == "Rosalind" else "",
                birth_date=born,
                gender=rng.choice(["female", "male", "female", "male", "other"]),
                phone=f"555-01{i:02d}",
                email=f"{given.lower()}.{family.lower()}@example.org",
                address_line=f"{rng.randrange(1, 200)} {rng.choice(['Elm', 'Mill', 'Quay'])} Road",
                city="Exampleton",
                postal_code=f"EX{rng.randrange(1, 9)} {rng.randrange(1, 9)}AB",
                emergency_name=f"{rng.choice(GIVEN)} {family}",
                emergency_relationship=rng.choice(["partner", "daughter", "son", "friend"]),
                emergency_phone=f"555-02{i:02d}",
                physician_name=physician,
                physician_practice=practice,
                physician_phone="555-0300",
                consent_treatment=True,
                consent_treatment_date=consented,
                consent_data=True,
                consent_data_date=consented,
                # So that the walkthrough can email a letter to the physician.
                consent_share=True,
                consent_share_date=consented,
            )
            client.therapists.add(therapists[i % 2])
            if i % 10 == 0:
                client.therapists.add(therapists[(i + 1) % 2])
        # Each clinical app adds its own invented records, in workflow order.
        screening_demo.populate(clinic, rng)
        measures_demo.populate(clinic, rng, today=today)
        visits_demo.populate(clinic, rng)
        courses_demo.populate(clinic, rng)
        outcomes_demo.populate(clinic, rng, today=today)
        portal_demo.populate(clinic)
        # The calendar is around the real today, so today's list is today's.
        appointments_demo.populate(clinic, rng)
    return DemoResult(created=True, logins=logins, clinic=clinic)
