"""Django's migrate, run as the tables' owner, then granting the application role its rights.

With DATABASE_APP_ROLE set, requests and workers run as that role (see
production.tenant_scope); it may read and write rows, under row-level security, and nothing
else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

from production import tenant_scope


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        conn = connections[options["database"]]
        with tenant_scope.as_owner(conn), tenant_scope.scoped(tenant_scope.ALL, conn):
            super().handle(*args, **options)
            role = settings.DATABASE_APP_ROLE
            if role and conn.vendor == "postgresql":
                grant_rights(conn, role)


def grant_rights(conn: Any, role: str) -> None:
    name = conn.ops.quote_name(role)
    with conn.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}"
        )
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}")
