"""The portal's language switch: the client's choice is kept on their portal account (before
signing in, in the portal session, and on the account at sign-in); ``i18n.portal_locale`` reads
it. Without a choice the portal follows the official language of preference on the client's
profile, then the browser. At sign-out the portal's language stays for the sign-in page."""

from flask import flash, g, redirect, request, session, url_for
from flask_babel import force_locale, gettext

from extensions import db
from i18n import PORTAL_LANGUAGE_KEY, portal_locale
from models.staff import LANGUAGES
from portal import sessions
from portal.blueprint import bp
from portal.sessions import PORTAL_PREFIX


def back_to():
    """The portal page the switch was on (a portal path only), else the first page."""
    target = request.form.get("next", "")
    control = any(ord(character) < 0x20 or ord(character) == 0x7F for character in target)  # no header can hold them
    if target.startswith(PORTAL_PREFIX + "/") and "//" not in target and "\\" not in target and not control:
        return target
    return url_for("portal.overview" if g.get("portal_client") else "portal.sign_in")


@bp.route("/language", methods=("POST",))
def choose_language():
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        flash(gettext("Choose a language of the list."), "error")
        return redirect(back_to())
    if g.get("portal_account") is not None:
        g.portal_account.language = language
        db.session.commit()
    else:
        session[PORTAL_LANGUAGE_KEY] = language
    with force_locale(language):
        flash(gettext("The portal is now in English."), "success")
    return redirect(back_to())


@bp.app_context_processor
def portal_languages():
    return {"portal_languages": LANGUAGES}


def keep_chosen_language(account):
    """At sign-in: the language chosen on the sign-in pages becomes the account's (the client's
    latest choice); the caller commits."""
    chosen = session.get(PORTAL_LANGUAGE_KEY)
    if chosen in LANGUAGES:
        account.language = chosen


def end_session_keeping_language():
    """Sign-out: the session is emptied but for the portal's language, which the sign-in page
    goes on showing (not stored anywhere else, so the next sign-in does not take it as a choice)."""
    sessions.end(portal_locale())
