"""The French sweep: a coordinator and an agency admin whose interface language is Canadian
French open every page the access sweep knows (tests/test_access_sweep.py: grids, details,
edit and new forms, custom pages, every tab of the client dashboard, the reports' criteria and
results, the iCARE check, the settings) and meet no English word of the interface.

What is checked is the visible text: the text nodes outside ``<script>``/``<style>`` and the
``title``, ``placeholder``, ``aria-label`` and ``alt`` attributes and a button's ``value``. A
finding is a text that is an English message of the catalogue whose French differs (a string
shown untranslated), or a text holding an English-only word ("the", "and", "Save", "Cancel"...).
Text that is data is not interface: the database's stored values (the demo's names, notes,
activities, sites, addresses, the sweep fixture's markers) are taken out of a text before it is
judged, so the exclusion comes from the rows themselves, not from a list of page texts."""

import json
import os
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import String, Text, select, update

from extensions import db
from models import ALL_AGENCIES, ReferenceValue, Staff, tenant_scope
from models.reference import french_labels, value_label
from tests.access_fixtures import ROLES, build
from tests.conftest import sign_in
from tests.test_access_sweep import SEARCHES, Sweep, admin_views, sweep_rule, sweepable_rules
from tests.test_i18n import FRENCH

# The interface's language does not depend on the database: swept on the SQLite run only (about
# 1,100 pages; the PostgreSQL run keeps the French page tests of tests/test_french_pages.py).
pytestmark = [
    pytest.mark.usefixtures("demo"),
    pytest.mark.skipif(os.environ.get("TEST_DATABASE") == "postgresql", reason="language, not database: SQLite run only"),
]

FRENCH_ROLES = ("coordinator", "admin")
# English-only words: none of them is a French word (checked as whole words).
ENGLISH_WORDS = re.compile(r"\b(?:the|and|with|your|of the)\b", re.IGNORECASE)
ENGLISH_WORDS_CASED = re.compile(r"\b(?:Yes|No|Save|Cancel|Search|Next|Previous|Export)\b")
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# Tables whose text is not a record of the agency (the reference lists are labelled per
# language: docs/TRANSLATION.md, "Value lists"; their French labels are data, and their stored
# values are on the page that lists them, REFERENCE_GRID).
NOT_DATA = {"alembic_version", "reference_values"}
REFERENCE_GRID = "/admin/reference/"
# Findings in areas other work owns, shown as "known elsewhere" and not failing the sweep:
# (endpoint, text). Remove an entry once its area shows French.
KNOWN_ELSEWHERE = set()
# Files, not pages: exports, PDFs, downloads (their French: tests/test_french_pages.py, tests of exports).
NOT_PAGES = re.compile(r"(/export/|\.(pdf|zip|xlsx|csv|docx)$|/download/?$)")


class VisibleText(HTMLParser):
    """The text a person reads: text nodes outside script/style, and the described attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attributes = dict(attrs)
        self.texts += [value for name, value in attrs if name in ATTRIBUTES and value]
        if tag == "input" and attributes.get("type") in BUTTON_INPUTS and attributes.get("value"):
            self.texts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data)


def visible_texts(html):
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(t.split()) for t in parser.texts]


def untranslated_messages():
    """English msgids of our catalogue whose French differs, without placeholders."""
    with FRENCH.open("rb") as po:
        catalogue = read_po(po, locale="fr_CA")
    found = set()
    for message in catalogue:
        if not message.id or message.pluralizable or "%" in message.id:
            continue
        if message.string and message.string != message.id and re.search(r"[A-Za-z]{2}", message.id):
            found.add(" ".join(message.id.split()))
    return found


def stored_values(app):
    """Every string stored in the database's rows (except NOT_DATA): the agency's data."""
    values = set(SEARCHES.values())
    with app.app_context(), tenant_scope(ALL_AGENCIES), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            if table.name in NOT_DATA or not columns:
                continue
            for row in connection.execute(select(*columns)):
                values.update(" ".join(v.split()) for v in row if isinstance(v, str) and v.strip())
            values.update(json_strings(connection, table))
    return by_length(values)


def by_length(values):
    return sorted((v for v in values if len(v) > 1), key=len, reverse=True)


def reference_values(app):
    """``(French labels, stored values)`` of the reference lists."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = db.session.execute(select(ReferenceValue.list_name, ReferenceValue.value, ReferenceValue.code)).all()
        labels = {str(value_label(name, value, "fr_CA")) for name, value, _code in rows}
    labels |= set(french_labels().values())
    return labels, {text for row in rows for text in row if text}


def json_strings(connection, table):
    """Strings inside JSON columns (a session's languages, a form's answers)."""
    columns = [c for c in table.columns if c.type.__class__.__name__ == "JSON"]
    found = set()
    for row in connection.execute(select(*columns)) if columns else []:
        for value in row:
            stack = [value]
            while stack:
                item = stack.pop()
                if isinstance(item, dict):
                    stack += list(item.values())
                elif isinstance(item, list):
                    stack += item
                elif isinstance(item, str) and item.strip():
                    found.add(" ".join(item.split()))
    return found


def is_json(text):
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


