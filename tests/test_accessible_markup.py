"""Issue 17 (WCAG 2.1 AA): what the markup must say, in English and in French: file sizes, page
titles, the grids' search field, details pages' Yes/No, how to choose several in a multiple
select, named blank options and labels that may wrap. The layout itself (widths, underlined
links): tests/browser/test_layout.py."""

import re
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale
from sqlalchemy import select

import i18n
from demo import DEMO_PASSWORD
from extensions import db
from models import ALL_AGENCIES, Client, ClientFile, Staff, tenant_scope
from tests.conftest import demo_agency, demo_staff, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")
FRENCH = {"Accept-Language": "fr-CA"}


def title_of(page):
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def demo_client(app, kind="named"):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, "DEMO")
        return db.session.scalar(select(Client).where(Client.agency_id == agency.id, Client.kind == kind).order_by(Client.id))


def add_file(app, client, name, size):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org"))
        row = ClientFile(
            agency_id=client.agency_id, client_id=client.id, original_name=name, stored_name=f"stored-{name}",
            content_type="application/pdf", size=size, uploaded_by_id=staff.id,
        )  # fmt: skip
        db.session.add(row)
        db.session.commit()


@pytest.mark.parametrize(
    ("size", "english", "french"),
    [(1, "1 byte", "1 octet"), (312, "312 bytes", "312 octets"), (48_000, "46.9 KB", "46,9 Ko")]
    + [(2_400_000, "2.3 MB", "2,3 Mo"), (1024, "1 KB", "1 Ko")],
)
def test_a_file_size_is_written_in_bytes_kb_or_mb_as_the_language_writes_numbers(app, size, english, french):
    with app.test_request_context():
        with force_locale("en"):
            assert i18n.file_size(size) == english
        with force_locale("fr_CA"):
            assert i18n.file_size(size) == french


def test_the_files_tab_shows_a_small_file_in_bytes_not_zero_kb(app, client, login):
    named = demo_client(app)
    add_file(app, named, "note.txt", 312)
    add_file(app, named, "letter.docx", 48_000)
    login("worker@demo.org")
    page = text(client.get(f"/admin/clients/{named.id}/?tab=files"))
    assert "312 bytes" in page and "46.9 KB" in page and "0.0 KB" not in page and "0.3 KB" not in page
    french = text(client.get(f"/admin/clients/{named.id}/?tab=files", headers=FRENCH))
    assert "312 octets" in french and "46,9 Ko" in french


def test_client_pages_are_titled_by_the_client_and_the_page(app, client, login):
    named, anonymous = demo_client(app), demo_client(app, "anonymous")
    login("worker@demo.org")
    assert title_of(text(client.get(f"/admin/clients/{named.id}/"))) == f"{named.display_name} · Overview · OCMS-Flask"
    files = title_of(text(client.get(f"/admin/clients/{named.id}/?tab=files", headers=FRENCH)))
    assert files == f"{named.display_name} · Fichiers · OCMS-Flask"
    # an anonymous client by number, as the page shows it (its name says nothing)
    number = anonymous.registration_number
    assert title_of(text(client.get(f"/admin/clients/{anonymous.id}/?tab=history"))) == f"{number} · Service history · OCMS-Flask"
    plan = title_of(text(client.get(f"/admin/clients/{named.id}/plan/")))
    assert plan == f"{named.display_name} · Settlement plan · OCMS-Flask"


