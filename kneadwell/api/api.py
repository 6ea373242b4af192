"""The /api/v1 root: authentication, errors, and each app's router."""

from django.http import Http404
from django.urls import register_converter
from ninja import NinjaAPI, Router

from kneadwell import __version__
from kneadwell.api.auth import ActiveSessionAuth, TokenAuth
from kneadwell.appointments.api import router as appointments_router
from kneadwell.clients.api import router as clients_router
from kneadwell.core import errors
from kneadwell.interop.api import router as interop_router
from kneadwell.measures.api import router as measures_router
from kneadwell.plans.api import router as plans_router
from kneadwell.screening.api import router as screening_router
from kneadwell.visits.api import router as visits_router

api = NinjaAPI(
    title="Kneadwell API",
    version="1",
    description="Clinic-scoped access to Kneadwell records. Authenticate with a personal access "
    f"token: `Authorization: Bearer TOKEN`. Kneadwell {__version__}.",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api-1",
    docs_url="/docs",
)
errors.register(api)
api.add_router("/clients", clients_router)
api.add_router("/", measures_router)
api.add_router("/", screening_router)
api.add_router("/", plans_router)
api.add_router("/", appointments_router)
api.add_router("/", visits_router)
api.add_router("/", interop_router)


class AnyPath:
    """Any rest of an address, line breaks included (Django's `path` stops at one)."""

    regex = "(?s:.+)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyPath, "kneadwell_any")

# Last: any other address under /api/v1 (a client id that is not a number, a misspelled path)
# is a JSON 404 like the others, not the HTML page.
unknown = Router(auth=None)


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{kneadwell_any:rest}", include_in_schema=False
)
def not_found(request, rest: str):
    raise Http404


api.add_router("/", unknown)
