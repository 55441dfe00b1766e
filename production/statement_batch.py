"""Writes nobody reads back, sent to the database together.

A worker's step ends with a handful of INSERTs and UPDATEs whose results nobody needs (the
step run, its outputs, the job row, history rows). Through the ORM each is compiled anew
and sent on its own round trip; here each statement's SQL is built once per shape and, on
PostgreSQL, the whole batch goes in one simple-protocol query (psycopg's client-side cursor
sends several statements in one message). Other databases run the statements one by one.

Values go through the fields' own `pre_save` and `get_db_prep_save`, as `save()` would, so
the rows are the ones the ORM would have written. Signals are not sent (no model here has
receivers), and a batched insert without primary keys leaves the instances' pks unset.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models
from django.db.models import Field, Model
from psycopg.adapt import Transformer

_SHAPES: dict[tuple, Any] = {}


def _update_sql(
    model: type[Model], attnames: tuple[str, ...], connection: Any
) -> tuple[str, tuple]:
    key = ("update", model, attnames, connection.vendor)
    shape = _SHAPES.get(key)
    if shape is None:
        quote = connection.ops.quote_name
        fields = tuple(_Column(_check(model._meta.get_field(name))) for name in attnames)
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s"
        )
        shape = _SHAPES[key] = (sql, fields)
    return shape


def _insert_parts(model: type[Model], with_pk: bool, connection: Any) -> tuple[str, str, tuple]:
    key = ("insert", model, with_pk, connection.vendor)
    shape = _SHAPES.get(key)
    if shape is None:
        quote = connection.ops.quote_name
        fields = tuple(
            _Column(_check(f))
            for f in model._meta.concrete_fields
            if not f.generated and (with_pk or not f.primary_key)
        )
        columns = ", ".join(quote(f.column) for f in fields)
        head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        shape = _SHAPES[key] = (head, row, fields)
    return shape


# Values these fields prepare to themselves (to_python and the adapters leave them as they
# are), so they skip the per-value get_db_prep_save call: about half a step's batch cost.
_PLAIN = (
    (models.CharField, (str,)),
    (models.TextField, (str,)),
    (models.BooleanField, (bool,)),
    (models.IntegerField, (int,)),
)


class _Column:
    __slots__ = ("column", "field", "plain")

    def __init__(self, field: Field) -> None:
        self.field = field
        self.column = field.column
        self.plain = next((types for cls, types in _PLAIN if isinstance(field, cls)), ())

    def value(self, obj: Model, add: bool, connection: Any) -> Any:
        value = self.field.pre_save(obj, add)
        if value is None or type(value) in self.plain:
            return value
        return _prepared(self.field, value, connection)


def _check(field: Field) -> Field:
    # A custom placeholder (e.g. a geometry cast) would need the compiler's own path.
    if hasattr(field, "get_placeholder"):
        raise TypeError(f"{field} needs its own placeholder; save it through the ORM")
    return field


class StatementBatch:
    """Collects statements and sends them in one round trip on `flush()` (in order)."""

    def __init__(
        self, using: str = "default", prologue: Sequence[tuple[str, Sequence[Any]]] = ()
    ) -> None:
        self.using = using
        self.statements: list[tuple[str, list[Any]]] = []
        # Sent ahead of the first non-empty flush only (e.g. a SET LOCAL for the transaction).
        self.prologue = [(sql, list(params)) for sql, params in prologue]

    @property
    def connection(self) -> Any:
        return connections[self.using]

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.statements.append((sql, list(params)))

    def update(self, obj: Model, attnames: Iterable[str]) -> None:
        """UPDATE these fields of this row, like `obj.save(update_fields=...)`."""
        connection = self.connection
        names = tuple(dict.fromkeys(_attname(obj, n) for n in attnames))
        sql, fields = _update_sql(type(obj), names, connection)
        params = [f.value(obj, False, connection) for f in fields]
        params.append(obj._meta.pk.get_db_prep_value(obj.pk, connection))
        self.add(sql, params)

    def insert(self, objs: Sequence[Model]) -> None:
        """INSERT these rows of one model in one statement, like `bulk_create` (no RETURNING:
        an instance keeps the primary key it was given, or none)."""
        if not objs:
            return
        model = type(objs[0])
        with_pk = objs[0].pk is not None
        if any(type(o) is not model or (o.pk is not None) != with_pk for o in objs):
            raise ValueError("a batched insert takes rows of one model, all with or without pks")
        connection = self.connection
        head, row, fields = _insert_parts(model, with_pk, connection)
        params: list[Any] = []
        for obj in objs:
            obj._state.adding = False
            obj._state.db = self.using
            params.extend(f.value(obj, True, connection) for f in fields)
        self.add(head + ", ".join([row] * len(objs)), params)

    def insert_now(self, objs: Sequence[Model]) -> None:
        """INSERT these new rows of one model at once (not batched) and give each its primary
        key, like `bulk_create` on a database that returns rows from an insert, without the
        ORM's per-call compiling."""
        if not objs:
            return
        model = type(objs[0])
        if any(type(o) is not model or o.pk is not None for o in objs):
            raise ValueError("insert_now takes new rows of one model, without primary keys")
        connection = self.connection
        if not connection.features.can_return_rows_from_bulk_insert:
            model._default_manager.db_manager(self.using).bulk_create(objs)
            return
        head, row, fields = _insert_parts(model, False, connection)
        params: list[Any] = []
        for obj in objs:
            params.extend(f.value(obj, True, connection) for f in fields)
        pk = model._meta.pk
        sql = (
            f"{head}{', '.join([row] * len(objs))} RETURNING {connection.ops.quote_name(pk.column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            keys = [r[0] for r in cursor.fetchall()]
        for obj, key in zip(objs, keys, strict=True):
            obj.pk = key
            obj._state.adding = False
            obj._state.db = self.using

    def flush(self) -> None:
        statements, self.statements = self.statements, []
        if not statements:
            return
        statements, self.prologue = self.prologue + statements, []
        with self.connection.cursor() as cursor:
            if sends_together(self.connection):
                cursor.execute(_merged_query(cursor.cursor, statements))
            else:
                for sql, params in statements:
                    cursor.execute(sql, params)


def sends_together(connection: Any) -> bool:
    """Whether several statements can go in one query: PostgreSQL with client-side binding
    (Django's default; server-side binding prepares each query, one statement at a time)."""
    return connection.vendor == "postgresql" and not connection.features.uses_server_side_binding


_TEMPLATES: dict[str, bytes] = {}


def _merged_query(raw_cursor: Any, statements: Sequence[tuple[str, Sequence[Any]]]) -> bytes:
    """The statements as one query with their values quoted in, as psycopg's client-side
    cursor would merge them, but with the template kept per batch shape: psycopg caches its
    parse only for queries under 50 parameters, and re-parsing a step's batch cost about as
    much as quoting its values."""
    sql = "; ".join(statement for statement, _ in statements)
    template = _TEMPLATES.get(sql)
    if template is None:
        if "%" in sql.replace("%s", ""):
            raise ValueError("a batched statement holds a literal %; pass it as a parameter")
        if len(_TEMPLATES) > 512:  # shapes are few; never let odd ones pile up
            _TEMPLATES.clear()
        template = _TEMPLATES[sql] = sql.replace("%s", "%b").encode()
    literal = Transformer(raw_cursor).as_literal
    return template % tuple(
        b"NULL" if p is None else literal(p) for _, params in statements for p in params
    )


def _attname(obj: Model, name: str) -> str:
    return obj._meta.get_field(name).attname


def _prepared(field: Field, value: Any, connection: Any) -> Any:
    if hasattr(value, "resolve_expression"):
        raise TypeError(f"{field} holds an expression; save it through the ORM")
    return field.get_db_prep_save(value, connection)


def read_together(using: str, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[list[tuple]]:
    """Run several SELECTs and return each one's rows; one round trip on PostgreSQL.

    Each statement still sees what the ones before it did: a lock taken by the first is held
    when the second reads (under READ COMMITTED each statement takes a fresh snapshot).
    """
    connection = connections[using]
    results: list[list[tuple]] = []
    with connection.cursor() as cursor:
        if sends_together(connection):
            cursor.execute(_merged_query(cursor.cursor, statements))
            for index in range(len(statements)):
                if index:
                    cursor.nextset()
                results.append(cursor.fetchall())
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
    return results


def reserved_ids_statement(
    model: type[Model], count: int, using: str = "default"
) -> tuple[str, list[Any]] | None:
    """On PostgreSQL, a SELECT that takes `count` primary keys from the model's sequence, so
    its rows can be inserted in a batch and still be referred to; None elsewhere."""
    connection = connections[using]
    if connection.vendor != "postgresql" or count <= 0:
        return None
    return (
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