def test_a_clients_other_pages_are_titled_by_the_client_too(app, client, login):
    """Editing a note or a file, writing a document, merging: the tab says whose record it is."""
    named = demo_client(app)
    add_file(app, named, "letter.pdf", 2_000)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        file_id = db.session.scalar(select(ClientFile.id).where(ClientFile.client_id == named.id).order_by(ClientFile.id.desc()))
    login("worker@demo.org")
    response = client.post(f"/admin/clients/{named.id}/notes/", data={"body": "Called about housing."})
    assert response.status_code == 302
    page = text(client.get(f"/admin/clients/{named.id}/?tab=notes"))
    note_id = re.search(rf"/admin/clients/{named.id}/notes/(\d+)/edit/", page).group(1)
    expected = {
        f"/admin/clients/{named.id}/notes/{note_id}/edit/": "Edit case note",
        f"/admin/clients/{named.id}/files/{file_id}/edit/": "Edit file details",
        f"/admin/clients/{named.id}/documents/new/?kind=resume": None,  # the kind's own label
    }
    for url, words in expected.items():
        title = title_of(text(client.get(url)))
        assert title.startswith(f"{named.display_name} · ") and title.endswith(" · OCMS-Flask"), (url, title)
        assert words is None or title == f"{named.display_name} · {words} · OCMS-Flask", (url, title)
    admin = app.test_client()  # a second browser: merging is a coordinator's or an admin's
    sign_in(admin, "admin@demo.org", DEMO_PASSWORD)
    merge = title_of(text(admin.get(f"/admin/clients/{named.id}/merge/")))
    assert merge == f"{named.display_name} · Merge with another profile · OCMS-Flask"
    french = title_of(text(client.get(f"/admin/clients/{named.id}/notes/{note_id}/edit/", headers=FRENCH)))
    assert french == f"{named.display_name} · Modifier la note de dossier · OCMS-Flask"


@pytest.mark.parametrize("url", ["/admin/", "/admin/staff/", "/admin/find-client/", "/login", "/portal/"])
def test_no_title_has_an_empty_part(client, login, url):
    if url.startswith("/admin"):
        login("admin@demo.org")
    title = title_of(text(client.get(url, follow_redirects=True)))
    parts = title.split(" · ")
    assert len(parts) >= 2 and all(part.strip() for part in parts), title
    assert " - " not in title, title


def test_the_grid_search_field_and_the_link_that_clears_it_are_named(client, login):
    login("admin@demo.org")
    page = text(client.get("/admin/staff/?search=wei"))
    (field,) = re.findall(r'<input[^>]*type="text" name="search"[^>]*>', page)
    assert 'aria-label="Search first name, last name, email, title"' in field
    clear = re.search(r'<a href="[^"]*" class="align-middle"[^>]*>', page).group(0)
    assert 'aria-label="Clear the search"' in clear
    french = text(client.get("/admin/staff/", headers=FRENCH))
    (field,) = re.findall(r'<input[^>]*type="text" name="search"[^>]*>', french)
    assert 'aria-label="Chercher' in field
    assert 'aria-label="Effacer la recherche"' in text(client.get("/admin/staff/?search=wei", headers=FRENCH))


def test_grid_yes_no_icons_are_named_and_details_pages_write_yes_or_no(app, client, login):
    login("admin@demo.org")
    grid = text(client.get("/admin/staff/", headers=FRENCH))
    assert 'role="img" aria-label="Actif\u00a0: Oui"' in grid  # French puts a no-break space before the colon
    staff_id = demo_staff(app, "worker@demo.org").id
    details = text(client.get(f"/admin/staff/details/?id={staff_id}"))
    assert re.search(r"<td>\s*Yes\s*</td>", details) and not re.search(r"<td>\s*True\s*</td>", details)
    french = text(client.get(f"/admin/staff/details/?id={staff_id}", headers=FRENCH))
    assert re.search(r"<td>\s*Oui\s*</td>", french)


def select_tag(page, field_id):
    return re.search(rf'<select[^>]*\bid="{field_id}"[^>]*>', page).group(0)


