"""FHIR endpoints of /api/v1: an instrument as a Questionnaire, a response as a Bundle."""

from typing import Any

from django.http import Http404
from ninja import Router, Schema

from kneadwell.audit.models import Action, Channel, log_access
from kneadwell.interop import fhir
from kneadwell.knowledge.instruments.registry import UnknownInstrument, get_instrument
from kneadwell.measures.access import get_response_for_user

router = Router(tags=["fhir"])


class Detail(Schema):
    detail: str


@router.get(
    "/responses/{int:response_id}/fhir",
    response={200: dict[str, Any], 403: Detail, 404: Detail},
    summary="One response as a FHIR R4 Bundle: QuestionnaireResponse and score Observations",
)
def get_response_fhir(request, response_id: int):
    response = get_response_for_user(request, response_id)
    bundle = fhir.response_bundle(
        response.instrument,
        response.answers,
        response.result(),
        response.taken_at,
        f"Patient/{response.client_id}",
        f"kneadwell-response-{response.pk}",
        **response.context,
    )
    what = f"outcome measure FHIR: {response.spec.short_name}"
    log_access(request, Action.EXPORT, what, response.client, Channel.API)
    return bundle


@router.get(
    "/instruments/{instrument_id}/questionnaire",
    response={200: dict[str, Any], 404: Detail},
    summary="An instrument as a FHIR R4 Questionnaire (no licensed wording)",
)
def get_questionnaire(request, instrument_id: str):
    try:
        instrument = get_instrument(instrument_id)
    except UnknownInstrument:
        raise Http404("No such instrument.") from None
    return fhir.questionnaire(instrument)
