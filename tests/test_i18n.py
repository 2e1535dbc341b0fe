"""Interface language: the staff member's setting, else the browser's, else English; ``<html
lang>`` on every page; Flask-Admin in the same language; the French catalogue is sound."""

import html
import io
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import update

import i18n
from app import script_hash
from extensions import db
from models import ALL_AGENCIES, Staff, tenant_scope
from tests.conftest import TRANSLATIONS, demo_staff, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")

FRENCH = TRANSLATIONS / "fr_CA" / "LC_MESSAGES" / "messages.po"
# Files whose every string is translated into Canadian French (the worked example; the rest of
# the interface is translated in a later issue, and its files are added here as they are done).
FULLY_TRANSLATED = {
    "templates/layout.html": "jinja2.ext:babel_extract",
    "templates/admin/project_base.html": "jinja2.ext:babel_extract",
    "templates/custom_pages/login.html": "jinja2.ext:babel_extract",
    "custom_pages/auth.py": "python",
    "admin_views/locking.py": "python",
    "templates/admin/_stale_record.html": "jinja2.ext:babel_extract",
    "templates/admin/clients/file_edit.html": "jinja2.ext:babel_extract",
    # --- accounts ---
    "custom_pages/password_reset.py": "python",
    "custom_pages/my_account.py": "python",
    "templates/custom_pages/forgot_password.html": "jinja2.ext:babel_extract",
    "templates/custom_pages/reset_password.html": "jinja2.ext:babel_extract",
    "templates/custom_pages/reset_link_problem.html": "jinja2.ext:babel_extract",
    "templates/custom_pages/recovery_codes.html": "jinja2.ext:babel_extract",
    "templates/admin/my_account.html": "jinja2.ext:babel_extract",
    "templates/admin/staff_edit.html": "jinja2.ext:babel_extract",
    # --- referrals ---
    "models/referrals.py": "python",
    "models/tasks.py": "python",
    "models/partnerships.py": "python",
    "custom_pages/referrals.py": "python",
    "custom_pages/partnerships.py": "python",
    "templates/admin/clients/tab_referrals.html": "jinja2.ext:babel_extract",
    "templates/admin/partnerships.html": "jinja2.ext:babel_extract",
    "templates/admin/incoming_referrals.html": "jinja2.ext:babel_extract",
    "templates/admin/_home_tasks.html": "jinja2.ext:babel_extract",
    "admin_views/grid_exports.py": "python",
    "admin_views/session_exports.py": "python",
    # --- notify ---
    "models/message_templates.py": "python",
    "models/notifications.py": "python",
    "admin_views/notifications.py": "python",
    "custom_pages/notifications.py": "python",
    "templates/admin/notifications/_messages.html": "jinja2.ext:babel_extract",
    "templates/admin/notifications/_opt_outs.html": "jinja2.ext:babel_extract",
    "templates/admin/notifications/mine.html": "jinja2.ext:babel_extract",
    "templates/admin/clients/tab_notifications.html": "jinja2.ext:babel_extract",
    "templates/admin/clients/import.html": "jinja2.ext:babel_extract",  # the client import (issue 11, item 8)
    "templates/admin/clients/import_check.html": "jinja2.ext:babel_extract",
    "custom_pages/client_import.py": "python",
    "exports/imports.py": "python",
    "exports/import_values.py": "python",
    "portal/plan.py": "python",  # My plan in the client portal
    "templates/portal/plan.html": "jinja2.ext:babel_extract",
    # --- reports ---
    "reports/catalogue.py": "python",
    "reports/criteria.py": "python",
    "reports/dimensions.py": "python",
    "reports/dashboards.py": "python",
    "reports/query.py": "python",
    "reports/scope.py": "python",
    "reports/table.py": "python",
    "exports/reports.py": "python",
    "custom_pages/reports.py": "python",
    "templates/admin/reports/_chart.html": "jinja2.ext:babel_extract",
    "templates/admin/reports/_dashboards.html": "jinja2.ext:babel_extract",
    "templates/admin/reports/index.html": "jinja2.ext:babel_extract",
    "templates/admin/reports/print.html": "jinja2.ext:babel_extract",
    "templates/admin/reports/records.html": "jinja2.ext:babel_extract",
    "templates/admin/reports/report.html": "jinja2.ext:babel_extract",
    # --- plans ---
    "models/plans.py": "python",
    "custom_pages/plans.py": "python",
    "custom_pages/plan_forms.py": "python",
    "reports/plan_grain.py": "python",
    "reports/activity_reports.py": "python",
    "reports/declaration.py": "python",
    "reports/referral_grain.py": "python",
    "reports/icare_grain.py": "python",
    "reports/mentor_dimensions.py": "python",
    "exports/plans.py": "python",
    "templates/admin/clients/plan.html": "jinja2.ext:babel_extract",
    "templates/admin/clients/plan_edit.html": "jinja2.ext:babel_extract",
    "templates/admin/clients/goal_edit.html": "jinja2.ext:babel_extract",
    "templates/admin/clients/tab_plan.html": "jinja2.ext:babel_extract",
    "templates/admin/plan_monitoring.html": "jinja2.ext:babel_extract",
}
HTML_TAG = re.compile(r"<html[^>]*>")


