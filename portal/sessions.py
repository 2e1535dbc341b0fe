"""The portal's own session: its own cookie, its own signature, its own idle clock.

Flask has one session interface per app; ``SplitSessionInterface`` gives requests under
``/portal/`` a different cookie (``portal_session``, path ``/portal``) signed with a different
salt. A staff member's cookie is never read by the portal, and a client's is never sent to, nor
accepted by, anything outside it (copying its value into the staff cookie fails the signature).
Flask-Login, which signs staff in, therefore never finds a staff member in a portal request, and
the portal never finds a client anywhere else: a client cannot reach ``/admin/``.

The portal session holds the account's rotating ``session_token``, an identifier of the
browser (Flask-Login's "strong" protection: a cookie replayed from another address or browser
is dropped) and the time of the last request (``IDLE_TIMEOUT_MINUTES``, as staff).
"""

import time

from flask import current_app, session
from flask.sessions import SecureCookieSessionInterface
from flask_login.utils import _create_identifier

from i18n import PORTAL_PREFIX, PORTAL_SHOWN_KEY, is_portal_request
from models.staff import LANGUAGES

PORTAL_COOKIE = "portal_session"
PORTAL_SALT = "portal-session"
TOKEN, IDENT, LAST_SEEN = "portal_token", "portal_ident", "portal_last_seen"
IDLE = "idle"


class SplitSessionInterface(SecureCookieSessionInterface):
    """The staff cookie everywhere but under ``/portal/``, which has its own."""

    def get_cookie_name(self, app):
        return PORTAL_COOKIE if is_portal_request() else super().get_cookie_name(app)

    def get_cookie_path(self, app):
        return PORTAL_PREFIX if is_portal_request() else super().get_cookie_path(app)

    def get_signing_serializer(self, app):
        serializer = super().get_signing_serializer(app)
        if serializer is not None and is_portal_request():
            serializer.salt = PORTAL_SALT.encode()
        return serializer


def start(account):
    """Sign ``account`` in on this browser: a fresh session holding only the portal's keys."""
    session.clear()
    session[TOKEN], session[IDENT] = account.session_token, _create_identifier()
    touch()


def touch():
    session[LAST_SEEN] = int(time.time())


def end(language=None):
    """Empty the session; ``language`` (the portal's language as its client leaves) stays for
    the sign-in page, which goes on showing it."""
    session.clear()
    if language in LANGUAGES:
        session[PORTAL_SHOWN_KEY] = language


def signed_in_token():
    """The session's account token when the session is this browser's and not idle, else ``None``
    (``IDLE`` when it timed out: the caller ends the session, keeping the client's language, and
    says so)."""
    token = session.get(TOKEN)
    if not token:
        return None
    if session.get(IDENT) != _create_identifier():
        end()
        return None
    last_seen = session.get(LAST_SEEN)
    if not isinstance(last_seen, int) or time.time() - last_seen > current_app.config["IDLE_TIMEOUT_MINUTES"] * 60:
        return IDLE
    return token