def test_a_multiple_select_says_how_to_choose_several(client, login):
    login("worker@demo.org")
    page = text(client.get("/admin/sessions/new/"))
    hints = {
        "funder_ids": "Hold Ctrl (Cmd on a Mac) to choose several.",  # a few funders: the browser's own list
        "languages": "Type to filter the list; several may be chosen.",  # a searchable list
        "staff_ids": "Type two letters of a name to find staff; several may be chosen.",  # a look-up
    }
    for field_id, hint in hints.items():
        assert f'aria-describedby="{field_id}-hint"' in select_tag(page, field_id), field_id
        assert f'<small class="form-text text-muted" id="{field_id}-hint">{hint}</small>' in page, field_id
        assert page.count(hint) == 1 if field_id != "staff_ids" else True
    assert 'id="lead_staff_id-hint"' not in page  # one choice: no hint
    french = text(client.get("/admin/sessions/new/", headers=FRENCH))
    assert "Maintenez Ctrl (Cmd sur un Mac) pour en choisir plusieurs." in french
    assert "Tapez pour filtrer la liste; vous pouvez en choisir plusieurs." in french


def test_a_multiple_select_with_an_error_is_described_by_both(client, login):
    login("worker@demo.org")
    page = text(client.post("/admin/sessions/new/", data={"session_type": "direct"}))
    assert 'aria-describedby="funder_ids-error funder_ids-hint"' in select_tag(page, "funder_ids")


def test_a_blank_option_has_a_name(client, login):
    login("worker@demo.org")
    page = text(client.get("/admin/sessions/new/"))
    blank = re.search(r'<select[^>]*id="group_activity_id"[^>]*>\s*(<option[^>]*>)', page).group(1)
    assert 'value=""' in blank and 'aria-label="Nothing chosen"' in blank
    assert not re.search(r'<option (selected )?value="">(—)?</option>', page)
    french = text(client.get("/admin/sessions/new/", headers=FRENCH))
    assert 'aria-label="Aucun choix"' in french


def test_a_long_label_may_wrap_after_its_slashes(client, login):
    login("worker@demo.org")
    client.post("/admin/register/consent/", data={"decision": "accept"})
    page = text(client.get("/admin/register/named/"))
    assert '<label for="unit">Unit/<wbr>Suite/<wbr>Apt</label>' in page
    client.post("/admin/register/consent/", data={"decision": "accept"})
    french = text(client.get("/admin/register/named/", headers=FRENCH))
    assert "Unité/<wbr>bureau/<wbr>appartement</label>" in french


class ChoiceGroups(HTMLParser):
    """The radio buttons and check boxes of a page, by name: each with the legend of the
    fieldset it is in (``None`` outside any)."""

    def __init__(self):
        super().__init__()
        self.fieldsets, self.in_legend, self.groups = [], False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self.fieldsets.append("")
        elif tag == "legend" and self.fieldsets:
            self.in_legend = True
        elif tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            legend = self.fieldsets[-1].strip() if self.fieldsets else None
            self.groups.setdefault(attrs["name"], []).append(legend)

    def handle_endtag(self, tag):
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "legend":
            self.in_legend = False

    def handle_data(self, data):
        if self.in_legend:
            self.fieldsets[-1] += data


def choice_groups(page):
    parser = ChoiceGroups()
    parser.feed(page)
    return {name: legends for name, legends in parser.groups.items() if len(legends) > 1}


@pytest.mark.parametrize("headers", [{}, FRENCH], ids=["en", "fr"])
def test_radio_buttons_and_check_boxes_are_a_fieldset_named_by_its_legend(app, client, login, headers):
    """A screen reader reads a choice's question with each of its options (WCAG 1.3.1)."""
    named = demo_client(app)
    login("worker@demo.org")
    pages = ["/admin/sessions/new/", f"/admin/clients/{named.id}/?tab=privacy", "/admin/register/anonymous/"]
    found = {}
    for url in pages:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        found.update({(url, name): legends for name, legends in choice_groups(text(response)).items()})
    assert len(found) >= 3  # at point of entry, interpreter present, the consent decision...
    for (url, name), legends in found.items():
        assert all(legends) and len(set(legends)) == 1, (url, name, legends)
