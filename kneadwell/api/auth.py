"""API authentication: a personal access token, or the signed-in browser session."""

from ninja.security import HttpBearer, SessionAuth

from kneadwell.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is None:
            return None
        request.user = user
        request.membership = user.membership
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser session, for pages' own scripts; MembershipMiddleware has vetted it."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or getattr(request, "membership", None) is None:
            return None
        return user
