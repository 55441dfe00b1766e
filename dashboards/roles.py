"""Where each role starts and what the dashboard offers it.

Members and owners order work; a person who only reviews (reviewer in every client they
belong to) has nothing to order, so they start on the review queue and see no "New job".
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from production.models import Role
from production.tenancy import client_ids_for, role_in

LANDED_KEY = "landed"  # set in the session after the first page a sign-in lands on


def only_reviews(user: Any) -> bool:
    """A reviewer in every client and nothing else (staff oversee everything)."""
    if not user.is_authenticated or user.is_staff:
        return False
    ids = client_ids_for(user)
    return bool(ids) and all(role_in(user, client_id) == Role.REVIEWER for client_id in ids)


def orders_work(user: Any) -> bool:
    """Whether to offer "New job": anyone but a person who only reviews."""
    return user.is_authenticated and not only_reviews(user)


def lands_on_reviews(request: HttpRequest) -> bool:
    """True once per sign-in for a person who only reviews: their first page is their queue.
    The Jobs page stays reachable afterwards from the navigation."""
    if request.session.get(LANDED_KEY):
        return False
    request.session[LANDED_KEY] = True
    return only_reviews(request.user)
