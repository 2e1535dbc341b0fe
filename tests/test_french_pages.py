"""The staff pages in Canadian French: a worker whose interface language is French meets French
text on the home page, find-a-client, the client dashboard, registration and the session pages,
in their messages too; client-facing documents and the break-glass mail follow the reader's
language. (tests/test_i18n.py checks that every string is marked and translated; this file
checks that the pages really show the French.)"""

import io
import re
from datetime import date
from pathlib import Path

import flask_admin.translations
import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, get_translations
from pypdf import PdfReader
from sqlalchemy import select, update

from custom_pages.client_audit import field_label
from demo.access_rules import seed_access_examples
from extensions import db
from models import ALL_AGENCIES, CaseNote, Client, Staff, tenant_scope
from models.break_glass import RECORD_TYPES
from tests.conftest import csrf_token_from, demo_agency, demo_staff, text
from tests.icare_helpers import forms_of, icare_month, update_form
from tests.sessions_helpers import add_client, form_id, new_session
from tests.test_i18n import FRENCH

pytestmark = pytest.mark.usefixtures("demo")


def speak(app, email, language):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Staff).where(Staff.email == email).values(interface_language=language))
        db.session.commit()


@pytest.fixture
def french_worker(app, client, login):
    speak(app, "worker@demo.org", "fr_CA")
    return login("worker@demo.org")


@pytest.fixture
def person(app, make):
    return make.client(demo_agency(app, "DEMO"), first_name="Hawa", last_name="Abdullahi", date_of_birth=date(1990, 4, 2))


def test_the_home_page_and_find_a_client_in_french(french_worker, person):
    home = text(french_worker.get("/admin/"))
    assert "Mes séances incomplètes" in home and "Vos paramètres de travail" in home and "Liens rapides" in home
    assert "Your work settings" not in home and "Quick links" not in home
    found = text(french_worker.get("/admin/find-client/?q=Hawa+Abdullahi"))
    assert "1 client trouvé." in found and "Date de naissance" in found and "Rechercher</button>" in found
    none = text(french_worker.get("/admin/find-client/?q=Zzyzx"))
    assert "Aucun client ne correspond à « Zzyzx »." in none and "No client matches" not in none


def test_the_home_cards_counts_are_inside_their_messages(app, french_worker, monkeypatch):
    """Each card's count is a placeholder of its one message, so a translation may put it
    anywhere: with translations that put it first, the page shows them so."""
    with app.test_request_context(), force_locale("fr_CA"):
        catalogue = get_translations()._catalog
    reordered = {
        "My Incomplete Sessions (%(count)s)": "%(count)s séances incomplètes à moi",
        "My tasks due (%(count)s)": "%(count)s tâches à faire à moi",
        "Tasks I gave others (%(count)s)": "%(count)s tâches confiées par moi",
    }
    for msgid, msgstr in reordered.items():
        monkeypatch.setitem(catalogue, msgid, msgstr)
    home = text(french_worker.get("/admin/"))
    headers = re.findall(r'<div class="card-header[^"]*">\s*([^<]*?)\s*(?:<|$)', home)
    for msgstr in reordered.values():
        assert any(re.fullmatch(msgstr.replace("%(count)s", r"\d+\+?"), header) for header in headers), (msgstr, headers)


@pytest.mark.parametrize(
    "tab, french, english",
    [
        ("overview", "Modifier le profil", "Edit profile"),
        ("notes", "Nouvelle note de dossier", "New case note"),
        ("files", "Aucun fichier pour l'instant", "No files yet."),
        ("family", "Ajouter un membre de la famille", "Add family member"),
        ("privacy", "Historique des consentements", "Consent history"),
        ("audit", "Qui a ouvert ou modifié le dossier de ce client", "Who opened this client's record"),
    ],
)
def test_the_client_dashboard_tabs_in_french(french_worker, person, tab, french, english):
    page = text(french_worker.get(f"/admin/clients/{person.id}/?tab={tab}"))
    assert french in page and english not in page
    assert "Confidentialité et consentement</a>" in page and "Ajouter une alerte de sécurité" in page  # tabs, actions


