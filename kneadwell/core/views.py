"""Error pages: plain words, no health data, no stack traces."""

from django.shortcuts import render


def _error(request, status: int, title: str, text: str):
    context = {"title": title, "text": text, "status": status}
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Something in that request was not right", "Go back and try again.")


def permission_denied(request, exception=None):
    text = "Your role does not include this page. Ask the clinic owner if you need it."
    return _error(request, 403, "Not available to you", text)


def page_not_found(request, exception=None):
    text = "It may have been archived or erased, or belong to another clinic."
    return _error(request, 404, "We could not find that page", text)


def server_error(request):
    text = "Nothing you typed was sent to anyone. Try again; if it keeps happening, tell the owner."
    return _error(request, 500, "Something went wrong on our side", text)


def csrf_failure(request, reason=""):
    """Django's CSRF failure page in words: usually a page left open across a sign-in."""
    text = (
        "This page was open from before you last signed in (or in another window), so it could "
        "not be sent. Go back, reload the page and send it again. A visit note keeps what you "
        "typed in this browser and puts it back when the note is opened again."
    )
    return _error(request, 403, "That page had expired", text)