def html_tag(response):
    return HTML_TAG.search(text(response)).group(0)


def set_language(app, email, language):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Staff).where(Staff.email == email).values(interface_language=language))
        db.session.commit()


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("fr-CA", "fr-CA"),
        ("fr", "fr-CA"),
        ("fr-FR,en;q=0.5", "fr-CA"),
        ("de, fr-BE;q=0.3", "fr-CA"),
        ("en-US,fr;q=0.9", "en"),
        ("fr;q=0.4, en;q=0.8", "en"),  # by preference, not by order
        ("de", "en"),
        (None, "en"),
    ],
)
def test_browser_language_picks_the_locale(client, accept, expected):
    response = client.get("/login", headers={"Accept-Language": accept} if accept else {})
    assert html_tag(response) == f'<html lang="{expected}">'


def test_french_browser_gets_the_french_sign_in_page(client):
    page = text(client.get("/login", headers={"Accept-Language": "fr-CA"}))
    assert "<title>Se connecter - OCMS-Flask</title>" in page
    assert ">Courriel</label>" in page and ">Mot de passe</label>" in page and "Se connecter</button>" in page
    for english in ("Sign in", "Email", "Password"):
        assert f">{english}<" not in page


def test_french_sign_in_messages(client):
    french = {"Accept-Language": "fr-CA"}
    refused = text(client.post("/login", data={"email": "worker@demo.org", "password": "wrong"}, headers=french))
    assert "Ce courriel et ce mot de passe ne correspondent à aucun compte actif." in refused
    empty = text(client.post("/login", data={"email": "", "password": ""}, headers=french))
    assert "Courriel\u00a0: Ce champ est requis." in empty  # WTForms' own French messages
    redirected = text(client.get("/two-step", headers=french, follow_redirects=True))  # @login_required
    assert "Veuillez vous connecter pour voir cette page." in redirected


def test_english_by_default(client):
    page = text(client.get("/login"))
    assert '<html lang="en">' in page and "<title>Sign in - OCMS-Flask</title>" in page and ">Email</label>" in page
    assert "Email: This field is required." in text(client.post("/login", data={"email": "", "password": ""}))


def test_the_staff_setting_beats_the_browser(app, client):
    set_language(app, "worker@demo.org", "fr_CA")
    sign_in(client, "worker@demo.org")
    home = client.get("/admin/", headers={"Accept-Language": "en-US,en"})
    assert html_tag(home) == '<html lang="fr-CA">' and "Se déconnecter</button>" in text(home)
    set_language(app, "worker@demo.org", "en")
    home = client.get("/admin/", headers={"Accept-Language": "fr-CA"})
    assert html_tag(home) == '<html lang="en">' and "Sign out</button>" in text(home)


def test_no_setting_follows_the_browser(app, client):
    sign_in(client, "worker@demo.org")
    assert html_tag(client.get("/admin/", headers={"Accept-Language": "fr"})) == '<html lang="fr-CA">'
    assert html_tag(client.get("/admin/")) == '<html lang="en">'


