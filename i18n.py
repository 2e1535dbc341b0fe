"""Interface language: which locale a request is shown in, and its ``<html lang>`` tag.

Flask-Babel asks ``select_locale`` once per request (lazily, on the first translated string).
Flask-Admin translates its own strings with its bundled catalogues (domain ``admin``) for the
same locale: ``fr_CA`` falls back to its ``fr`` catalogue (gettext tries ``fr_CA``, then ``fr``),
completed by ours (``complete_admin_catalogue``)."""

import re
from datetime import date, datetime
from pathlib import Path

import flask_admin.babel
import flask_admin.translations
from babel import Locale
from babel.support import Translations
from flask import flash, g, get_flashed_messages, has_request_context, request, session
from flask_babel import format_date, format_decimal, format_time, get_locale, gettext, ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from admin_views.date_filters import range_separator
from admin_views.template_patches import PatchingLoader
from models.staff import LANGUAGES

DEFAULT_LOCALE = "en"
OUR_TRANSLATIONS = str(Path(__file__).resolve().parent / "translations")
# Flask-Admin's strings: its catalogue (domain ``admin``) first, then ours (``messages``), which
# wins for a message both have: it adds what Flask-Admin's French lacks ("Export", left English;
# two messages missing from its compiled catalogue) and keeps our terms ("Modifier", "Rechercher").
ADMIN_CATALOGUES = ((flask_admin.translations.__path__[0], "admin"), (OUR_TRANSLATIONS, "messages"))
PORTAL_PREFIX = "/portal"  # every portal address, its pages and the addresses it has none for
PORTAL_LANGUAGE_KEY = "portal_language"  # the language chosen on the portal's sign-in pages
PORTAL_SHOWN_KEY = "portal_language_shown"  # the portal's language when its client signed out
STAFF_LANGUAGE_KEY = "signed_out_language"  # staff pages: chosen on the sign-in page, or kept at sign-out
SHOWN_LATER = "shown_later"  # a flashed message written when a page shows it (``flash_shown_later``)
SHOWN_LATER_MESSAGES = {}  # its key -> the function writing it


def select_locale():
    """The staff member's interface language, else the browser's first language we have,
    else ``None`` (Flask-Babel's default, English). Nobody signed in: the language chosen on the
    sign-in page or kept when the last person signed out (``STAFF_LANGUAGE_KEY``), else the
    browser's. Outside a request (CLI, jobs): the default. Portal addresses (its pages, and its
    error pages for addresses it has none for): the client's
    (``portal_locale``), else the browser's."""
    if not has_request_context():
        return None
    if is_portal_request():
        return portal_locale() or browser_locale()
    if getattr(current_user, "is_authenticated", False):
        chosen = current_user.interface_language
    else:
        chosen = session.get(STAFF_LANGUAGE_KEY)
    return chosen if chosen in LANGUAGES else browser_locale()


def is_portal_request():
    """A request under ``/portal/``: one of the portal's pages, or an address it has no page for
    (Flask routes that to no blueprint), which is still shown as the portal's."""
    return has_request_context() and (request.path == PORTAL_PREFIX or request.path.startswith(PORTAL_PREFIX + "/"))


def portal_locale():
    """In the portal: the language the client chose there (on their account; before signing in,
    in the portal session, else the portal's language when they last signed out on this browser),
    else the official language of preference on their profile, else ``None`` (the browser's)."""
    account, client = g.get("portal_account"), g.get("portal_client")
    if account is None:
        chosen = session.get(PORTAL_LANGUAGE_KEY) or session.get(PORTAL_SHOWN_KEY)
        return chosen if chosen in LANGUAGES else None
    return account_locale(account, client)


def account_locale(account, client):
    """A portal client's language: their account's choice, else their profile's official
    language of preference, else ``None``."""
    if account.language in LANGUAGES:
        return account.language
    return profile_locale(client)


def profile_locale(client):
    """The locale of a client's official language of preference (English, French), or ``None``."""
    preference = (getattr(client, "official_language", None) or "").strip().lower()
    if preference.startswith("fr"):
        return "fr_CA"
    return "en" if preference.startswith("en") else None


