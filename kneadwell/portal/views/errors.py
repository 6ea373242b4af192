"""The portal's own "not found" page: a client who follows a stale link sees the portal's
layout and a way back to it, never the staff pages."""

from django.shortcuts import render
from django.urls import reverse

from kneadwell.core import views as core


def page_not_found(request, exception=None):
    """The site's 404 handler: portal addresses get the portal's page, the rest the staff one."""
    if not request.path.startswith(reverse("portal:home")):
        return core.page_not_found(request, exception)
    context = {"title": "We could not find that page"}
    return render(request, "portal/not_found.html", context, status=404)
