"""A client's whole record as a FHIR R4 Bundle, read back by two independent libraries:
fhir.resources (R4B models) and SMART's client-py in strict mode (R4 4.0.1)."""

import pytest
from fhir.resources.R4B.bundle import Bundle as ResourcesBundle
from fhirclient.models.bundle import Bundle as ClientBundle

from kneadwell.demo.clinic import create_demo
from kneadwell.interop.bundle import client_bundle
from kneadwell.knowledge.loader import load_knowledge
from kneadwell.reports import documents

ALL_TYPES = {
    "Organization", "Practitioner", "Patient", "Consent", "Condition", "Flag", "CarePlan",
    "Encounter", "Procedure", "QuestionnaireResponse", "Observation", "AdverseEvent",
    "DocumentReference",
}  # fmt: skip


@pytest.fixture
def bundles(db):
    """Every Demo Clinic client's Bundle; two of them with an issued document."""
    clinic = create_demo().clinic
    clients = list(clinic.clients.order_by("pk"))
    owner = clinic.memberships.filter(role="owner").first().user
    for client in clients[:2]:
        handout = next(iter(load_knowledge().handouts.values()))
        documents.issue(documents.handout(clinic, handout), client, by=owner, method="print")
    return [client_bundle(client) for client in clients]


def test_every_demo_record_parses_in_both_libraries_unchanged(bundles):
    for bundle in bundles:
        parsed = ResourcesBundle.model_validate(bundle)
        assert len(parsed.entry) == len(bundle["entry"])
        assert ClientBundle(bundle, strict=True).as_json() == bundle


def test_the_demo_covers_every_resource_type_and_every_reference_resolves(bundles):
    found = {entry["resource"]["resourceType"] for bundle in bundles for entry in bundle["entry"]}
    assert found == ALL_TYPES
    for bundle in bundles:
        names = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
        for reference in _references(bundle):
            if not reference.startswith("Binary/"):
                assert reference in names, reference
        for entry in bundle["entry"]:
            if entry["resource"]["resourceType"] == "Condition":
                systems = [c["system"] for c in entry["resource"]["code"]["coding"]]
                assert "http://hl7.org/fhir/sid/icd-10-cm" in systems


def _references(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner.split("|")[0]
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)