def browser_locale():
    """The first of the browser's ``Accept-Language`` tags, most preferred first, that names one
    of our locales exactly or by its language alone (``fr``, ``fr-FR`` → ``fr_CA``)."""
    for tag, quality in request.accept_languages:
        locale = matching_locale(tag)
        if quality > 0 and locale:
            return locale
    return None


def matching_locale(tag):
    normal = tag.replace("-", "_").lower()
    for locale in LANGUAGES:
        if locale.lower() == normal:
            return locale
    language = normal.split("_")[0]
    return next((locale for locale in LANGUAGES if locale.split("_")[0] == language), None)


def html_lang():
    """The current locale as a BCP 47 tag (``fr_CA`` → ``fr-CA``), for ``<html lang>``."""
    return str(get_locale() or DEFAULT_LOCALE).replace("_", "-")


def admin_translations(message):
    """``message`` as Flask-Admin's own catalogues show it in each of our locales (the CSP
    lists the hashes of its inline handlers, which embed translated text)."""
    return sorted({admin_catalogue(locale).gettext(message) for locale in LANGUAGES})


def admin_catalogue(locale):
    """Flask-Admin's catalogue for ``locale`` completed by ours, as its pages use it."""
    catalogue = Translations()
    for directory, domain in ADMIN_CATALOGUES:
        loaded = Translations.load(directory, [locale], domain)
        catalogue.merge(loaded)
        catalogue.plural = getattr(loaded, "plural", catalogue.plural)
    return catalogue


def complete_admin_catalogue():
    """Flask-Admin translates with one Flask-Babel domain of its own (``flask_admin.babel.domain``,
    bound into its templates and messages): it reads its catalogue, then ours. The plural rule is
    the last catalogue's (ours: French has three forms in CLDR, Flask-Admin's two), so ours holds
    every plural message of Flask-Admin's (tests/test_french_pages.py)."""
    domain = flask_admin.babel.domain
    domain._translation_directories = [directory for directory, _ in ADMIN_CATALOGUES]
    domain.domain = [name for _, name in ADMIN_CATALOGUES]
    domain.cache.clear()


def local_date(value, style="short"):
    """A date (or date and time) as the interface's language writes it. ``short``: the date the
    ISO way, 2026-12-01, in both languages (as Canadian English and French write it; typed dates
    stay YYYY-MM-DD), a time as 14:05 / 14 h 05; ``medium`` "Dec 1, 2026" / "1 déc. 2026";
    ``long`` "December 1, 2026" / "1 décembre 2026"."""
    if value is None or value == "":
        return ""
    if not isinstance(value, date):
        return value
    day = value.date() if isinstance(value, datetime) else value
    text = day.isoformat() if style == "short" else format_date(day, style)
    return f"{text} {format_time(value, TIME_FORMATS.get(locale_language(), 'HH:mm'))}" if isinstance(value, datetime) else text


def local_day(value, style="short"):
    """The day of a date, or of a date and time without its time, as ``local_date`` writes it."""
    return local_date(value.date() if isinstance(value, datetime) else value, style)


TIME_FORMATS = {"en": "HH:mm", "fr": "HH 'h' mm"}


def locale_language():
    return str(get_locale() or DEFAULT_LOCALE).split("_")[0]


def local_number(value):
    """A number as the interface's language writes it: 12,345.5 / 12 345,5."""
    return "" if value is None else format_decimal(value)


def file_size(size):
    """A file's size as the interface's language writes it: bytes under 1 KB ("312 bytes", "312
    octets"), then KB and MB to one decimal ("46.9 KB", "46,9 Ko"; "2.3 MB", "2,3 Mo"). A size
    divided by 1024 and rounded showed "0.0 KB" for a small file."""
    if size is None:
        return ""
    if size < 1024:
        return ngettext("%(size)s byte", "%(size)s bytes", size, size=format_decimal(size))
    if size < 1024 * 1024:
        return gettext("%(size)s KB", size=format_decimal(size / 1024, format="#,##0.#"))
    return gettext("%(size)s MB", size=format_decimal(size / (1024 * 1024), format="#,##0.#"))


def page_title(*parts):
    """A page's ``<title>``: its parts, most specific first, joined by " · ", an empty part left
    out (never "Clients ·  · OCMS-Flask"). A part may be a rendered block (``self.title()``),
    markup already escaped: the result is markup too, each text part escaped once."""
    shown = (escape(part).strip() for part in parts if part is not None)
    return Markup(" · ").join(text for text in shown if text)


