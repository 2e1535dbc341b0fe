"""Application factory: the only place where configuration, extensions, pages and
commands are wired together. Nothing imports this module."""

import os

from flask import Flask, render_template
from werkzeug.routing import IntegerConverter

import commands
import config
from admin_views import init_admin
from custom_pages import auth
from extensions import csrf, db, login_manager, mail, migrate
from models import TenantViolation

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def create_app(test_config=None):
    """Build the app; ``test_config`` is a dict of configuration overrides."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = BoundedInt
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.from_environment(app.instance_path))
    app.config.from_mapping(test_config or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = config.database_url(app.config["SQLALCHEMY_DATABASE_URI"])

    init_extensions(app)
    app.register_blueprint(auth.bp)
    init_admin(app)
    commands.register(app)
    register_error_pages(app)
    app.after_request(add_security_headers)
    return app


class BoundedInt(IntegerConverter):
    """``<int:...>`` URL parts fit a 64-bit id column (a longer number is a 404, not an overflow)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.session_protection = "strong"


def register_error_pages(app):
    def page(code, title, message):
        return render_template("error.html", code=code, title=title, message=message), code

    app.register_error_handler(400, lambda e: page(400, "Bad request", e.description))
    app.register_error_handler(403, lambda e: page(403, "Not allowed", "Your role does not give access to this page."))
    app.register_error_handler(404, lambda e: page(404, "Not found", "There is no such page or record in your agency."))
    app.register_error_handler(
        413, lambda e: page(413, "File too large", f"Files up to {app.config['MAX_UPLOAD_BYTES'] // 2**20} MB are accepted.")
    )
    app.register_error_handler(TenantViolation, lambda e: page(404, "Not found", "There is no such record in your agency."))


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