@pytest.mark.parametrize("accept, lang", [(None, "en"), ("fr-CA", "fr-CA")])
def test_every_page_of_a_sample_has_html_lang(client, login, accept, lang):
    headers = {"Accept-Language": accept} if accept else {}
    pages = {"/login": client.get("/login", headers=headers)}
    login("admin@demo.org")
    for url in ("/admin/", "/admin/staff/", "/admin/clients/", "/admin/staff/new/", "/two-step", "/admin/no-such-page/"):
        pages[url] = client.get(url, headers=headers)
    assert {url: html_tag(response) for url, response in pages.items()} == {url: f'<html lang="{lang}">' for url in pages}


def test_flask_admin_speaks_french_with_our_selector(app, client, login):
    set_language(app, "admin@demo.org", "fr_CA")
    login("admin@demo.org")
    listing = text(client.get("/admin/staff/"))
    assert ">Liste (" in listing and ">Créer</a>" in listing and "Ajouter un filtre" in listing
    assert "Langue de l'interface" in text(client.get("/admin/staff/new/"))


def test_the_french_delete_confirmation_is_allowed_by_the_csp(app, client, login):
    """Flask-Admin's inline confirmation embeds its translated question: its hash must be listed."""
    set_language(app, "admin@demo.org", "fr_CA")
    login("admin@demo.org")
    response = client.get("/admin/sessions/")
    handler = html.unescape(re.search(r'onclick="(return faHelpers\.safeConfirm[^"]*)"', text(response)).group(1))
    assert "supprimer" in handler and script_hash(handler) in response.headers["Content-Security-Policy"]


def test_the_admin_sets_a_staff_members_interface_language(app, client, login):
    worker = demo_staff(app, "worker@demo.org")
    login("admin@demo.org")
    form = text(client.get(f"/admin/staff/edit/?id={worker.id}"))
    assert "The browser's language" in form and "Français (Canada)" in form
    data = {
        "email": worker.email,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "role": worker.role,
        "is_active": "y",
        "interface_language": "fr_CA",
    }
    assert client.post(f"/admin/staff/edit/?id={worker.id}", data=data).status_code == 302
    assert demo_staff(app, "worker@demo.org").interface_language == "fr_CA"
    assert client.post(f"/admin/staff/edit/?id={worker.id}", data={**data, "interface_language": "__None"}).status_code == 302
    assert demo_staff(app, "worker@demo.org").interface_language is None


def test_an_unknown_interface_language_is_refused(app, client, login):
    worker = demo_staff(app, "worker@demo.org")
    login("admin@demo.org")
    data = {"email": worker.email, "first_name": "Wei", "last_name": "Zhang", "role": "worker", "interface_language": "xx"}
    assert client.post(f"/admin/staff/edit/?id={worker.id}", data=data).status_code == 200
    assert demo_staff(app, "worker@demo.org").interface_language is None


def test_outside_a_request_the_default_locale(app):
    """CLI commands and jobs: no request, no browser, no signed-in staff member."""
    with app.app_context():
        assert i18n.select_locale() is None and i18n.html_lang() == "en"


def test_the_french_catalogue_compiles_without_errors():
    with FRENCH.open("rb") as source:
        catalog = read_po(source)
    problems = {message.id: errors for message, errors in catalog.check()}
    write_mo(io.BytesIO(), catalog)
    assert problems == {} and not catalog.fuzzy  # a fuzzy header would leave the whole catalogue out


def test_the_worked_example_is_fully_translated():
    """Every string of the base layouts and the sign-in page has a French translation that is
    neither empty nor fuzzy."""
    with FRENCH.open("rb") as source:
        catalog = read_po(source)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    root = TRANSLATIONS.parent
    wanted = {found[1] for path, method in FULLY_TRANSLATED.items() for found in extract_from_file(method, root / path, keywords)}
    assert {"Sign in", "Sign out", "Email", "Two-step sign-in"} <= wanted  # the extraction works
    wanted.add("Please sign in to see that page.")  # app.py: Flask-Login's message on the sign-in page
    untranslated = sorted(msgid for msgid in wanted if msgid not in catalog or not catalog[msgid].string or catalog[msgid].fuzzy)
    assert untranslated == []


def test_no_message_is_translated_twice():
    """Blocks of French added side by side must not repeat an entry (msgfmt refuses duplicates,
    and the second one would silently lose)."""
    ids = re.findall(r'^msgid "(.+)"$', FRENCH.read_text(encoding="utf-8"), re.M)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
