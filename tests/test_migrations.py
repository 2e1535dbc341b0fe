"""The migrations build exactly the schema the models describe (less what lives in migrations
only: ``models.search_text.is_migration_only``, which ``flask db check`` and ``migrate`` use too)."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text as sql

from app import create_app
from extensions import db
from models.search_text import is_migration_only


def test_migrations_match_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": is_migration_only})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_database_is_at_the_single_head(app):
    from alembic.script import ScriptDirectory
    from flask_migrate import Config

    with app.app_context(), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        config = Config(app.extensions["migrate"].directory + "/alembic.ini")
        config.set_main_option("script_location", app.extensions["migrate"].directory)
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1 and tuple(current) == tuple(heads)


OLD_HEAD = "9b69158972a9"  # before session types became a plain string
SEED = (
    "INSERT INTO agencies (id, name, code, privacy_statement_en, privacy_statement_fr, privacy_statement_version,"
    " created_at, updated_at) VALUES (1, 'Agency', 'AG', '', '', 1, :now, :now)",
    "INSERT INTO sites (id, name, kind, address, city, postal_code, is_active, agency_id, created_at, updated_at)"
    " VALUES (1, 'Site', 'non_school', '', '', '', 1, 1, :now, :now)",
    "INSERT INTO staff (id, email, first_name, last_name, title, phone, role, is_active, password_hash, session_token,"
    " agency_id, created_at, updated_at) VALUES (1, 'w@example.org', 'W', 'W', '', '', 'worker', 1, 'x', 't', 1, :now, :now)",
    "INSERT INTO clients (id, version, kind, first_name, last_name, other_languages, registration_date, is_archived,"
    " search_text, agency_id, created_at, updated_at) VALUES (1, 1, 'named', 'C', 'C', '[]', '2026-01-05', 0, '', 1, :now, :now)",
    "INSERT INTO service_sessions (id, session_type, service_date, site_id, delivery_method, at_point_of_entry,"
    " interpreter_present, interpreters, hours, minutes, languages, lead_staff_id, created_by_id, agency_id, created_at,"
    " updated_at) VALUES (1, 'language_training', '2026-01-05', 1, 'In Person', 0, 0, 0, 1, 0, '[]', 1, 1, 1, :now, :now)",
    "INSERT INTO session_clients (id, session_id, client_id, agency_id) VALUES (1, 1, 1, 1)",
    "INSERT INTO service_forms (id, session_id, client_id, kind, is_private, author_id, data, is_complete, agency_id,"
    " created_at, updated_at) VALUES (1, 1, 1, 'lt_enrolment', 0, 1, '{}', 0, 1, :now, :now)",
)


def session_rows(connection):
    sessions = connection.execute(sql("SELECT id, session_type FROM service_sessions")).all()
    children = [connection.execute(sql(f"SELECT count(*) FROM {t}")).scalar() for t in ("service_forms", "session_clients")]
    return [tuple(row) for row in sessions], children


def test_session_type_migration_keeps_sessions_forms_and_attendees_on_sqlite(tmp_path):
    """SQLite with foreign keys on (as the app runs it): the column swap drops no row, both ways.
    (A table rebuild would cascade-delete every form and attendee.)"""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrate.sqlite3'}"})
    with app.app_context():
        flask_migrate.upgrade(revision=OLD_HEAD)
        with db.engine.begin() as connection:
            for statement in SEED:
                connection.execute(sql(statement), {"now": "2026-01-05 10:00:00"})
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert session_rows(connection) == ([(1, "language_training")], [1, 1])
            assert connection.execute(sql("PRAGMA foreign_keys")).scalar() == 1
        flask_migrate.downgrade(revision=OLD_HEAD)
        with db.engine.connect() as connection:
            assert session_rows(connection) == ([(1, "language_training")], [1, 1])
        db.engine.dispose()