BLANK_OPTION = re.compile(r'<option (selected )?value=""( selected)?>(—?)</option>')


def blank_option_named(html):
    """A rendered select whose blank option ("" or "—", WTForms' ``("", "")`` choices) has a name
    for screen readers ("Nothing chosen"); what it shows stays as it was."""
    named = Markup(r'<option \1value="" aria-label="{}"\2>\3</option>').format(gettext("Nothing chosen"))
    return Markup(BLANK_OPTION.sub(str(named), str(html)))


def breakable(text):
    """A label that may wrap after each slash ("Unité/bureau/appartement" in a narrow column)."""
    return escape(text).replace("/", Markup("/<wbr>"))


def calendar_locale():
    """The date fields' calendar (Flask-Admin's bundled daterangepicker, English only) in the
    page's language: month and day names from CLDR, weeks from Sunday as in Canada, its buttons'
    labels (static/js/date_fields.js reads it from a meta tag of templates/admin/project_base.html)."""
    locale = get_locale() or Locale.parse(DEFAULT_LOCALE)
    canadian = locale if locale.territory else Locale(locale.language, "CA")
    days = canadian.days["stand-alone"]["short"]
    return {
        "monthNames": [canadian.months["stand-alone"]["abbreviated"][month] for month in range(1, 13)],
        "daysOfWeek": [days[(day + 6) % 7] for day in range(7)],  # CLDR counts from Monday (0)
        "firstDay": (canadian.first_week_day + 1) % 7,  # JavaScript counts from Sunday (0)
        "applyLabel": gettext("Apply"),
        "cancelLabel": gettext("Cancel"),
        "fromLabel": gettext("From"),
        "toLabel": gettext("To"),
        "separator": range_separator(),  # of a range: "2026-01-01 au 2026-01-31" (admin_views/date_filters.py)
    }


def shown_later(key):
    """Register a flash message written when it is shown (``flash_shown_later(key, ...)``):
    ``build(**params)`` runs in the request showing it, so the message reads in that page's
    language, not the language of the request that flashed it."""

    def register(build):
        SHOWN_LATER_MESSAGES[key] = build
        return build

    return register


def flash_shown_later(key, category="message", **params):
    """Flash the message registered as ``key`` with ``params`` (kept in the session: plain values)."""
    flash({SHOWN_LATER: key, "params": params}, category)


def shown_flash(message):
    """A flashed message as the page shows it: one registered with ``shown_later`` written now."""
    if isinstance(message, dict) and message.get(SHOWN_LATER) in SHOWN_LATER_MESSAGES:
        return SHOWN_LATER_MESSAGES[message[SHOWN_LATER]](**message.get("params", {}))
    return message


def flashed_messages(with_categories=False, category_filter=()):
    """Flask's ``get_flashed_messages`` for the templates, the messages written in the page's language."""
    found = [(category, shown_flash(message)) for category, message in get_flashed_messages(True, category_filter)]
    return found if with_categories else [message for _category, message in found]


def init_templates(app):
    """``html_lang()`` and ``interface_languages`` in every template, and ``lang`` on Flask-Admin's pages too
    (admin_views/template_patches.py); ``page_title(...)``; the ``local_date``, ``local_day``,
    ``local_number`` and ``file_size`` filters; flashed messages written in the page's language (``shown_later``); Flask-Admin's
    catalogue completed by ours."""
    app.jinja_env.globals["html_lang"] = html_lang
    app.jinja_env.globals["interface_languages"] = LANGUAGES
    app.jinja_env.globals["calendar_locale"] = calendar_locale
    app.jinja_env.globals["page_title"] = page_title
    app.jinja_env.globals["get_flashed_messages"] = flashed_messages
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["local_day"] = local_day
    app.jinja_env.filters["local_number"] = local_number
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["blank_option_named"] = blank_option_named  # templates/admin/clients/_forms.html
    app.jinja_env.filters["breakable"] = breakable
    app.jinja_env.loader = PatchingLoader(app.jinja_env.loader)
    complete_admin_catalogue()
