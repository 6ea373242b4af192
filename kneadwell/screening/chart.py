"""The screening section of a client's chart (intake, findings banner)."""


def chart_section(request, client) -> dict:
    return {}
