"""Interface language: the staff member's setting, else the browser's, else English; ``<html
lang>`` on every page; Flask-Admin in the same language; the French catalogue is sound."""

import html
import io
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel.speaklater import LazyString
from sqlalchemy import update

import i18n
from admin_views.base import ProjectModelView
from app import script_hash
from extensions import db
from models import ALL_AGENCIES, Staff, tenant_scope
from tests import i18n_scan
from tests.conftest import TRANSLATIONS, demo_staff, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")

FRENCH = TRANSLATIONS / "fr_CA" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2), "lazy_pgettext": ((1, "c"), 2)}
# Written whole in each language (the emails: KIND.en.html and KIND.fr_CA.html), not through the catalogue.
SEPARATE_LANGUAGE_FILES = {"templates/notifications/*"}
# The demo agency's seed records (names, notes, answers): data typed by an agency, not interface.
SEED_DATA = {"demo/*"}
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
    assert "<title>Se connecter · OCMS-Flask</title>" in page
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
    assert '<html lang="en">' in page and "<title>Sign in · OCMS-Flask</title>" in page and ">Email</label>" in page
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


def french_catalogue():
    with FRENCH.open("rb") as source:
        return read_po(source)


def translated(catalog, msgid, context):
    key = msgid[0] if isinstance(msgid, tuple) else msgid
    message = catalog.get(key, context=context)
    strings = message.string if message and isinstance(message.string, tuple) else (message and message.string,)
    return message is not None and not message.fuzzy and all(strings)


def test_every_marked_message_has_french():
    """(a) Every msgid ``pybabel extract`` finds in any file babel.cfg covers (``_``, ``gettext``,
    ``lazy_gettext``, ``ngettext``, ``pgettext``...) has a French translation, neither empty nor
    fuzzy (both forms of a plural)."""
    catalog, wanted = french_catalogue(), set()
    for path, method in i18n_scan.covered_files().items():
        for _line, msgid, _comments, context in extract_from_file(method, i18n_scan.ROOT / path, KEYWORDS):
            wanted.add((msgid, context))
    assert {("Sign in", None), ("Sign out", None), ("Email", None)} <= wanted  # the extraction works
    wanted.add(("Please sign in to see that page.", None))  # app.py: Flask-Login's message on the sign-in page
    assert sorted(str(msgid) for msgid, context in wanted if not translated(catalog, msgid, context)) == []


def files_to_check(method):
    return sorted(
        path
        for path, found in i18n_scan.covered_files().items()
        if found == method and not i18n_scan.matches(path, SEPARATE_LANGUAGE_FILES)
    )


def test_no_template_text_is_left_unmarked():
    """(b) The text of every template (and its titles, placeholders, labels for screen readers,
    submit inputs' values) is marked translatable: ``{{ _('...') }}`` or ``{% trans %}``."""
    found = {}
    for path in files_to_check("jinja2"):
        if left := i18n_scan.untranslated_in_template((i18n_scan.ROOT / path).read_text(encoding="utf-8")):
            found[path] = left
    assert found == {}


def test_no_python_message_is_left_unmarked():
    """(c) Literal strings that reach a page are marked: ``flash``, ``ValidationError``,
    ``abort(description=)``, WTForms labels and help, ``column_labels``/``column_descriptions``,
    menu names and categories, filter names, and the domain's ``InvalidEntry``... messages."""
    found = {}
    for path in files_to_check("python"):
        if i18n_scan.matches(path, SEED_DATA):
            continue
        if left := i18n_scan.untranslated_in_python((i18n_scan.ROOT / path).read_text(encoding="utf-8"), path):
            found[path] = left
    assert found == {}


def test_the_scanner_finds_unmarked_text():
    """The checks above catch what they are meant to catch (and let marked text through)."""
    page = '<h1 title="Help">Clients</h1>{{ _("Sessions") }}<button value="go">{% trans %}Save{% endtrans %}</button>'
    page += '<input type="submit" value="Go">'
    assert i18n_scan.untranslated_in_template(page) == ["Clients", "Go", "Help"]  # a <button>'s value is not shown
    assert i18n_scan.untranslated_in_template('<a class="btn">{{ _("OK") }}</a> <!-- Note --> 12 &mdash; OCMS-Flask') == []
    code = 'flash("Saved.")\nflash(_("Saved."))\nraise InvalidEntry("name", "Too long")\nStringField("Name")\n'
    code += 'column_labels = {"a": "A label", "b": lazy_gettext("B")}\nadd_view(StaffView(name="Staff", category=AGENCY))'
    assert [text for _line, text in i18n_scan.untranslated_in_python(code, "models/x.py")] == [
        "'Saved.'",
        "'Too long'",
        "'Name'",
        "'A label'",
        "'Staff'",
    ]


def test_every_english_message_file_has_a_french_one():
    """Emails are written once per language (templates/notifications/KIND.LANGUAGE.html): each
    English file has its French twin."""
    english = sorted((i18n_scan.ROOT / "templates/notifications").glob("*.en.*"))
    assert english and [p.name for p in english if not p.with_name(p.name.replace(".en.", ".fr_CA.")).exists()] == []


def test_no_message_is_translated_twice():
    """Blocks of French added side by side must not repeat an entry (msgfmt refuses duplicates,
    and the second one would silently lose)."""
    found = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"$', FRENCH.read_text(encoding="utf-8"), re.M)
    ids = [(context, message) for context, message in found]  # a message in another context is another message
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def unbound_label(field):
    return field.kwargs.get("label", field.args[0] if field.args else None)


def grid_labels(view):
    """``(where, column, label)`` of every label a grid shows: list and details columns, filters,
    and the create and edit forms' fields."""
    yield from (("list", name, label) for name, label in view.get_list_columns())
    yield from (("details", name, label) for name, label in view.get_details_columns())
    yield from (("filter", str(flt.column), flt.name) for flt in view._filters or ())
    for where, form in (("create", view._create_form_class), ("edit", view._edit_form_class)):
        for name, field in form._unbound_fields or ():
            if field.field_class.__name__ not in ("HiddenField", "CSRFTokenField"):
                yield where, name, unbound_label(field)


def test_every_grid_label_is_translated(app):
    """Flask-Admin makes a label from the column's name ("Postal Code") when a view gives none:
    every column, filter and form field of every grid has a translated label instead."""
    admin = app.extensions["admin"][0]
    found = [
        (view.endpoint, where, name, str(label))
        for view in admin._views
        if isinstance(view, ProjectModelView)
        for where, name, label in grid_labels(view)
        if not isinstance(label, LazyString)
    ]
    assert sorted(set(found)) == []


def test_flask_admins_own_french_is_ours_where_it_reads_badly(app, client, login):
    """Flask-Admin's "Afficher L'enregistrement" and "au moins un modèle" read as our French."""
    set_language(app, "admin@demo.org", "fr_CA")
    login("admin@demo.org")
    grid = html.unescape(text(client.get("/admin/sessions/")))
    assert "Modifier l'élément" in grid and "Afficher L'enregistrement" not in grid and "Modifier enregistrement" not in grid
    assert "modèle" not in grid
