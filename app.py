"""Application factory: the only place where configuration, extensions, pages and
commands are wired together. Nothing imports this module."""

import base64
import hashlib
import os
import secrets

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext, lazy_gettext
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import commands
import config
import i18n
import portal
from admin_views import init_admin
from admin_views.base import MAX_ID
from custom_pages import auth, password_reset, session_timeout, two_step
from extensions import babel, csrf, db, login_manager, mail, migrate
from models.errors import InvalidEntry, ReadOnlyRecord, RecordNotFound, StaleRecord, TenantViolation
from portal.blueprint import signed_in_client_for_error_page

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
STALE_MESSAGE = lazy_gettext(
    "This record was changed by someone else at the same moment, so nothing was saved. Go back, reload it and try again."
)
HSTS = "max-age=31536000"  # sent only on HTTPS requests: a browser ignores it over HTTP anyway
# Flask-Admin 2.2.1 templates keep a few inline event handlers (the row delete confirmation, the
# "Add filter" menu items, one per mass action) and ``javascript:void(0)`` links on its menu
# toggles. 'unsafe-hashes' lets exactly these strings run, and nothing else. The confirmation
# embeds Flask-Admin's translated question: one hash per interface language.
ADMIN_INLINE_HANDLERS = ("return false;", "javascript:void(0)")
ADMIN_DELETE_CONFIRMATION = "return faHelpers.safeConfirm('{}');"
ADMIN_DELETE_QUESTION = "Are you sure you want to delete this record?"
ADMIN_ACTION_HANDLER = "return modelActions.execute('{}');"


def script_hash(source):
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def content_security_policy(admin):
    """The policy, with a ``{nonce}`` slot. Scripts only from this site (or carrying the response's
    nonce) plus Flask-Admin's known inline handlers; styles only from files on this site; images
    also as ``data:`` URIs (Bootstrap's CSS draws its icons with them)."""
    actions = sorted({name for view in admin._views for name, _ in getattr(view, "_actions", ())})
    confirmations = [ADMIN_DELETE_CONFIRMATION.format(text) for text in i18n.admin_translations(ADMIN_DELETE_QUESTION)]
    handlers = [*ADMIN_INLINE_HANDLERS, *confirmations, *(ADMIN_ACTION_HANDLER.format(name) for name in actions)]
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'nonce-{nonce}' 'unsafe-hashes' " + " ".join(map(script_hash, handlers)) + " 'report-sample'",
            "style-src 'self' 'report-sample'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def csp_nonce():
    """This response's script nonce, made on first use (templates: ``{{ csp_nonce() }}``)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def create_app(test_config=None):
    """Build the app; ``test_config`` is a dict of configuration overrides."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = BoundedInt
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.from_environment(app.instance_path))
    app.config.from_mapping(test_config or {})
    app.config["SQLALCHEMY_DATABASE_URI"] = config.database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    init_https(app)
    app.wsgi_app = close_once_sent(app.wsgi_app)

    init_extensions(app)
    auth.init_app(app)
    session_timeout.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(two_step.bp)
    app.register_blueprint(password_reset.bp)
    portal.init_app(app)
    init_admin(app)
    app.extensions["admin"][0].csp_nonce_generator = csp_nonce
    app.extensions["content_security_policy"] = content_security_policy(app.extensions["admin"][0])
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    commands.register(app)
    register_error_pages(app)
    app.after_request(add_security_headers)
    return app


class BoundedInt(IntegerConverter):
    """``<int:...>`` URL parts fit an id column (32-bit on PostgreSQL): a longer number is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_https(app):
    """Secure cookies when served over HTTPS; trust X-Forwarded-For/-Proto only from as many
    proxies as the deployment says sit in front (``TRUSTED_PROXIES``, default none)."""
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def close_once_sent(wsgi_app):
    """Under Werkzeug's development server (``make run``), close each answer as soon as its
    body has been written. That server closes it only after reading what is left on the
    connection, and skips the close when the browser resets the connection meanwhile (it does,
    now and then): the work a page leaves for after its answer (``call_on_close``: a password
    reset mail sent at once) then never ran. Production servers (gunicorn) always close."""

    def closing_app(environ, start_response):
        body = wsgi_app(environ, start_response)
        if not environ.get("SERVER_SOFTWARE", "").startswith("Werkzeug/"):
            return body
        return ClosedWhenWritten(body)

    return closing_app


class ClosedWhenWritten:
    """An answer's body that closes it once written (or when the server closes it first)."""

    def __init__(self, body):
        self.body, self.closed = body, False

    def __iter__(self):
        try:
            yield from self.body
        finally:  # the last part written, or the browser gone mid-way
            self.close()

    def close(self):
        if not self.closed:
            self.closed = True
            if hasattr(self.body, "close"):
                self.body.close()


