"""Filling the portal's intake and check-in the way a client does, through the pages."""

from django.urls import reverse

from kneadwell.portal import intake as steps
from kneadwell.portal.checkin import PortalCheckinForm
from kneadwell.screening import enforce

# Everything a complete intake needs, per step, with every red-flag question answered no.
ANSWERS = {
    "problem": {"complaint": "Low back pain when I sit for long", "duration": "about 3 months"},
    "health": {"medications": "Ibuprofen 200 mg when needed"},
    "pregnancy": {},
    "pain": {"pain_areas": ["low_back"]},
    "goals": {"goals": "Walk the dog for an hour"},
    "consent": {"consent": "on", "signature": "Ada Lovelace", "signed_on": "2026-01-05"},
}


def safety_answers(conditions=(), yes=()) -> dict:
    return {name: "yes" if name in yes else "no" for name in steps.safety_fields(conditions)}


def fill_intake(browser, conditions=("chronic_lbp",), yes=()) -> None:
    """Every step of the intake, complete, then sent to the clinic."""
    for step in steps.STEP_IDS:
        data = dict(ANSWERS.get(step, {}))
        if step == "problem":
            data["conditions"] = list(conditions)
        if step == "safety":
            data = safety_answers(conditions, yes)
        response = browser.post(reverse("portal:intake_step", args=[step]), data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    response = browser.post(reverse("portal:intake"))
    assert response.status_code == 302


def checkin_answers(client, *, nprs=4, yes=(), **extra) -> dict:
    """A complete check-in: pain now, every question answered no unless named in `yes`."""
    conditions = enforce.rescreen_conditions(enforce.latest_screening(client).answers)
    form = PortalCheckinForm(conditions=conditions)
    data = {"nprs": str(nprs), "fall": "no"}
    for field in [*form.today_group, *form.red_flag_group]:
        data[field.name] = "yes" if field.name in yes else "no"
    data.update(extra)
    return data
