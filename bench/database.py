"""A benchmark's database made ready: emptied (a scratch PostgreSQL database, when asked),
migrated, the reference lists loaded, and refused if it already holds agencies (a benchmark
never loads its rows into a database someone uses)."""

import sys

import flask_migrate
from sqlalchemy import select, text

from extensions import db
from models import ALL_AGENCIES, Agency, tenant_scope
from models.reference import sync_reference_values


def ready_database(url, reset):
    """Inside the app's context: ``url``'s database, migrated and empty of agencies."""
    if reset and url.startswith("postgresql"):
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    flask_migrate.upgrade()
    sync_reference_values()
    with tenant_scope(ALL_AGENCIES):
        if db.session.scalar(select(Agency.id).limit(1)) is not None:
            sys.exit("The database already has agencies: give a new one (or --reset a scratch PostgreSQL database).")
