"""Reassessment timing for every plan template (FACTS §6.2, proposed conventions): the
questionnaire point every 2 weeks or 3-4 sessions, the no-response prompt after 4-6 sessions or
about 4 weeks without a meaningful change or at once on worsening, and "continue" only while the
client improves or the trial is not over. Pure functions; no database."""

from datetime import date, timedelta

import pytest

from kneadwell.knowledge.loader import load_knowledge
from kneadwell.reports.reassess import options, prompt, reassessment_point, trial, trial_text

TEMPLATES = list(load_knowledge().plans.values())
START = date(2026, 3, 2)


def weekly(count: int) -> list[date]:
    return [START + timedelta(weeks=n) for n in range(count)]


def twice_a_week(count: int) -> list[date]:
    return [START + timedelta(days=3 * n + (n // 2)) for n in range(count)]


def _trial(template, visits, today):
    rule = template.not_improving
    return trial(
        visits,
        started=START,
        after_visits=(rule.after_visits.min, rule.after_visits.max) if rule.after_visits else None,
        after_weeks=(rule.after_weeks.min, rule.after_weeks.max) if rule.after_weeks else None,
        today=today,
    )


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_every_template_reassesses_every_2_weeks_or_3_to_4_sessions(template):
    assert (template.reassess_after.visits.min, template.reassess_after.visits.max) == (3, 4)
    assert (template.reassess_after.weeks.min, template.reassess_after.weeks.max) == (2, 2)
    assert template.not_improving.after_visits is not None
    assert (template.not_improving.after_visits.min, template.not_improving.after_visits.max) == (
        4,
        6,
    )
    assert template.not_improving.after_weeks.min == 4


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_the_questionnaire_point_falls_due_at_the_third_session_or_second_week(template):
    after = template.reassess_after
    twice = twice_a_week(3)  # three sessions inside the first 2 weeks
    kwargs = dict(version_started=START, last_decision=None)
    before = reassessment_point(
        twice[:2],
        **kwargs,
        after_visits=after.visits.min,
        after_weeks=after.weeks.min,
        today=twice[1],
    )
    assert not before.due
    at = reassessment_point(
        twice, **kwargs, after_visits=after.visits.min, after_weeks=after.weeks.min, today=twice[2]
    )
    assert at.due and at.due_on == twice[2]
    # Weekly sessions: the 2-week mark comes before the third session.
    mark = START + timedelta(weeks=after.weeks.min)
    by_weeks = reassessment_point(
        weekly(2),
        **kwargs,
        after_visits=after.visits.min,
        after_weeks=after.weeks.min,
        today=mark,
    )
    assert by_weeks.due and by_weeks.due_on == mark


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_the_no_response_prompt_opens_at_the_window_and_continue_ends_with_the_trial(template):
    rule = template.not_improving
    low, high = rule.after_visits.min, rule.after_visits.max
    visits = twice_a_week(high + 1)
    # Before the window: no prompt, continuing is offered.
    early = _trial(template, visits[: low - 1], visits[low - 2])
    assert not early.opened and prompt("no_change", early, None, None) is None
    assert options("no_change", early.over, rule.options)[0] == "continue"
    # At the window's start (4 sessions): the prompt is up, the trial is not over yet.
    opened = _trial(template, visits[:low], visits[low - 1])
    assert opened.opened and not opened.over
    assert prompt("no_change", opened, None, None) == "no_response"
    assert "continue" in options("no_change", opened.over, rule.options)
    # A decision after the prompt answers it until the trial is over.
    assert prompt("no_change", opened, visits[low - 1], None) is None
    # At the window's end (6 sessions, or the weeks' maximum): over, no continue.
    over = _trial(template, visits[:high], visits[high - 1])
    assert over.over
    assert prompt("no_change", over, visits[low - 1], None) == "no_response"
    assert options("no_change", True, rule.options) == list(rule.options)
    # An improving client may always continue.
    assert options("improved", True, rule.options)[0] == "continue"


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_about_four_weeks_ends_the_trial_for_weekly_sessions(template):
    rule = template.not_improving
    visits = weekly(3)
    today = START + timedelta(weeks=rule.after_weeks.max)
    course = _trial(template, visits, today)
    assert course.sessions == 3 and course.over and course.over_on == today
    assert START + timedelta(weeks=rule.after_weeks.min) == course.opens_on


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_worse_prompts_at_once_without_continue(template):
    rule = template.not_improving
    visits = twice_a_week(1)
    course = _trial(template, visits, visits[0])
    assert not course.opened
    assert prompt("worse", course, None, visits[0]) == "worse"
    assert "continue" not in options("worse", course.over, rule.options)
    assert "refer_physician" in options("worse", course.over, rule.options)
    # Answered by a decision on or after the worse score.
    assert prompt("worse", course, visits[0], visits[0]) is None


def test_the_letter_quotes_the_templates_own_window():
    plans = load_knowledge().plans
    assert "4-6 sessions or about 4 weeks" in trial_text(plans["chronic_lbp_plan"])
    assert "4-6 sessions or about 4-6 weeks" in trial_text(plans["sciatica_plan"])
