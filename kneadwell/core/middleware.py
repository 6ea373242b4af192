"""Security headers on every response: CSP, no caching of pages that show client data."""


class SecurityHeadersMiddleware:
    # No inline script and no third-party origins: every script and style is ours.
    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )
    # The API docs page loads Swagger UI from ninja's own static files, which needs inline style.
    DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_docs = request.path.startswith("/api/v1/docs")
        response.setdefault("Content-Security-Policy", self.DOCS_CSP if is_docs else self.CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        # Anything behind a login may show client data: never keep it in a cache.
        if request.user.is_authenticated or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
