"""Downloads of the client's own record: the hook for the whole-record PDF (reports) and FHIR
export (interop) that other work is building.

``available(client)`` lists what the client may download, each with ``title``, ``what`` (a
sentence) and ``url`` (a portal address that serves the file after logging the access with
``log_client_access``). Until those exports land it is empty, and the page tells the client
to ask the clinic for a copy (a correction request does that).
"""

from __future__ import annotations


def available(client) -> list:
    return []
