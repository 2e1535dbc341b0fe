"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
