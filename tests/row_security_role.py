"""On PostgreSQL the suite runs as an application role under row-level security.

The test database is created and migrated by the login role (the tables' owner); then every
connection of the run, worker and server subprocesses included, switches to a role of the
run's own that owns nothing and cannot bypass the policies. The role is dropped at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


def role_name(database: str) -> str:
    return f"rls_{database}"[:63]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    from django.conf import settings
    from django.db import connection

    from production.management.commands.migrate import grant_rights

    if connection.vendor != "postgresql":
        yield
        return
    role = role_name(connection.settings_dict["NAME"])
    quoted = connection.ops.quote_name(role)
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "DO $$ BEGIN "
                f"CREATE ROLE {quoted} NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT; "
                "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )
            grant_rights(connection, role)
            # The suite empties tables between transactional tests.
            cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {quoted}")
        connection.close()
    settings.DATABASE_APP_ROLE = os.environ["DATABASE_APP_ROLE"] = role
    try:
        yield
    finally:
        settings.DATABASE_APP_ROLE = ""
        os.environ.pop("DATABASE_APP_ROLE", None)
        with django_db_blocker.unblock():
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(f"DROP OWNED BY {quoted}")
                cursor.execute(f"DROP ROLE {quoted}")
            connection.close()
