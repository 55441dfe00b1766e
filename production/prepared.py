"""Prepared lookups for hot paths: a QuerySet's SQL compiled once, then only executed.

Compiling a select_related lookup costs Django about a millisecond, several times what the
database takes to answer it, and a worker runs the same few lookups for every step. A
PreparedLookup keeps the compiled statement and builds model instances the way the ORM's own
iterator does (select_related objects included), so callers get ordinary model objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

# Compiled with this key, so the statement's one parameter can be checked to be the key.
_SAMPLE_INT = 7_390_124_865_201


def _sample_key(model: type[Model]) -> Any:
    if model._meta.pk.get_internal_type() == "UUIDField":
        return uuid.UUID(int=_SAMPLE_INT)
    return _SAMPLE_INT


class _Compiled:
    def __init__(self, queryset: QuerySet, key: Any) -> None:
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = self.compiler.as_sql()
        expected = queryset.model._meta.pk.get_db_prep_value(key, self.compiler.connection)
        if list(params) != [expected]:
            raise ValueError(f"a prepared lookup filters on its key only, got {params!r}")
        self.for_update = queryset.query.select_for_update
        klass_info, select = self.compiler.klass_info, self.compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, queryset.db)
        # Worked out once: Django's results_iter asks every field for its converters per call.
        self.converters = self.compiler.get_converters(
            [s[0] for s in select[0 : self.compiler.col_count]]
        )


class PreparedLookup(Generic[M]):
    """`build(key)` must return a QuerySet filtered on one value of its model's primary key."""

    def __init__(self, build: Callable[[Any], QuerySet[M]], using: str = "default") -> None:
        self.build = build
        self.using = using
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, vendor: str) -> _Compiled:
        compiled = self._compiled.get(vendor)
        if compiled is None:
            key = _sample_key(self.build(None).model)
            compiled = self._compiled[vendor] = _Compiled(self.build(key), key)
        return compiled

    def statement(self, key: Any) -> tuple[str, list[Any]]:
        """The SQL and parameters that read `key`, for callers that batch it with other reads
        (production.statement_batch.read_together); `build_row` turns its row into the object."""
        connection = connections[self.using]
        compiled = self._for(connection.vendor)
        if compiled.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        return compiled.sql, [compiled.model._meta.pk.get_db_prep_value(key, connection)]

    def first(self, key: Any) -> M | None:
        sql, params = self.statement(key)
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchmany(1)
        return self.build_row(rows[0]) if rows else None

    def build_row(self, row: tuple) -> M:
        compiled = self._for(connections[self.using].vendor)
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        obj = compiled.model.from_db(
            self.using, compiled.init_list, row[compiled.start : compiled.end]
        )
        for populator in compiled.populators:
            populator.populate(row, obj)
        return obj

    def get(self, key: Any) -> M:
        obj = self.first(key)
        if obj is None:
            model = self._for(connections[self.using].vendor).model
            raise model.DoesNotExist(f"{model.__name__} matching {key!r} does not exist.")
        return obj
