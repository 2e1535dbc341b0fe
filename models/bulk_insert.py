"""Bulk inserts (the client import's): many rows of one table in one statement, with the ids
taken first, and the garbage collector paused over a bulk step.

PostgreSQL gets each batch as ONE ``INSERT INTO t (...) SELECT ... FROM json_to_recordset(:rows)``:
one parameter holding the whole batch as JSON, made by ``json.dumps`` (C) and read by the server
(C). The earlier form, one ``unnest()`` array per column, spent most of the import's Python time
in psycopg's array dumping (a regular expression per string). Strings are read as ``text`` so
the insert's assignment still checks their length, JSON columns as the text the column's own
bind processing makes, dates and times as ISO text; row-level security checks every row as
for any insert. SQLite: an executemany with RETURNING.
"""

import gc
import json
from contextlib import contextmanager
from datetime import date, time
from decimal import Decimal

from sqlalchemy import JSON, Enum, String, insert, text

from extensions import db


@contextmanager
def collector_paused():
    """The cyclic garbage collector off for one bulk step (a dry run, an import), then as it
    was: the step keeps hundreds of thousands of small objects alive to its end (a dict per
    row, per audit row, per checked value), which every full collection would walk again, a
    third of the step's CPU at 50,000 rows. Reference counting still frees what the step
    drops; what cycles it leaves are collected afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def insert_rows(table, batch):
    """Insert one batch into ``table``; returns the ids in row order. PostgreSQL: the ids are
    taken from the table's id sequence first (what the insert would take; the query reads no
    agency data), and the rows go in as ONE ``INSERT ... SELECT FROM json_to_recordset(...)``
    statement (``json_insert``), so neither psycopg nor the server handle a statement per row,
    and a statement trigger (the clients' name words) runs once per batch. SQLite: an
    executemany with RETURNING, in row order."""
    if not batch:
        return []
    if db.session.get_bind().dialect.name != "postgresql":
        return db.session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), batch).all()
    query = text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :count)")
    ids = list(db.session.scalars(query, {"count": len(batch)}))
    json_insert(table, [{**row, "id": row_id} for row_id, row in zip(ids, batch, strict=True)])
    return ids


def read_type(column, dialect):
    """The type a column is read as from the batch's JSON: text for every string type (the
    insert's assignment then checks the length, as an insert of the value does) and for JSON
    (the value's serialised text, cast to the column's type in the select), else its own type."""
    if isinstance(column.type, JSON | String | Enum):
        return "text"
    return column.type.compile(dialect=dialect)


def json_scalar(value):
    """``json.dumps``'s ``default``: dates and times as ISO text (PostgreSQL reads it back to the
    same value; the app's datetimes are naive UTC), numerics as their exact text."""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be sent in a bulk insert")


def with_defaults(table, rows):
    """Rows with every column's Python-side default filled in where a row leaves it out (what
    the table's insert does)."""
    everywhere = set(rows[0]).intersection(*rows)
    for column in (c for c in table.columns if c.default is not None and c.name not in everywhere):
        default = column.default
        for row in rows:
            if column.name not in row:
                row[column.name] = default.arg(None) if default.is_callable else default.arg
    return rows


def column_names(rows):
    """Every key of ``rows``: the first row's in its order, then any other (sorted)."""
    first = list(rows[0])
    return first + sorted(set().union(*rows).difference(first))


def serialised(rows, columns, serialise):
    """``rows`` with each JSON column's value as the text the column's own bind processing
    sends (``None`` is JSON null unless the column stores SQL NULL for it)."""
    for column in (c for c in columns if isinstance(c.type, JSON)):
        name, keeps_null = column.name, column.type.none_as_null
        for row in rows:
            value = row.get(name)
            row[name] = None if value is None and keeps_null else serialise(value)
    return rows


def json_insert(table, rows):
    """PostgreSQL: ``rows`` (dicts; a key a row lacks is NULL, or its default) in one ``INSERT
    INTO table (...) SELECT ... FROM json_to_recordset(:rows) AS x(column type, ...)``: one
    parameter, the whole batch as JSON (made by ``json.dumps`` in C, read by the server in C).
    Row-level security checks every row, as for any insert."""
    dialect = db.session.get_bind().dialect
    rows = with_defaults(table, rows)
    columns = [table.c[name] for name in column_names(rows)]
    rows = serialised(rows, columns, getattr(dialect, "_json_serializer", None) or json.dumps)
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in columns)
    record = ", ".join(f"{quote(c.name)} {read_type(c, dialect)}" for c in columns)
    picked = ", ".join(
        f"CAST({quote(c.name)} AS {c.type.compile(dialect=dialect)})" if isinstance(c.type, JSON) else quote(c.name)
        for c in columns
    )
    source = f"json_to_recordset(CAST(:rows AS json)) AS x({record})"
    statement = f"INSERT INTO {quote(table.name)} ({names}) SELECT {picked} FROM {source}"
    payload = json.dumps(rows, default=json_scalar, ensure_ascii=False, check_circular=False)
    db.session.execute(text(statement), {"rows": payload})
