"""Client endpoints of /api/v1: the same scoping, rules and access log as the pages."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kneadwell.audit.models import AccessLogEntry, Action, Channel, log_access
from kneadwell.clients.access import clients_for, get_client_for_user
from kneadwell.clients.forms import ClientForm, SearchForm
from kneadwell.clients.models import Client
from kneadwell.core.errors import check_forms
from kneadwell.core.pages import Key, PageParams, keyset_page, page_of
from kneadwell.core.schemas import InputSchema, RecordId

router = Router(tags=["clients"])


class ClientFields(InputSchema):
    given_names: str | None = None
    family_name: str | None = None
    preferred_name: str | None = None
    birth_date: date | None = None
    gender: str | None = Field(None, description="FHIR administrative gender")
    sex_at_birth: str | None = Field(None, description="F, M, UNK or ASKU")
    gender_identity: str | None = None
    pronouns: str | None = None
    phone: str | None = None
    email: str | None = None
    address_line: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    emergency_name: str | None = None
    emergency_relationship: str | None = None
    emergency_phone: str | None = None
    physician_name: str | None = None
    physician_practice: str | None = None
    physician_phone: str | None = None
    physician_email: str | None = None
    physician_address: str | None = None
    consent_treatment: bool | None = None
    consent_treatment_date: date | None = None
    consent_data: bool | None = None
    consent_data_date: date | None = None
    consent_share: bool | None = Field(None, description="Consent to share with the physician")
    consent_share_date: date | None = None
    therapists: list[RecordId] | None = Field(None, description="User ids of assigned therapists")


class ClientCreate(ClientFields):
    given_names: str
    family_name: str
    birth_date: date


class ClientOut(Schema):
    id: int
    given_names: str
    family_name: str
    preferred_name: str
    birth_date: date
    gender: str
    sex_at_birth: str
    gender_identity: str
    pronouns: str
    phone: str
    email: str
    address_line: str
    city: str
    postal_code: str
    country: str
    emergency_name: str
    emergency_relationship: str
    emergency_phone: str
    physician_name: str
    physician_practice: str
    physician_phone: str
    physician_email: str
    physician_address: str
    consent_treatment: bool
    consent_treatment_date: date | None
    consent_data: bool
    consent_data_date: date | None
    consent_share: bool
    consent_share_date: date | None
    therapists: list[int]
    archived_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_therapists(obj):
        return [t.pk for t in obj.therapists.all()]


ClientPage = page_of(ClientOut)
ORDER = [Key("family_name"), Key("given_names"), Key("id")]


class SearchIn(InputSchema, PageParams):
    q: str = Field(
        ..., max_length=100, description="A name, a phone number, or a (partial) date of birth"
    )


class Detail(Schema):
    detail: str


def _save(request: HttpRequest, changes: dict, instance: Client | None = None) -> Client:
    """Run the same ClientForm the pages use, so the API keeps exactly the same rules.

    Fields not sent keep their current value (or the model default for a new client).
    """
    data = model_to_dict(instance or Client(), fields=ClientForm.Meta.fields)
    data["therapists"] = [t.pk for t in data.get("therapists", [])] if instance else []
    data.update({k: v for k, v in changes.items() if v is not None})
    form = ClientForm(data=data, instance=instance, membership=request.membership)
    check_forms(form)
    return form.save()


def _log_naming(request, action: str, label: str, names: list[str], sep: str, client=None):
    """Log `label: name, name…` in as many access-log entries as the names need: an entry's
    text has a fixed length (PostgreSQL refuses more), and no name may be cut off."""
    room = AccessLogEntry._meta.get_field("what").max_length
    parts: list[list[str]] = [[]]
    for name in names:
        if parts[-1] and len(f"{label}: {sep.join([*parts[-1], name])}") > room:
            parts.append([])
        parts[-1].append(name)
    for part in parts:
        log_access(request, action, f"{label}: {sep.join(part)}", client, channel=Channel.API)


def _page(request, clients, params: PageParams) -> dict:
    page = keyset_page(clients.prefetch_related("therapists"), ORDER, params)
    if page["items"]:
        ids = [str(c.pk) for c in page["items"]]
        _log_naming(request, Action.LIST, "client list", ids, ",")
    return page


@router.get(
    "", response=ClientPage, summary="List clients (not archived), by name, a page at a time"
)
def list_clients(request, params: Query[PageParams], archived: bool = False):
    clients = clients_for(request.membership).filter(archived_at__isnull=not archived)
    return _page(request, clients, params)


@router.post(
    "/search",
    response=ClientPage,
    summary="Find clients by name or date of birth",
    description="A POST so that names and birth dates stay out of URLs and server logs.",
)
def search_clients(request, payload: SearchIn):
    form = SearchForm({"q": payload.q})  # the page's rules: a date that does not exist is a 422
    check_forms(form)
    clients = clients_for(request.membership).active().search(form.cleaned_data["q"])
    return _page(request, clients, payload)


@router.post("", response={201: ClientOut}, summary="Create a client")
def create_client(request, payload: ClientCreate):
    with transaction.atomic():
        client = _save(request, payload.dict(exclude_none=True))
        log_access(request, Action.CREATE, "client record", client, channel=Channel.API)
    return Status(201, client)


@router.get("/{int:client_id}", response={200: ClientOut, 404: Detail}, summary="Get a client")
def get_client(request, client_id: int):
    client = get_client_for_user(request, client_id)
    log_access(request, Action.VIEW, "demographics", client, channel=Channel.API)
    return client


@router.patch(
    "/{int:client_id}",
    response={200: ClientOut, 404: Detail, 409: Detail},
    summary="Change a client's record (only the fields sent)",
)
def update_client(request, client_id: int, payload: ClientFields):
    client = get_client_for_user(request, client_id)
    if client.is_archived:
        raise HttpError(409, "This client is archived. Restore the client before changing it.")
    changes = payload.dict(exclude_unset=True)
    with transaction.atomic():
        client = _save(request, changes, instance=client)
        # null keeps a value (see _save), so only the fields sent with one are named
        fields = sorted(k for k, v in changes.items() if v is not None) or ["nothing"]
        _log_naming(request, Action.UPDATE, "client record fields", fields, ", ", client)
    return client


@router.post(
    "/{int:client_id}/archive",
    response={200: ClientOut, 403: Detail, 404: Detail, 409: Detail},
    summary="Archive a client (hidden from lists, kept)",
)
def archive_client(request, client_id: int):
    client = get_client_for_user(request, client_id)
    if not request.membership.sees_clinical:
        raise PermissionDenied("Ask a therapist or the owner to archive a client.")
    if client.is_archived:
        raise HttpError(409, "This client is already archived.")
    client.archive()
    log_access(request, Action.ARCHIVE, "client record", client, channel=Channel.API)
    return client