class Judge:
    def __init__(self, app):
        self.messages = untranslated_messages()
        labels, stored = reference_values(app)
        self.data = by_length({*stored_values(app), *labels})
        self.reference = by_length({*self.data, *stored})

    def is_english(self, text):
        if text[:1] in "{[" and is_json(text):  # data for a script (Flask-Admin's filters), not shown
            return False
        return text in self.messages or bool(ENGLISH_WORDS.search(text) or ENGLISH_WORDS_CASED.search(text))

    def finding(self, text, url=""):
        """The English part of a text, or ``None``: data values are taken out first."""
        if not self.is_english(text):
            return None
        rest, data = text, self.reference if url.startswith(REFERENCE_GRID) else self.data
        for value in (v for v in data if v in rest):
            rest = rest.replace(value, " ")
        rest = " ".join(rest.split())
        return text if rest and self.is_english(rest) else None


def speak_french(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        emails = [ROLES[role] for role in FRENCH_ROLES]
        db.session.execute(update(Staff).where(Staff.email.in_(emails)).values(interface_language="fr_CA"))
        db.session.commit()


def pages(app, client, fixture, role):
    """The GET URLs the access sweep requests as this role, of records the role sees, once each."""
    sweep, views = Sweep(app, client, fixture, role), admin_views(app)
    for rule in sweepable_rules(app):
        sweep_rule(sweep, rule, views, app)
    seen = {}
    for method, url, endpoint, target, _data, _direct in sweep.planned:
        if method == "GET" and not sweep.hidden(target) and "family_of=" not in url:  # the same pages again
            seen.setdefault(url, endpoint)
    return seen


@pytest.fixture
def fixture(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return build(app, tmp_path)


@pytest.mark.parametrize("role", FRENCH_ROLES)
def test_a_french_speaking_day_meets_no_english(app, client, fixture, role):
    speak_french(app)
    judge = Judge(app)
    assert sign_in(client, ROLES[role]).status_code == 302
    findings, known, opened = {}, set(), 0
    for url, endpoint in sorted(pages(app, client, fixture, role).items()):
        if NOT_PAGES.search(urlsplit(url).path):
            continue
        try:
            response = client.get(url, follow_redirects=True)
        except Exception as error:  # an HTTP 500 in French: reported, the sweep goes on
            findings.setdefault(url, set()).add(f"ERROR {type(error).__name__}: {str(error)[:150]}")
            continue
        response.close()
        if response.mimetype != "text/html":
            continue
        opened += 1
        for found in {judge.finding(t, url) for t in visible_texts(response.get_data(as_text=True))} - {None}:
            if (endpoint, found) in KNOWN_ELSEWHERE:
                known.add((endpoint, found))
            else:
                findings.setdefault(url, set()).add(found)
    for url, found in sorted(findings.items()):
        print(f"{role} {url}: {sorted(found)}")
    distinct = sorted({text for found in findings.values() for text in found})
    summary = f"french sweep ({role}): {opened} pages, {len(findings)} with English, {len(distinct)} distinct texts"
    print(f"\n{summary}, {len(known)} known elsewhere")
    for text in distinct:
        print(f"  {text!r}")
    assert opened > 200
    assert not findings, f"{len(distinct)} English texts on {len(findings)} pages: {distinct[:60]}"


def test_the_judge_finds_english_and_leaves_data_alone(app):
    judge = Judge(app)
    assert judge.finding("Save") and judge.finding("Export") and judge.finding("Search the clients")
    assert judge.finding("Cancel") and judge.finding("Next")
    assert not judge.finding("Enregistrer") and not judge.finding("Rechercher les clients")
    name = next(v for v in judge.data if ENGLISH_WORDS.search(v))  # a stored value with "the"/"and"...
    assert not judge.finding(name)
    texts = visible_texts('<p title="Close the panel">Bonjour<script>var the = 1;</script></p><input type="submit" value="Save">')
    assert texts == ["Close the panel", "Bonjour", "Save"]


def new_forms(app):
    """The grids with a "new" form (Flask-Admin's create page; who may open it: the page says)."""
    return [view for view in admin_views(app).values() if getattr(view, "model", None) is not None]


@pytest.mark.parametrize("role", FRENCH_ROLES)
def test_a_form_sent_empty_answers_in_french(app, client, role):
    """What a French-speaking person meets after a mistake: every grid's new form sent empty is
    shown again with its messages, in French (a form with nothing required saves, and is not counted)."""
    speak_french(app)
    judge = Judge(app)
    assert sign_in(client, ROLES[role]).status_code == 302
    findings, shown, messages = {}, 0, set()
    for view in new_forms(app):
        url = f"{view.url}/new/"
        if client.get(url).status_code != 200:
            continue
        response = client.post(url, data={}, follow_redirects=True)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        said = re.findall(r'class="invalid-feedback">\s*<ul[^>]*>\s*<li>([^<]+)</li>', page)
        if not said:  # a form with nothing required: nothing to say
            continue
        shown += 1
        messages.update(said)
        for found in {judge.finding(t, url) for t in visible_texts(response.get_data(as_text=True))} - {None}:
            findings.setdefault(url, set()).add(found)
    print(f"\nfrench sweep of empty forms ({role}): {shown} forms, their messages {sorted(messages)}")
    assert shown > 5 and "Ce champ est requis." in messages and not findings, findings
