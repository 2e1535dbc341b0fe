"""The portal blueprint and who is acting in it.

Every portal request with a signed-in client runs as ``Principal.portal_client(client)``: the
central tenancy and visibility rules then show the client their own rows only (models declare
``portal_scope``). The account and its client are the one unscoped read (as staff sign-in is),
to decide whether the client may still use the portal: archived, consent withdrawn or an
account whose token was rotated ends the portal session on the next request.
"""

from functools import wraps

from flask import Blueprint, flash, g, redirect, request, session, url_for
from flask_babel import gettext, refresh

from custom_pages.auth import request_origin
from i18n import account_locale, is_portal_request, portal_locale
from models.portal_accounts import find_account_by_token, load_client, may_sign_in
from models.principal import Principal
from portal import sessions

bp = Blueprint("portal", __name__, url_prefix=sessions.PORTAL_PREFIX)


@bp.before_request
def act_as_signed_in_client():
    """Make the signed-in client the principal of this request (``g.principal``, as
    ``acting_as`` does, for the whole request), or leave nobody acting."""
    g.portal_account = g.portal_client = None
    token = sessions.signed_in_token()
    if token == sessions.IDLE:
        end_idle_session()
        flash(gettext("You were signed out after a while without activity. Sign in again to go on."), "info")
        return None
    account = find_account_by_token(token) if token else None
    if account is None:
        return None
    client = load_client(account)
    g.principal = Principal.portal_client(client, *request_origin())
    if not may_sign_in(account, client):
        g.pop("principal")
        sessions.end()
        return None
    g.portal_account, g.portal_client = account, client
    sessions.touch()
    return None


@bp.before_app_request
def act_as_signed_in_client_on_unknown_portal_address():
    """An address under ``/portal/`` that the portal has no page for routes to no blueprint, so
    ``act_as_signed_in_client`` would not run: run it, for its 404 to be the portal's, with the
    signed-in client's menu and language (``register_error_pages``)."""
    if request.url_rule is None and is_portal_request():
        return act_as_signed_in_client()
    return None


def signed_in_client_for_error_page():
    """An error answered before the portal's own check ran (a form refused by the CSRF check,
    which runs first): the signed-in client still gets their menu and language on it."""
    if "portal_account" not in g:
        act_as_signed_in_client()
        refresh()  # the language was chosen before the client was known


def end_idle_session():
    """Idle time-out: signed out as at sign-out, the language the client was using kept for the
    sign-in page (their account's, else their profile's; else the one the session showed)."""
    account = find_account_by_token(session.get(sessions.TOKEN))
    sessions.end(account_locale(account, load_client(account)) if account else portal_locale())
    refresh()  # the message saying so, and the page after it, in that language


def portal_page(view):
    """A page for a signed-in client; anyone else goes to the portal's sign-in page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.get("portal_client") is None:
            return redirect(url_for("portal.sign_in"))
        return view(*args, **kwargs)

    return wrapper
