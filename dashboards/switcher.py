"""The client switcher: which of the user's clients the dashboard shows, kept in the session."""

from __future__ import annotations

from django.http import HttpRequest

from production.models import Client
from production.tenancy import client_ids_for

SESSION_KEY = "current_client"
ALL = ""


def current_client_id(request: HttpRequest) -> str:
    """The chosen client's id, or "" for all clients.

    A user with a single client always sees it; a stale choice (membership removed) falls back
    to all clients rather than leaking or failing.
    """
    allowed = [str(pk) for pk in client_ids_for(request.user)]
    chosen = request.session.get(SESSION_KEY, ALL)
    if chosen and chosen in allowed:
        return chosen
    if len(allowed) == 1 and not request.user.is_staff:
        return allowed[0]
    return ALL


def choose_client(request: HttpRequest, client_id: str) -> bool:
    """Remember the choice if the user may see that client; "" means all clients."""
    if client_id and client_id not in {str(pk) for pk in client_ids_for(request.user)}:
        return False
    request.session[SESSION_KEY] = client_id
    return True


def current_client(request: HttpRequest) -> Client | None:
    chosen = current_client_id(request)
    return Client.objects.filter(pk=chosen).first() if chosen else None


def dashboard_client_ids(request: HttpRequest) -> list[str]:
    """The clients whose jobs the dashboard lists: the chosen one, or all the user's."""
    chosen = current_client_id(request)
    return [chosen] if chosen else [str(pk) for pk in client_ids_for(request.user)]