def init_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_templates(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to see that page.")
    login_manager.localize_callback = str  # the message in the request's language, when flashed
    login_manager.session_protection = "strong"


def unstorable_value(page):
    """The database refused a value (a number beyond an id's range, a NUL character in text on
    PostgreSQL): nothing is saved, and the person is told, never an HTTP 500."""
    db.session.rollback()
    return page(
        400,
        gettext("Cannot be stored"),
        gettext(
            "Something you sent cannot be stored (a number that is too large, or an invisible control character "
            "in the text). Nothing was saved: go back, correct it and try again."
        ),
    )


def refused_write(page, error):
    """A write the program, Private or break-glass rules refuse: nothing is saved."""
    db.session.rollback()
    return page(403, gettext("Not allowed"), str(error))


def stale_write(page):
    """A row changed by someone else between reading and saving, on a path that does not say
    what changed itself (pages with a form do, through ``models/record_history.py``): nothing is
    saved."""
    db.session.rollback()
    return page(409, lazy_gettext("Changed by someone else"), STALE_MESSAGE)


def forbidden_message(error):
    """The reason a page gave (``abort(403, "...")``), or the general one."""
    if error.description and error.description != Forbidden.description:
        return error.description
    return gettext("Your role does not give access to this page.")


def bad_request_message(error):
    """The reason a page gave (``abort(400, "...")``), or the general one (Werkzeug's is English)."""
    if error.description and error.description != BadRequest.description:
        return error.description
    return gettext("The page could not understand what was sent. Go back and try again.")


def register_error_pages(app):
    def page(code, title, message):
        return render_template(error_template(), code=code, title=title, message=message), code

    not_found = lazy_gettext("Not found")
    app.register_error_handler(400, lambda e: page(400, gettext("Bad request"), bad_request_message(e)))
    app.register_error_handler(403, lambda e: page(403, gettext("Not allowed"), forbidden_message(e)))
    app.register_error_handler(404, lambda e: page(404, not_found, gettext("There is no such page or record in your agency.")))
    app.register_error_handler(405, lambda e: method_not_allowed(page, e))
    app.register_error_handler(413, lambda e: page(413, gettext("File too large"), too_large_message(app)))
    app.register_error_handler(DataError, lambda e: unstorable_value(page))
    app.register_error_handler(ReadOnlyRecord, lambda e: refused_write(page, e))
    app.register_error_handler(StaleDataError, lambda e: stale_write(page))
    app.register_error_handler(StaleRecord, lambda e: stale_write(page))
    app.register_error_handler(
        TenantViolation, lambda e: page(404, not_found, gettext("There is no such record in your agency."))
    )
    app.register_error_handler(
        InvalidEntry, lambda e: page(400, gettext("Bad request"), f"{e.message} {gettext('Nothing was saved.')}")
    )
    app.register_error_handler(
        RecordNotFound, lambda e: page(404, not_found, gettext("There is no such page or record in your agency."))
    )


def error_template():
    """Under ``/portal/`` an error page is the portal's (its layout, the client's menu or the
    signed-out header): a client never lands on a staff page, signed in or not."""
    if not i18n.is_portal_request():
        return "error.html"
    signed_in_client_for_error_page()
    return "portal/error.html"


def method_not_allowed(page, error):
    """An address that only takes a form, opened as a page (Werkzeug's page is English); the
    ``Allow`` header stays."""
    message = gettext("This address only takes a form sent from its page. Go back to the page and try again.")
    body, code = page(405, gettext("Not available this way"), message)
    return body, code, {"Allow": ", ".join(sorted(error.valid_methods or ()))}


def too_large_message(app):
    return gettext("Files up to %(size)s MB are accepted.", size=app.config["MAX_UPLOAD_BYTES"] // 2**20)


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    policy = current_app.extensions["content_security_policy"]
    response.headers.setdefault("Content-Security-Policy", policy.format(nonce=csp_nonce()))
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
