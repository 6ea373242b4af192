"""The sign-in backend: Django's, loading the person with their membership and clinic at once."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    """Every request needs the person's membership and clinic (MembershipMiddleware and the
    two-factor rule), so one query fetches all three."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("membership__clinic")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
