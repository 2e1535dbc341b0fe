"""Idle time-out: a staff member who made no request for ``IDLE_TIMEOUT_MINUTES`` (default 30)
is signed out on the next one and sent to the sign-in page with a message.

The time of the last request is kept in the signed session cookie; every request (static files
aside) moves it on."""

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, logout_user

from i18n import STAFF_LANGUAGE_KEY
from models.staff import LANGUAGES

LAST_SEEN = "last_seen"


def init_app(app):
    app.before_request(sign_out_when_idle)


def touch():
    """Start (or restart) the idle clock: at sign-in and on every request."""
    session[LAST_SEEN] = int(time.time())


def end_session():
    """Sign out and forget everything the session held (a pending privacy consent, a two-step
    set-up, the idle clock...): the next person on this browser starts from nothing but the
    interface language, which the sign-in page keeps showing (``i18n.select_locale``)."""
    language = getattr(current_user, "interface_language", None)
    logout_user()
    session.clear()
    if language in LANGUAGES:
        session[STAFF_LANGUAGE_KEY] = language


def is_static(endpoint):
    return endpoint is None or endpoint == "static" or endpoint.endswith(".static")


def sign_out_when_idle():
    """``before_request`` hook: sign out after too long without a request, else move the clock."""
    if is_static(request.endpoint):
        return None
    if not current_user.is_authenticated:
        session.pop(LAST_SEEN, None)
        return None
    minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    last_seen = session.get(LAST_SEEN)
    if isinstance(last_seen, int) and time.time() - last_seen > minutes * 60:
        end_session()
        flash(
            gettext("You were signed out after %(minutes)s minutes without activity. Sign in again to go on.", minutes=minutes),
            "info",
        )
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))
    touch()
    return None
