"""The declarative base and the small mixins every model area shares."""

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError

from extensions import db


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


class Timestamped:
    """``created_at`` / ``updated_at`` kept by the database layer (UTC, naive)."""

    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


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
