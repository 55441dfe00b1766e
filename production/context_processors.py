"""Template context shared by every page: the user's clients for the switcher."""

from __future__ import annotations

from django.http import HttpRequest

from production.tenancy import clients_for


def tenancy(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_clients": clients_for(user).only("id", "name", "slug")}
