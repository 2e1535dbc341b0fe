"""The admin views as registered, read from a throw-away app, for parametrised tests."""

from flask_admin.contrib.sqla import ModelView

from app import create_app

ROLE_EMAILS = {
    "worker": "worker@demo.org",
    "coordinator": "coordinator@demo.org",
    "agency_admin": "admin@demo.org",
}


def registered_views():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [view for view in app.extensions["admin"][0]._views]


VIEWS = registered_views()
MODEL_VIEWS = [view for view in VIEWS if isinstance(view, ModelView)]
