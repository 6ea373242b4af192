"""Client list, create, edit, archive and erase (the chart page is composed by reports).
Every lookup goes through access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kneadwell.accounts.decorators import owner_required
from kneadwell.audit.models import Action, log_access
from kneadwell.clients import saved_search
from kneadwell.clients.access import clients_for, get_client_for_user
from kneadwell.clients.forms import ClientForm, EraseForm, SearchForm

PAGE_SIZE = 25


@login_required
def client_list(request, *, rows=None):
    """The client list and its search. The search text (a name, phone or birth date) travels in
    a POST and is kept encrypted in the session, never in the URL or readable in the session
    table. An app above clients (reports) adds the columns it knows: `rows(clients, membership)`
    gives a dict per client number (see docs/clients.md)."""
    form = SearchForm(request.POST or None, initial={"q": saved_search.recall(request.session)})
    if request.method == "POST" and form.is_valid():
        saved_search.keep(request.session, form.cleaned_data["q"])
        return redirect("clients:list")
    show_archived = request.GET.get("archived") == "1"
    clients = clients_for(request.membership).filter(archived_at__isnull=not show_archived)
    clients = clients.search(saved_search.recall(request.session))
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        log_access(request, Action.LIST, f"client list: {','.join(str(c.pk) for c in page)}")
    extra = rows(list(page.object_list), request.membership) if rows else {}
    entries = [(client, extra.get(client.pk, {})) for client in page.object_list]
    columns = {name for row in extra.values() for name in row}
    context = {"form": form, "page": page, "entries": entries, "columns": columns}
    context["show_archived"] = show_archived
    return render(request, "clients/list.html", context, status=422 if form.errors else 200)


@login_required
def client_create(request):
    form = ClientForm(request.POST or None, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            client = form.save()
            log_access(request, Action.CREATE, "client record", client)
        messages.success(request, f"Added {client.display_name}.")
        return redirect(client)
    return render(request, "clients/form.html", {"form": form})


@login_required
def client_edit(request, pk):
    client = get_client_for_user(request, pk)
    form = ClientForm(request.POST or None, instance=client, membership=request.membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            changed = ", ".join(form.changed_data) or "nothing"
            log_access(request, Action.UPDATE, f"client record fields: {changed}", client)
        messages.success(request, "Saved.")
        return redirect(client)
    if request.method == "GET":
        log_access(request, Action.VIEW, "client record (edit form)", client)
    return render(request, "clients/form.html", {"form": form, "client": client})


@login_required
@require_POST
def client_archive(request, pk):
    client = get_client_for_user(request, pk)
    if not request.membership.sees_clinical:
        raise PermissionDenied("Ask a therapist or the owner to archive a client.")
    if client.is_archived:
        client.restore()
        log_access(request, Action.RESTORE, "client record", client)
        messages.success(request, f"{client.display_name} is back in the client list.")
    else:
        client.archive()
        log_access(request, Action.ARCHIVE, "client record", client)
        messages.success(request, f"Archived {client.display_name}; the record is kept.")
    return redirect(client)


@owner_required
def client_erase(request, pk):
    client = get_client_for_user(request, pk)
    form = EraseForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # The access-log entry is the tombstone: who erased which client number, and when.
            log_access(request, Action.ERASE, "client record and all health data", client)
            client.delete()
        messages.success(request, "The client's record and health data were erased.")
        return redirect("clients:list")
    return render(request, "clients/erase.html", {"form": form, "client": client})
