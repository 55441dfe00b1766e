"""Reads of the publishing app, always through the user's clients: another client's accounts and
publications do not exist for them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from production.tenancy import client_ids_for
from publishing.models import Connection, Publication


def connections_for(user: Any) -> QuerySet[Connection]:
    qs = Connection.objects.select_related("client")
    if user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(client_id__in=client_ids_for(user))


def publications_for(user: Any) -> QuerySet[Publication]:
    qs = Publication.objects.select_related("connection", "output", "image", "job")
    if user.is_authenticated and user.is_staff:
        return qs
    return qs.filter(client_id__in=client_ids_for(user))