def test_dashboard_messages_in_french(app, french_worker, person):
    added = text(french_worker.post(f"/admin/clients/{person.id}/notes/", data={"body": "Premier appel."}, follow_redirects=True))
    assert "Note ajoutée." in added
    refused = text(french_worker.post(f"/admin/clients/{person.id}/flag/", data={"reason": ""}, follow_redirects=True))
    assert "Dites pourquoi ce client demande des précautions." in refused
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(CaseNote.body).where(CaseNote.client_id == person.id)) == "Premier appel."


def test_registration_and_the_session_pages_in_french(french_worker, person):
    statement = text(french_worker.get("/admin/register/"))
    assert "Le client accepte : continuer vers le profil" in statement and "The client declines" not in statement
    wizard = text(french_worker.get(f"/admin/sessions/new/?client_id={person.id}"))
    assert "Commencer une séance avec Hawa Abdullahi" in wizard and "Date du service" in wizard and "Financé par" in wizard
    assert '<option selected value="French">' in wizard and '<option selected value="English">' not in wizard  # in French
    refused = text(french_worker.post("/admin/sessions/new/", data={"session_type": "direct", "service_date": ""}))
    assert "Entrez la date du service." in refused and "Enter the service date." not in refused


def test_the_receipt_follows_the_clients_language(app, worker, make):
    agency = demo_agency(app, "DEMO")
    french = make.client(agency, first_name="Aline", official_language="French")
    english = make.client(agency, first_name="Ann", official_language="English")

    def receipt(client_id, query=""):
        response = worker.get(f"/admin/clients/{client_id}/receipt.pdf{query}")
        return PdfReader(io.BytesIO(response.data)).pages[0].extract_text()

    assert "Reçu d'inscription" in receipt(french.id) and "Registration receipt" in receipt(english.id)
    assert "Registration receipt" in receipt(french.id, "?lang=en") and "Reçu d'inscription" in receipt(english.id, "?lang=fr")


def test_the_break_glass_mail_names_the_record_in_each_readers_language(app, client, login, smtp, upload_folder):
    """The owner reads French, the owner's coordinator English: each mail names the kind of record
    in its reader's language."""
    speak(app, "worker@demo.org", "fr_CA")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        seed_access_examples("DEMO")
        samira = db.session.scalar(select(Client).where(Client.first_name == "Samira"))
        note_id = db.session.scalar(select(CaseNote.id).where(CaseNote.client_id == samira.id, CaseNote.is_private))
    login("worker2@demo.org")
    opened = client.post(f"/admin/break-glass/case_note/{note_id}/", data={"reason": "Client in crisis at the front desk."})
    assert opened.status_code == 302
    (french,) = smtp.inbox.to("worker@demo.org")
    (english,) = smtp.inbox.to("coordinator@demo.org")
    with app.test_request_context(headers={"Accept-Language": "fr-CA"}):
        label = str(RECORD_TYPES["case_note"])
    assert label != "case note" and french["Subject"] == f"Bris de glace : votre dossier ({label}) a été ouvert"
    assert f"un dossier restreint ({label}, Samira Nouri)" in french.get_body(("plain",)).get_content()
    assert english["Subject"] == "Break-glass: your case note was opened"
    assert "Priya Raman opened a restricted case note (Samira Nouri)" in english.get_body(("plain",)).get_content()


