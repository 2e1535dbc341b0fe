"""The declarative base and the small mixins every model area shares."""

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import delete, event, insert, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, declared_attr

from extensions import db


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def commit_keeping_loaded():
    """Commit without expiring what the session has loaded: for a page that records something
    (a view, an audit row) and then shows the rows it read just before, under the same
    principal, without reading each of them again. A rollback still expires everything."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


class Timestamped:
    """``created_at`` / ``updated_at`` kept by the database layer (UTC, naive)."""

    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Versioned:
    """Optimistic locking: ``version`` is SQLAlchemy's ``version_id_col``, so every UPDATE says
    ``WHERE version = <the version read>`` and a row changed meanwhile raises ``StaleDataError``
    (nothing saved). Pages compare the version their form was loaded with first
    (``models/record_history.check_version``) to say what changed."""

    version = db.Column(db.Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


def many_to_many_changed(obj):
    state = inspect(obj)
    return any(rel.secondary is not None and state.attrs[rel.key].history.has_changes() for rel in state.mapper.relationships)


@event.listens_for(Session, "before_flush")
def _version_link_changes(session, flush_context, instances):
    """A change to a many-to-many list (a session's staff, a staff member's programs) is a change
    of the row, as the audit trail records it: it gets a new version too (the ORM alone would not
    UPDATE the row)."""
    for obj in session.dirty:
        if isinstance(obj, Versioned) and many_to_many_changed(obj):
            obj.version = inspect(obj).committed_state.get("version", obj.version) + 1


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    """SQLite enforces foreign keys only when asked, per connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "handle_error")
def _too_large_integers_are_data_errors(context):
    """An integer beyond 64 bits sent to the database (a 20-digit page number or id typed in a
    URL or a form): PostgreSQL refuses it with a ``DataError``, SQLite's driver raised a bare
    ``OverflowError``. Both are now a ``DataError``, which the app answers with a 400 page, so no
    query anywhere needs its own range check."""
    if isinstance(context.original_exception, OverflowError):
        return DataError(context.statement, context.parameters, context.original_exception)
    return None


def replace_stored_rows(connection, table, key, keys, agency_id, columns, rows_select):
    """Compute a stored (derived) table's rows again: delete those of ``keys`` (values of column
    ``key``; ``None``: every row; of agency ``agency_id`` when given) and insert
    ``rows_select(keys)`` in their place, on ``connection`` (core statements: no ORM event, no
    tenancy hook: the caller names the rows)."""
    if keys is not None:
        keys = sorted(set(keys))
        if not keys:
            return
    gone = delete(table)
    if keys is not None:
        gone = gone.where(table.c[key].in_(keys))
    if agency_id is not None:
        gone = gone.where(table.c.agency_id == agency_id)
    connection.execute(gone)
    connection.execute(insert(table).from_select(columns, rows_select(keys)))
