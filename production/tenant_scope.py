"""The database's own tenancy check: which clients' rows a PostgreSQL connection may see.

Every tenant table carries a row-level security policy (migration 0004 of this app) that shows
a row only when its client is in the connection's `app.tenant_scope` setting: a comma list of
client ids, `*` for every client, or empty for none. A connection starts with its process's
default: none in the web server, so a code path that forgets to say whose request it serves
sees nothing; every client in operator commands and workers, whose steps narrow it to their
job's client. Requests are scoped by `TenantScopeMiddleware` (and the API's bearer tokens).

The setting is session-level (`set_config(..., false)`) so that it holds across autocommit
statements; a transaction rolled back takes back a change made inside it, which is also what
the scope wanted by then, because scopes nest inside transactions or wrap them whole.

On SQLite there is no row security: nothing here runs a query.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import NO_DB_ALIAS, BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

SETTING = "app.tenant_scope"
ALL = "*"
NONE = ""

_process_default = NONE
_wanted: weakref.WeakKeyDictionary[BaseDatabaseWrapper, str] = weakref.WeakKeyDictionary()
_as_owner = False


def set_process_default(scope: str) -> None:
    """The scope every new connection of this process starts with."""
    global _process_default
    _process_default = scope


def of_clients(client_ids: Iterable[uuid.UUID | str]) -> str:
    return ",".join(sorted({str(uuid.UUID(str(client_id))) for client_id in client_ids}))


def _wrapper(conn: BaseDatabaseWrapper | None) -> BaseDatabaseWrapper:
    # The connection of this thread: `django.db.connection` is a proxy to it.
    return conn if conn is not None else connections[DEFAULT_DB_ALIAS]


def current(conn: BaseDatabaseWrapper | None = None) -> str:
    return _wanted.get(_wrapper(conn), _process_default)


def _enforced(conn: BaseDatabaseWrapper) -> bool:
    return conn.vendor == "postgresql" and conn.alias != NO_DB_ALIAS


def _apply(conn: BaseDatabaseWrapper, scope: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, scope])


def switch(scope: str, conn: BaseDatabaseWrapper | None = None) -> str:
    """Set the connection's scope and return the one it replaced."""
    conn = _wrapper(conn)
    previous = current(conn)
    _wanted[conn] = scope
    if scope != previous and _enforced(conn) and conn.connection is not None:
        try:
            _apply(conn, scope)
        except DatabaseError:
            # Inside a failed transaction: its rollback restores the value it started with.
            if not conn.in_atomic_block:
                raise
    return previous


@contextmanager
def scoped(scope: str, conn: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    previous = switch(scope, conn)
    try:
        yield
    finally:
        switch(previous, conn)


@contextmanager
def clients(client_ids: Iterable[uuid.UUID | str]) -> Iterator[None]:
    """Only these clients' rows, e.g. for a step of one client's job."""
    with scoped(of_clients(client_ids)):
        yield


@contextmanager
def system() -> Iterator[None]:
    """Every client's rows: for lookups that decide whose request this is (guest links)."""
    with scoped(ALL):
        yield


@contextmanager
def as_owner(conn: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """The login role, which owns the tables: for migrations, which create and alter them, and
    for operator tools that act on the server itself (ending sessions)."""
    global _as_owner
    conn = _wrapper(conn)
    switched = bool(settings.DATABASE_APP_ROLE) and _enforced(conn) and conn.connection is not None
    _as_owner, before = True, _as_owner
    if switched:
        with conn.cursor() as cursor:
            cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        _as_owner = before
        if switched and not before:
            _set_role(conn)


def _set_role(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        cursor.execute(f"SET ROLE {conn.ops.quote_name(settings.DATABASE_APP_ROLE)}")


def _on_connect(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if not _enforced(connection):
        return
    if settings.DATABASE_APP_ROLE and not _as_owner:
        # A role that owns no table and cannot bypass row security: what requests and steps
        # run as, even where the login role is the tables' owner.
        _set_role(connection)
    scope = current(connection)
    if scope:
        _apply(connection, scope)


connection_created.connect(_on_connect, dispatch_uid="production.tenant_scope")


def scope_for(user: object) -> str:
    """Staff see every client; members their own clients; everyone else none.

    A member's clients come from their memberships, which only a scope over every client can
    read: the connection is switched to that first (the caller sets the scope returned).
    """
    from production import tenancy

    if not getattr(user, "is_authenticated", False):
        return NONE
    if getattr(user, "is_staff", False):
        return ALL
    switch(ALL)
    return of_clients(tenancy.client_ids_for(user))  # type: ignore[arg-type]


@contextmanager
def for_user(user: object) -> Iterator[None]:
    """This user's clients until the block ends, then the scope from before."""
    previous = current()
    try:
        switch(scope_for(user))
        yield
    finally:
        switch(previous)


def scope_request_to(user: object) -> None:
    """For authentication that happens inside a view (API tokens): the middleware restores."""
    switch(scope_for(user))


def scope_request_to_client(client_id: uuid.UUID | str) -> None:
    """For a request let in by a signed link (a guest review, a platform fetching media): it
    sees that client's rows only, and the middleware restores the scope after it."""
    switch(of_clients([client_id]))


class TenantScopeMiddleware:
    """Each request sees only its user's clients, in the database as well as in the code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql":
            return self.get_response(request)
        with for_user(request.user):
            return self.get_response(request)
