"""The library: staff browse and search the knowledge base; owners adjust safety rules.

Library pages show reference text, not client data, so any signed-in member may read them and
the search travels in the URL. Every lookup goes through access.py.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kneadwell.accounts.decorators import owner_required
from kneadwell.knowledge import library
from kneadwell.knowledge.access import adjustments_for, get_adjustment_for_user, get_entry_or_404
from kneadwell.knowledge.adjust import adjust_rule
from kneadwell.knowledge.forms import (
    GENERAL,
    EvidenceFilterForm,
    LibrarySearchForm,
    RuleAdjustmentForm,
)
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.knowledge.search import SECTIONS, search


@login_required
def index(request):
    context = {"counts": load_knowledge().counts(), "form": LibrarySearchForm()}
    return render(request, "knowledge/index.html", context)


@login_required
def library_search(request):
    form = LibrarySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    hits = search(load_knowledge(), query)
    sections = [
        (heading, [hit for hit in hits if hit.table == table])
        for table, heading in SECTIONS
        if any(hit.table == table for hit in hits)
    ]
    context = {"form": form, "query": query, "hits": hits, "sections": sections}
    return render(request, "knowledge/search.html", context)


@login_required
def condition_list(request):
    conditions = load_knowledge().conditions.values()
    return render(request, "knowledge/condition_list.html", {"conditions": conditions})


@login_required
def condition_detail(request, condition_id):
    condition = get_entry_or_404("conditions", condition_id)
    knowledge = load_knowledge()
    context = {
        "condition": condition,
        "evidence": knowledge.evidence_for(condition.id),
        "red_flags": knowledge.red_flags_for(condition.id),
        "rules": knowledge.rules_triggered_by("condition", condition.id),
        "plan": knowledge.plan_for(condition.id),
        "handout": knowledge.handout_for(condition.id),
    }
    return render(request, "knowledge/condition_detail.html", context)


@login_required
def handout(request, condition_id):
    condition = get_entry_or_404("conditions", condition_id)
    context = {"condition": condition, "handout": load_knowledge().handout_for(condition.id)}
    return render(request, "knowledge/handout.html", context)


@login_required
def technique_list(request):
    knowledge = load_knowledge()
    context = {
        "techniques": knowledge.techniques.values(),
        "scale": library.pressure_scale(knowledge),
    }
    return render(request, "knowledge/technique_list.html", context)


@login_required
def technique_detail(request, technique_id):
    technique = get_entry_or_404("techniques", technique_id)
    knowledge = load_knowledge()
    context = {
        "technique": technique,
        "scale": library.pressure_scale(knowledge),
        "evidence": library.evidence_about(knowledge, technique.id),
        "rules": library.rules_limiting(knowledge, technique.id),
    }
    return render(request, "knowledge/technique_detail.html", context)


@login_required
def evidence_list(request):
    form = EvidenceFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    statements = [
        statement
        for statement in load_knowledge().evidence.values()
        if chosen.get("kind") in ("", None, statement.kind)
        and chosen.get("condition") in ("", None, statement.condition or GENERAL)
    ]
    return render(request, "knowledge/evidence_list.html", {"form": form, "statements": statements})


@login_required
def source_list(request):
    sources = sorted(load_knowledge().sources.values(), key=lambda s: s.citation.lower())
    return render(request, "knowledge/source_list.html", {"sources": sources})


@login_required
def red_flag_list(request):
    groups = library.red_flag_groups(load_knowledge())
    return render(request, "knowledge/red_flag_list.html", {"groups": groups})


@login_required
def tier_list(request):
    knowledge = load_knowledge()
    context = {"tiers": knowledge.tiers.values(), "checkin_items": knowledge.checkin_items()}
    return render(request, "knowledge/tier_list.html", context)


@login_required
def rule_list(request):
    adjusted = {a.rule_id: a for a in adjustments_for(request.membership)}
    rows = [(rule, adjusted.get(rule.id)) for rule in load_knowledge().rules.values()]
    return render(request, "knowledge/rule_list.html", {"rows": rows})


@login_required
def rule_detail(request, rule_id):
    rule = get_entry_or_404("rules", rule_id)
    return render(request, "knowledge/rule_detail.html", _rule_context(request, rule))


@owner_required
@require_POST
def rule_adjust(request, rule_id):
    rule = get_entry_or_404("rules", rule_id)
    context = _rule_context(request, rule, data=request.POST)
    if context["form"].is_valid():
        context["form"].save()
        messages.success(request, "Saved. Screening now uses your clinic's version of this rule.")
        return redirect("knowledge:rule", rule.id)
    return render(request, "knowledge/rule_detail.html", context)


def _rule_context(request, rule, data=None) -> dict:
    """The built-in rule, the clinic's adjustment beside it, and the owner's form."""
    adjustment = adjustments_for(request.membership).filter(rule_id=rule.id).first()
    adjusted = None
    if adjustment is not None and adjustment.enabled:
        adjusted = adjust_rule(rule, adjustment.as_values())
    form = None
    if request.membership.is_owner:
        # The form edits a copy, so a rejected change never shows as the saved adjustment.
        instance = copy(adjustment) if adjustment is not None else None
        form = RuleAdjustmentForm(data, instance=instance, rule=rule, membership=request.membership)
    return {"rule": rule, "adjustment": adjustment, "adjusted": adjusted, "form": form}


@owner_required
@require_POST
def adjustment_revert(request, pk):
    adjustment = get_adjustment_for_user(request, pk)
    adjustment.delete()
    messages.success(request, "Reverted: your clinic uses the built-in rule again.")
    return redirect("knowledge:rule", adjustment.rule_id)


@login_required
def vocabulary(request):
    knowledge = load_knowledge()
    tables = [
        (table, heading, list(getattr(knowledge, table).values()))
        for table, heading in library.VOCABULARY_TABLES
    ]
    return render(request, "knowledge/vocabulary.html", {"tables": tables})
