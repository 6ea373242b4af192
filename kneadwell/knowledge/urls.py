"""The library under /library/: reference pages for staff, and the clinic's rule adjustments."""

from django.urls import path

from kneadwell.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.library_search, name="search"),
    path("conditions/", views.condition_list, name="conditions"),
    path("conditions/<slug:condition_id>/", views.condition_detail, name="condition"),
    path("conditions/<slug:condition_id>/handout/", views.handout, name="handout"),
    path("techniques/", views.technique_list, name="techniques"),
    path("techniques/<slug:technique_id>/", views.technique_detail, name="technique"),
    path("evidence/", views.evidence_list, name="evidence"),
    path("sources/", views.source_list, name="sources"),
    path("red-flags/", views.red_flag_list, name="red_flags"),
    path("tiers/", views.tier_list, name="tiers"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<slug:rule_id>/", views.rule_detail, name="rule"),
    path("rules/<slug:rule_id>/adjust/", views.rule_adjust, name="rule_adjust"),
    path("adjustments/<int:pk>/revert/", views.adjustment_revert, name="adjustment_revert"),
    path("vocabulary/", views.vocabulary, name="vocabulary"),
]
