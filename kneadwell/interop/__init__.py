"""FHIR R4 mapping; see fhir.py."""