def test_a_service_form_and_its_session_in_french(app, french_worker, person):
    """The iCARE fields' labels, the section titles, the missing fields and the session's summary
    values read in French; the stored choices stay English (a choice without a French label
    reads as stored)."""
    session_id = new_session(app, french_worker, demo_staff(app, "worker@demo.org").id, client_id=str(person.id))
    io = form_id(app, session_id, "io")
    page = text(french_worker.get(f"/admin/sessions/{session_id}/forms/{io}/"))
    assert "Code postal où le service a été reçu" in page and "Aiguillé par" in page and "Groupes cibles" in page
    assert "Services de soutien reçus</legend>" in page and "Reçu : Traduction" in page
    assert "Postal Code where the service was received" not in page and "Referred By" not in page
    assert "Target groups" not in page and "Received: Translation" not in page
    missing = page.split('data-testid="missing">', 1)[1].split("</div>", 1)[0]
    assert "Incomplet" in missing and "Langue officielle de préférence" in missing and "Official Language" not in missing
    assert '<option value="English">Anglais</option>' in page  # an iCARE choice: stored English, its French label
    session = text(french_worker.get(f"/admin/sessions/edit/?id={session_id}"))
    assert "En personne" in session and "Anglais" in session and "Information et orientation : incomplet" in session
    assert "In Person" not in session.split("<h5", 1)[0]


def test_the_attendee_settings_in_french(app, french_worker, activity, person):
    me = demo_staff(app, "worker@demo.org")
    session_id = new_session(app, french_worker, me.id, session_type="cc_group", group_activity_id=str(activity))
    add_client(french_worker, session_id, person.id)
    page = text(french_worker.get(f"/admin/sessions/{session_id}/attendees/"))
    assert "Activité de groupe Connexions communautaires" in page and "Le client était présent</th>" in page
    assert "Code postal où le service a été reçu" in page and "Postal Code where the service was received" not in page
    assert "État du service" in page and "Status of service" not in page and "Referred By" not in page
    assert '<option value="Complete">' in page  # the stored value, labelled when a French label exists


def test_the_icare_checks_problems_in_french(app, client, login, make):
    """The check page names the column by its French label; the iCARE file itself keeps iCARE's
    English (tests/test_icare*.py)."""
    month = icare_month(app, make)
    (io,) = forms_of(app, month.agency.id, "io")
    update_form(app, io, postal_cd="12345")
    speak(app, month.worker.email, "fr_CA")
    body = text(login(month.worker.email).get("/admin/icare/", query_string={"month": month.month}))
    assert "Code postal où le service a été reçu : n&#39;est pas un code postal (A1A 1A1)" in body
    assert "not a postal code" not in body


def test_flask_admins_own_grid_strings_in_french(app, client, login):
    """Flask-Admin's strings on a grid (its catalogue, completed by ours: i18n.py) and its flashes."""
    speak(app, "admin@demo.org", "fr_CA")
    login("admin@demo.org")
    grid = text(client.get("/admin/clients/"))
    assert ">Exporter</a>" in grid and ">Exporter en CSV</a>" in grid and ">Exporter en XLSX</a>" in grid
    assert ">50 éléments</a>" in grid and "Ajouter un filtre" in grid and "Rechercher</button>" in grid
    assert "Export CSV" not in grid and " items" not in grid and "Editer" not in grid
    assert '<meta name="select2-no-matches" content="Aucun résultat">' in grid  # its drop-downs (select2_messages.js)
    assert "Afficher ou masquer les menus" in grid and "Toggle navigation" not in grid
    form = text(client.get("/admin/funders/new/"))
    refused = text(client.post("/admin/funders/new/", data={"csrf_token": csrf_token_from(form)}))
    assert "Impossible de créer l&#39;enregistrement." in refused and "Failed to create record." not in refused


def test_ours_holds_every_plural_message_of_flask_admins_french():
    """Flask-Admin's messages are looked up with our catalogue's plural rule (three forms in
    French, two in Flask-Admin's): a plural message only Flask-Admin has would show in English."""
    admin_po = Path(flask_admin.translations.__path__[0]) / "fr" / "LC_MESSAGES" / "admin.po"
    with admin_po.open("rb") as theirs, FRENCH.open("rb") as ours:
        plural = {message.id for message in read_po(theirs) if message.pluralizable}
        french = read_po(ours, locale="fr_CA")
    assert plural and all(message in french and all(french[message].string) for message in plural)


