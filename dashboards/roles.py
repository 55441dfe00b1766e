"""Where each role starts and what the dashboard offers it.

Members and owners order work; a person who only reviews (reviewer in every client they
belong to) has nothing to order, so they start on the review queue and see no "New job".
"""

from __future__ import annotations

from typing import Any

from production.models import Role
from production.tenancy import client_ids_for, role_in


def only_reviews(user: Any) -> bool:
    """A reviewer in every client and nothing else (staff oversee everything)."""
    if not user.is_authenticated or user.is_staff:
        return False
    ids = client_ids_for(user)
    return bool(ids) and all(role_in(user, client_id) == Role.REVIEWER for client_id in ids)


def orders_work(user: Any) -> bool:
    """Whether to offer "New job": anyone but a person who only reviews."""
    return user.is_authenticated and not only_reviews(user)
