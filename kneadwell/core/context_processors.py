"""Template context shared by every page."""

from kneadwell import __version__


def kneadwell(request):
    return {"membership": getattr(request, "membership", None), "kneadwell_version": __version__}
