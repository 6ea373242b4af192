"""View decorators for roles; the clinic scoping itself lives in each app's access helper."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def owner_required(view):
    """Only the clinic's owners may open this page (others get 403)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.membership.is_owner:
            raise PermissionDenied("Only the clinic owner can do this.")
        return view(request, *args, **kwargs)

    return wrapped