def test_dates_and_times_on_pages_follow_the_language(french_worker, person):
    """Times shown to a person go through ``local_date`` (14 h 05 in French), days through
    ``local_day`` (2026-12-01 in both languages)."""
    french_worker.post(f"/admin/clients/{person.id}/notes/", data={"body": "Premier appel."})
    notes = text(french_worker.get(f"/admin/clients/{person.id}/?tab=notes"))
    assert re.search(r"Wei Zhang · \d{4}-\d\d-\d\d \d\d h \d\d", notes)
    overview = text(french_worker.get(f"/admin/clients/{person.id}/?tab=overview"))
    assert re.search(r", \d{4}-\d\d-\d\d \d\d h \d\d</dd>", overview) and not re.search(r"\d\d:\d\d</dd>", overview)


def test_the_sign_in_page_keeps_the_language_of_who_signed_out(app, client, french_worker):
    client.post("/logout")
    page = text(client.get("/login", headers={"Accept-Language": "en"}))
    assert 'lang="fr-CA"' in page and "Votre session est fermée." in page and "Mot de passe" in page
    assert 'value="en"' in page  # the switch offers English, named in English
    client.post("/login/language", data={"language": "en", "next": "/admin/clients/"})
    assert 'lang="en"' in text(client.get("/login", headers={"Accept-Language": "fr"}))


def test_the_sign_in_pages_language_switch(client):
    response = client.post("/login/language", data={"language": "fr_CA", "next": "//evil.example"})
    assert response.location == "/login"
    assert 'lang="fr-CA"' in text(client.get("/login", headers={"Accept-Language": "en"}))
    client.post("/login/language", data={"language": "de"})  # not ours: nothing changes
    assert 'lang="fr-CA"' in text(client.get("/login"))


def test_the_client_grid_and_dashboard_label_values_in_french(app, french_worker, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Lina", last_name="Haddad", immigration_status="Refugee Claimant")
    grid = text(french_worker.get("/admin/clients/"))
    assert "Demandeur d’asile" in grid and "Refugee Claimant" not in grid
    overview = text(french_worker.get(f"/admin/clients/{person.id}/"))
    assert "Arrivée au Canada" in overview and "Inconnu" in overview and ">Unknown<" not in overview


def test_the_audit_tab_names_tabs_and_fields_in_french(app, french_worker, person):
    french_worker.get(f"/admin/clients/{person.id}/?tab=notes")
    page = text(french_worker.get(f"/admin/clients/{person.id}/?tab=audit"))
    assert "tableau de bord\u00a0: Notes de dossier" in page and "dashboard: Case notes" not in page
    with app.test_request_context(headers={"Accept-Language": "fr-CA"}):
        labels = [field_label(name) for name in ("next_follow_up_date", "next_review_date", "shared_date", "is_done")]
        assert labels == ["Prochain suivi", "Prochain examen", "Communiqué au client le", "Terminée"]
        assert field_label("referring_staff_id") == "Aiguillé par"


def test_searchable_selects_title_their_remove_button_in_french(french_worker):
    home = text(french_worker.get("/admin/"))  # read by static/js/searchable_select.js
    assert '<meta name="searchable-select-remove" content="Retirer ce choix">' in home


def test_street_types_sharing_a_french_name_name_their_value(french_worker):
    """Drive, Parkway and Promenade all read "Promenade": each says which it is."""
    french_worker.post("/admin/register/consent/", data={"decision": "accept"})
    page = text(french_worker.get("/admin/register/named/"))
    assert ">Promenade (Drive)</option>" in page and ">Promenade (Parkway)</option>" in page
    street_types = page.split('name="street_type"')[1].split("</select>")[0]
    shown = re.findall(r'<option[^>]*value="[^"]+"[^>]*>([^<]+)</option>', street_types)
    assert shown and len(shown) == len(set(shown))
