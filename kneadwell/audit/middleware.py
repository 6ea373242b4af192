"""Refused attempts at client records (403 and 404, pages and API) land in the access log."""

from kneadwell.audit.models import log_refusal


class RefusalLogMiddleware:
    """After the response: a signed-in person refused a client's record is logged
    (`log_refusal` keeps it to one entry a minute per person and kind of path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            log_refusal(request, response.status_code)
        return response
