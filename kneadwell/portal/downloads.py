"""Downloads of the client's own record: the whole record as a PDF (``reports.documents``) and
as a FHIR R4 Bundle (``interop.bundle``).

``available(client)`` lists what the client may download, each with ``title``, ``what`` (a
sentence) and ``url`` (a portal address, with no client number or health data in it, that serves
the file after logging the export with the client as the actor). ``record_pdf`` and
``record_fhir`` make the files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.urls import reverse

from kneadwell.interop.bundle import client_bundle
from kneadwell.reports.documents import client_record_pdf


@dataclass(frozen=True)
class Download:
    title: str
    what: str
    url: str


def available(client) -> list[Download]:
    return [
        Download(
            "Your record (PDF)",
            "everything the clinic keeps about you, to read or print.",
            reverse("portal:record_pdf"),
        ),
        Download(
            "Your record for another health service (FHIR)",
            "the same record in the standard format other clinics' systems can read.",
            reverse("portal:record_fhir"),
        ),
    ]


def record_pdf(client) -> bytes:
    return client_record_pdf(client)


def record_fhir(client) -> bytes:
    return json.dumps(client_bundle(client), indent=2, default=str).encode()
