"""The honest answer to "how many sessions will I need?" for one plan, from this clinic's own
courses: how many sessions it took clients with the same condition, starting from a similar
score on the same measure, to reach a meaningful improvement. Shown only for a group of at
least the clinic's minimum; otherwise the knowledge base's evidence statement, with its
certainty. The plan page (staff) and the portal (the client) show it through
`templates/analytics/partials/outlook.html`.

Wording follows FACTS §2 and §6.2: it describes past clients, never promises, never speaks of
a cure, and says that some people do not improve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from kneadwell.analytics import outcomes, stats
from kneadwell.analytics.models import CourseMeasure, OutcomeSettings
from kneadwell.analytics.refresh import refresh
from kneadwell.analytics.summary import primary_instrument
from kneadwell.knowledge.instruments.change import ChangeError, read_change
from kneadwell.knowledge.instruments.registry import get_instrument
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.schema import EvidenceStatement


@dataclass(frozen=True)
class Outlook:
    """What to tell about one plan. `kind` is "clinic" when the clinic's own figures are shown,
    "evidence" when only the evidence statement is (too few similar courses)."""

    kind: str
    condition: str  # its name
    measure: str  # the instrument's short name, or ""
    threshold: str  # what counts as a meaningful improvement, in words
    band: str  # the similar-start group, or "" when all baselines were pooled
    n: int  # similar courses counted
    min_group: int
    quartile: stats.Quantile | None
    median: stats.Quantile | None
    three_quarters: stats.Quantile | None
    reached: float | None  # the share improved by `reached_by` when half was not reached
    reached_by: float | None
    evidence: EvidenceStatement | None

    @property
    def has_figures(self) -> bool:
        return self.kind == "clinic"

    @property
    def for_staff(self) -> list[str]:
        return answer(self, "staff")

    @property
    def for_client(self) -> list[str]:
        return answer(self, "client")


def for_plan(plan, today: date | None = None) -> Outlook:
    """The outlook for a plan, from every other client's first course for the condition."""
    today = today or timezone.localdate()
    refresh(plan.clinic_id)
    settings = OutcomeSettings.for_clinic(plan.clinic_id)
    first = plan.versions.order_by("number").first()
    instrument = primary_instrument(first.measures if first else {})
    evidence = evidence_statement(plan.condition)
    condition = outcomes.condition_name(plan.condition)
    base = {
        "condition": condition,
        "min_group": settings.min_group,
        "evidence": evidence,
        "quartile": None,
        "median": None,
        "three_quarters": None,
        "reached": None,
        "reached_by": None,
    }
    if instrument is None:
        return Outlook("evidence", measure="", threshold="", band="", n=0, **base)
    spec = get_instrument(instrument)
    similar = CourseMeasure.objects.filter(
        course__clinic_id=plan.clinic_id,
        course__condition=plan.condition,
        course__first_of_condition=True,
        instrument=instrument,
        scale="",
        baseline__isnull=False,
        followups__gt=0,
    ).exclude(course__client_id=plan.client_id)
    own = CourseMeasure.objects.filter(course_id=plan.pk, instrument=instrument, scale="").first()
    groups = [similar.filter(band=own.band), similar] if own and own.band else [similar]
    for index, group in enumerate(groups):
        counts = list(group.order_by().values_list("time", "event").annotate(n=Count("pk")))
        curve = outcomes.curve_of(counts)
        if curve.n < settings.min_group:
            continue
        q1, median, q3 = (stats.quantile(curve, s) for s in (0.25, 0.5, 0.75))
        last_event = max((s for s in curve.steps if s.events), key=lambda s: s.time, default=None)
        base.update(
            quartile=q1,
            median=median,
            three_quarters=q3,
            reached=last_event.reached if last_event else 0.0,
            reached_by=last_event.time if last_event else None,
        )
        band = own.band if own and own.band and index == 0 else ""
        return Outlook(
            "clinic",
            measure=spec.short_name,
            threshold=threshold_words(spec, own.baseline if own else None),
            band=band,
            n=int(curve.n),
            **base,
        )
    return Outlook("evidence", measure=spec.short_name, threshold="", band="", n=0, **base)


def threshold_words(spec, baseline: float | None) -> str:
    """What counts as meaningful on this measure, as the change reading applies it."""
    value = baseline if baseline is not None else sum(spec.range) / 2
    try:
        reading = read_change(spec, value, value) if spec.has_total else None
    except ChangeError:
        reading = None
    if reading is None:
        return f"a change on {spec.short_name} at least as large as its minimal important change"
    parts = []
    if reading.absolute_threshold is not None:
        parts.append(f"{reading.absolute_threshold:g} points")
    if reading.mic_percent_threshold is not None:  # a percent MIC, such as the FIQR's 14%
        parts.append(f"{reading.mic_percent_threshold:g}% of the starting score")
    if reading.percent_threshold is not None:
        parts.append(f"{reading.percent_threshold:g}% of the starting score")
    return f"an improvement of at least {' or '.join(parts)} on {spec.short_name}"


def evidence_statement(condition_id: str) -> EvidenceStatement | None:
    """The knowledge base's headline evidence about massage for the condition (the first such
    statement in its file), else its first evidence statement of any kind."""
    found = [e for e in load_knowledge().evidence_for(condition_id) if e.kind == "evidence"]
    massage = [e for e in found if e.intervention == "massage"]
    return (massage or found or [None])[0]


# --- Words (FACTS §2: no promise, no cure) ------------------------------------------------------

CAVEAT = (
    "This is what happened to past clients at this clinic, not a promise: people respond "
    "differently, and some do not improve."
)


def answer(outlook: Outlook, audience: str = "staff") -> list[str]:
    """The outlook in sentences, for the plan page (audience "staff") or the portal
    ("client"). Empty when there are no clinic figures to give."""
    if not outlook.has_figures:
        return []
    who = f"clients with {outlook.condition[:1].lower()}{outlook.condition[1:]}"
    start = (
        f"who started with a similar {outlook.measure} score"
        if outlook.band
        else f"who had a {outlook.measure} score at the start"
    )
    opening = f"At this clinic, of {outlook.n} {who} {start}, "
    median, q1, q3 = outlook.median, outlook.quartile, outlook.three_quarters
    if median is not None and median.estimate is not None:
        text = opening + f"half had a meaningful improvement by session {median.estimate:g}"
        if q1 is not None and q1.estimate is not None:
            text += f" (a quarter by session {q1.estimate:g}, "
            text += (
                f"three quarters by session {q3.estimate:g})"
                if q3 is not None and q3.estimate is not None
                else "and fewer than three quarters during their course)"
            )
        sentences = [text + "."]
    else:
        share = round((outlook.reached or 0) * 100)
        by = f" by session {outlook.reached_by:g}" if outlook.reached_by else ""
        sentences = [
            opening + "fewer than half had a meaningful improvement during their course "
            f"(about {share}%{by})."
        ]
    if audience == "staff":
        detail = f"Meaningful: {outlook.threshold}."
        if median is not None and median.estimate is not None:
            high = "not reached" if median.upper is None else f"{median.upper:g}"
            low = "—" if median.lower is None else f"{median.lower:g}"
            detail += f" Median 95% CI: session {low} to {high} (Kaplan–Meier, Brookmeyer–Crowley)."
        if outlook.band:
            detail += f" Similar start: {outlook.measure} {outlook.band}."
        detail += (
            " Each client's first course for the condition counts once; this client is left out."
        )
        sentences.append(detail)
    sentences.append(CAVEAT)
    return sentences
