"""API authentication: a personal access token, or the signed-in browser session."""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from kneadwell.accounts.models import ApiToken, TokenRefused


class RefusedToken(AuthenticationError):
    """A 401 whose `detail` says why this token no longer works (core.errors shows it)."""

    def __init__(self, detail: str):
        super().__init__()
        self.detail = detail


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        try:
            user = ApiToken.authenticate(token)
        except TokenRefused as refused:
            raise RefusedToken(refused.detail) from None
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
