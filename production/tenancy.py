"""Which clients a user may see and what they may do there: every user-facing query starts here."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from production.models import ROLE_RANK, Client, Membership, Role

User = AbstractBaseUser | AnonymousUser


def clients_for(user: User) -> QuerySet[Client]:
    """Clients visible to the user: all for staff, their memberships otherwise."""
    if not user.is_authenticated:
        return Client.objects.none()
    if user.is_staff:
        return Client.objects.all()
    return Client.objects.filter(memberships__user=user)


def _memberships(user: AbstractBaseUser) -> dict[Any, str]:
    """Client id -> role, read once per user object: both questions below come from it."""
    cached = getattr(user, "_memberships", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("client_id", "role"))
        user._memberships = cached  # type: ignore[attr-defined]
    return cached


def forget(user: User) -> None:
    """Read the user's memberships afresh next time (a long-lived stream re-checks access)."""
    for memo in ("_memberships", "_client_ids"):
        # delattr, not the instance dict: a request's user is a lazy object around the user.
        with suppress(AttributeError):
            delattr(user, memo)


def client_ids_for(user: User) -> list[Any]:
    """Memoised on the user object: views ask this several times per request."""
    if not user.is_authenticated:
        return []
    if not user.is_staff:
        return list(_memberships(user))
    cached = getattr(user, "_client_ids", None)
    if cached is None:
        cached = list(Client.objects.values_list("id", flat=True))
        user._client_ids = cached  # type: ignore[union-attr]
    return cached


def role_in(user: User, client_id: Any) -> str | None:
    if not user.is_authenticated:
        return None
    return _memberships(user).get(client_id)  # type: ignore[arg-type]


def has_role(user: User, client_id: int, role: str) -> bool:
    """True when the user holds `role` or a higher one in the client. Staff count as owners."""
    if user.is_authenticated and user.is_staff:
        return True
    held = role_in(user, client_id)
    return held is not None and ROLE_RANK[Role(held)] >= ROLE_RANK[Role(role)]
