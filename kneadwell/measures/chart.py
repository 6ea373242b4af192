"""The outcome-measures section of a client's chart."""


def chart_section(request, client) -> dict:
    return {}
