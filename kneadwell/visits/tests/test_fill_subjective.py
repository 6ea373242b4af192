"""notes.open_draft and notes.fill_subjective: what a check-in from the portal adds to a draft
note, keeping what the therapist typed; a signed note is never touched."""

import pytest
from django.http import QueryDict

from kneadwell.visits import notes
from kneadwell.visits.models import NoteLocked, Visit

pytestmark = pytest.mark.django_db
SORE = {"kind": "soreness", "severity": 3, "duration_hours": 24}


def test_it_adds_to_the_structured_fields(client_record, therapist):
    visit = notes.start_visit(client_record, therapist, from_last=False)
    Visit.objects.filter(pk=visit.pk).update(client_report="Came by bike")
    visit.refresh_from_db()
    notes.fill_subjective(
        visit, nprs=4, report="Slept badly", changes="New tablets", adverse=[SORE]
    )
    visit.refresh_from_db()
    assert visit.nprs == 4
    assert visit.client_report == "Came by bike\nSlept badly"
    assert visit.changes_since_last == "New tablets"
    assert visit.adverse_effects == [SORE]


def test_it_adds_to_a_raw_draft_and_keeps_what_was_typed(client_record, therapist):
    visit = notes.start_visit(client_record, therapist, from_last=False)
    typed = QueryDict(mutable=True)
    typed.update({"objective": "Tender L5", "nprs": "", "ae-TOTAL_FORMS": "1", "ae-0-kind": ""})
    notes.save_raw_draft(visit, typed)
    notes.fill_subjective(visit, nprs=2, report="", changes="", adverse=[SORE])
    visit.refresh_from_db()
    assert visit.draft_data["objective"] == ["Tender L5"]
    assert visit.draft_data["nprs"] == ["2"]
    assert visit.draft_data["ae-TOTAL_FORMS"] == ["2"]
    assert visit.draft_data["ae-1-kind"] == ["soreness"]
    assert visit.draft_data["ae-1-severity"] == ["3"]


def test_the_open_draft_is_the_newest_and_never_a_signed_note(client_record, therapist):
    assert notes.open_draft(client_record) is None
    visit = notes.start_visit(client_record, therapist, from_last=False)
    assert notes.open_draft(client_record) == visit
    visit.sign(therapist)
    assert notes.open_draft(client_record) is None
    with pytest.raises(NoteLocked):
        notes.fill_subjective(visit, nprs=1, report="", changes="", adverse=[])
