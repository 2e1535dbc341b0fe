"""Issue 17, a French-speaking user's walk through the staff pages, the registration and the
portal: what read in English or refused French ways of writing is fixed, and checked here."""

import re
from datetime import date, timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select, update

from custom_pages.client_audit import field_label
from custom_pages.client_merge import undone_message
from custom_pages.icare import final_message
from exports import imports
from extensions import db
from models import ALL_AGENCIES, Agency, AuditEvent, Client, MentorMatch, ServiceForm, ServiceSession, Task, tenant_scope
from models.audit import audited, record_event
from models.courses import Course
from models.privacy import record_consent
from portal import sessions
from tests.conftest import demo_agency, demo_staff, shown_with_its_error, sign_in, text
from tests.portal_helpers import link_in, seed_portal_clients, signed_in_portal
from tests.sessions_helpers import add_form, complete_answers, form_id, new_session
from tests.test_courses import course_row, open_course
from tests.test_french_pages import speak
from tests.test_mentors import make_mentor, match_form, save_match, signed_in
from tests.test_notifications import agency, run  # noqa: F401 (fixture)
from tests.test_portal import GOOD_PASSWORD, account_of, invite
from tests.test_referrals import HOUSING, partner_id, refer, samira
from tests.test_tasks import add_task
from validation import percent_text

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def french_worker(app, client, login):
    speak(app, "worker@demo.org", "fr_CA")
    return login("worker@demo.org")


def form_data(app, row_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return dict(db.session.get(ServiceForm, row_id).data or {})


@pytest.mark.parametrize(
    "typed, kept",
    [("85", "85"), ("85 %", "85"), ("85%", "85"), ("85,5", "85.5"), ("85.5", "85.5"), ("85,50 %", "85.5"), ("0", "0")]
    + [("100", "100"), ("007", "7")],
)
def test_a_percentage_is_read_as_french_and_english_write_it(typed, kept):
    assert percent_text(typed) == kept
    assert percent_text(typed.replace(" ", "\u00a0")) == kept  # French typography: a no-break space before %


@pytest.mark.parametrize("typed", ["abc", "120", "100,5", "-5", "85 %%", "8 5", "1e2", "½"])
def test_what_is_no_percentage_from_0_to_100_is_refused(app, typed):
    with app.test_request_context(), pytest.raises(ValueError, match="is not a percentage"):
        percent_text(typed)


def test_the_course_forms_percentages_take_the_french_decimal_comma_and_refuse_text(app, french_worker, me):
    course = new_session(app, french_worker, me.id, session_type="language_training")
    add_form(french_worker, course, "lt_course")
    row_id = form_id(app, course, "lt_course")
    url = f"/admin/sessions/{course}/forms/{row_id}/"
    answers = {**complete_answers("lt_course"), "course_cd": "LINC-4"}
    typed = {"inperson_instruction_percentage": "85,5 %", "online_distance_percentage": "14.5"}
    saved = french_worker.post(url, data={**answers, **typed})
    assert saved.status_code == 302
    data = form_data(app, row_id)
    assert (data["inperson_instruction_percentage"], data["online_distance_percentage"]) == ("85.5", "14.5")
    assert 'value="85,5"' in text(french_worker.get(url))  # shown back as French writes it

    refused = french_worker.post(url, data={**answers, "course_cd": "LINC-5", "inperson_instruction_percentage": "beaucoup"})
    message = "« beaucoup » n'est pas un pourcentage : écrivez un nombre de 0 à 100 (p. ex. 85 ou 85,5)."
    assert refused.status_code == 200
    shown_with_its_error(unescape(text(refused)), "inperson_instruction_percentage", message)
    assert form_data(app, row_id) == data  # nothing saved, not even the other answers
    too_much = french_worker.post(url, data={**answers, "online_distance_percentage": "120 %"})
    assert too_much.status_code == 200 and "« 120 % » n'est pas un pourcentage" in unescape(text(too_much))
    assert form_data(app, row_id) == data


def overview_lines(page):
    return dict(re.findall(r'<dt class="col-5">([^<]*)</dt><dd class="col-7 pre-line">([^<]*)</dd>', unescape(page)))


def test_the_client_overview_says_oui_and_non_in_french(app, french_worker, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Awa", email=None, has_email=False, research_consent=True)
    lines = overview_lines(text(french_worker.get(f"/admin/clients/{person.id}/?tab=overview")))
    assert lines["Courriel"] == "Non" and lines["Consentement à de futures recherches ou consultations"] == "Oui"
    assert "Yes" not in lines.values() and "No" not in lines.values()


def test_the_referrals_tab_names_task_priorities_and_statuses_in_french(app, french_worker, me, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Awa")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        task = Task(agency_id=person.agency_id, client_id=person.id, created_by_id=me.id, assigned_to_id=me.id, title="Appeler")
        task.priority, task.status = "high", "in_progress"
        db.session.add(task)
        db.session.commit()
    page = text(french_worker.get(f"/admin/clients/{person.id}/?tab=referrals"))
    row = page.split('data-testid="tasks"')[1].split("</table>")[0]
    assert "<td>Haute</td><td>En cours</td>" in row
    assert "high" not in row and "in_progress" not in row.replace("tab=referrals", "")


def test_mentor_matches_show_their_status_in_french(app, french_worker, me, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Samira", last_name="Testclient")
    mentor_id = make_mentor(app)
    session_id, row = match_form(app, french_worker, me, person)
    assert save_match(french_worker, session_id, row, mentor_id).status_code == 302
    matches = text(french_worker.get("/admin/mentors/matches/")).split('data-testid="mentor-matches"')[1]
    assert "<td>En cours</td>" in matches.split("</table>")[0] and "Ongoing" not in matches
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(MentorMatch).values(status="Ended early"))
        db.session.commit()
    details = text(french_worker.get(f"/admin/mentors/details/?id={mentor_id}")).split('data-testid="mentor-matches"')[1]
    assert "<td>Terminé avant la fin</td>" in details and "Ended early" not in details


def test_a_course_opened_without_a_code_is_named_in_the_readers_language(app, french_worker, me):
    course = open_course(app, french_worker, me, code="")
    today = date.today().isoformat()
    assert course_row(app, course).name == f"Course from {today}"  # stored one way, whoever opened it
    assert f"Registre des présences · Cours du {today}" in text(french_worker.get(f"/admin/sessions/{course}/register/"))
    page = text(french_worker.get(f"/admin/sessions/{course}/course/"))
    assert f'value="Cours du {today}"' in page
    version = re.search(r'name="expected_version" type="hidden" value="(\d+)"', page).group(1)
    saved = french_worker.post(
        f"/admin/sessions/{course}/course/", data={"name": f"Cours du {today}", "levels": "NCLC 3", "expected_version": version}
    )
    assert saved.status_code == 302 and course_row(app, course).name == f"Course from {today}"  # saved unchanged: still generated
    found = french_worker.get("/admin/lookup/courses/", query_string={"q": "NCLC"}).get_json()["results"]
    assert found[0]["text"].startswith(f"Cours du {today} (NCLC 3)")
    english = signed_in(app, "coordinator@demo.org")
    assert f"Attendance register · Course from {today}" in text(english.get(f"/admin/sessions/{course}/register/"))


def test_a_generated_course_name_is_read_from_the_name_alone(app):
    """A list of courses (the look-up, the wizard's drop-down) shows each generated name without
    loading the course's opening session: the date is in the stored name."""
    course = Course(name="Course from 2026-01-05")  # no session loaded, none needed
    with app.test_request_context(), force_locale("fr_CA"):
        assert (
            course.shown_name == "Cours du 2026-01-05" and str(Course(name="A1 evening", levels="CLB 2")) == "A1 evening (CLB 2)"
        )


def test_the_registration_reads_the_privacy_statement_in_the_workers_language(app, french_worker):
    page = text(french_worker.get("/admin/register/"))
    assert "recueille vos renseignements" in page and "collects your personal information" not in page
    assert 'name="lang" value="fr"' in page and "/admin/register/?lang=en" in page  # the consent records French
    english = text(french_worker.get("/admin/register/?lang=en"))
    assert "collects your personal information" in english and 'name="lang" value="en"' in english
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Agency).where(Agency.code == "DEMO").values(privacy_statement_fr=""))
        db.session.commit()
    assert "collects your personal information" in text(french_worker.get("/admin/register/"))  # the one written


@pytest.mark.parametrize("typed", ["NEW", "new", "NOUVEAU", " Nouveau "])
def test_the_import_makes_a_new_family_code_for_new_in_either_language(app, typed):
    assert imports.complete({"family_code": typed})["family_code"].startswith("F-")
    assert imports.complete({"family_code": "F-ABC234"})["family_code"] == "F-ABC234"


def test_a_french_worker_types_nouveau_for_a_new_family_code(app, french_worker, make):
    person = make.client(demo_agency(app, "DEMO"), first_name="Famille", last_name="Nouvelle")
    edit = unescape(text(french_worker.get(f"/admin/clients/edit/?id={person.id}")))
    assert "Tapez NOUVEAU (ou NEW) pour créer un code pour une nouvelle famille." in edit
    data = {
        "first_name": "Famille",
        "last_name": "Nouvelle",
        "date_of_birth": "1990-01-02",
        "gender": "Female",
        "registration_site_id": str(demo_staff(app, "worker@demo.org").default_site_id),
        "expected_version": "1",
        "family_code": "nouveau",
    }
    assert french_worker.post(f"/admin/clients/edit/?id={person.id}", data=data).status_code == 302
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        code = db.session.get(Client, person.id).family_code
    assert code.startswith("F-")
    french_worker.post("/admin/register/consent/", data={"decision": "accept", "lang": "fr"})
    relative = make.client(demo_agency(app, "DEMO"), first_name="Parent", last_name="Sanscode")
    named = text(french_worker.get(f"/admin/register/named/?family_of={relative.id}"))
    assert re.search(r'id="family_code"[^>]*value="NOUVEAU"|value="NOUVEAU"[^>]*id="family_code"', named)


def test_french_chosen_on_the_invitation_page_stays_after_signing_in(app, worker, make, smtp):
    """Finding 8 (fixed by feb0aad for the sign-in page): the invitation's page signs in too
    (``password_page``); French chosen there is the account's, over an English profile."""
    person = make.client(demo_agency(app, "DEMO"), email="awa.invitee@example.org", has_email=True, first_name="Awa")
    with app.app_context(), tenant_scope(person.agency_id):
        client = db.session.get(Client, person.id)
        client.official_language = "English"
        record_consent(client, "notifications", True, None)
        db.session.commit()
    invite(worker, person.id)
    accept_path = link_in(smtp.inbox.to("awa.invitee@example.org")[-1], "/portal/accept/")
    browser, english = app.test_client(), {"Accept-Language": "en-CA,en;q=0.9"}
    browser.post("/portal/language", data={"language": "fr_CA", "next": accept_path}, headers=english)
    assert '<html lang="fr-CA"' in text(browser.get(accept_path, headers=english))
    password = {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "consent": "y"}
    accepted = browser.post(accept_path, data=password, headers=english)
    assert accepted.status_code == 302 and '<html lang="fr-CA"' in text(browser.get("/portal/overview", headers=english))
    assert account_of(app, person.id).language == "fr_CA"


def test_one_record_is_one_dossier(app):
    """The counts of the final file and of a merge are plural messages: "1 dossier", not "1 dossiers"."""
    record = SimpleNamespace(retired=SimpleNamespace(registration_number="C-000042"))
    with app.test_request_context(), force_locale("fr_CA"):
        assert final_message("client-profile", 1, 1) == "Profil du client : fichier définitif de 1 dossier; dossiers exclus : 1."
        assert "de 3 dossiers; dossiers exclus : 0." in final_message("client-profile", 3, 0)
        assert undone_message(record, 1).endswith(" 1 dossier a été supprimé ou déplacé depuis la fusion et reste où il est.")
        assert undone_message(record, 2).endswith(
            " 2 dossiers ont été supprimés ou déplacés depuis la fusion et restent où ils sont."
        )
    with app.test_request_context(), force_locale("en"):
        assert final_message("client-profile", 1, 0).endswith("final file with 1 record; 0 left out.")


@pytest.mark.parametrize(
    "msgid, french",
    [
        ("Reset Filters", "Réinitialiser les filtres"),  # Flask-Admin's own French: "Filtres réinitialisés"
        ("Tasks by kind", "Tâches par type"),
        ("Closed", "Fermé"),  # a referral, a plan, an action plan: all masculine
        (
            "An ended course is no longer offered for new classes.",
            "Un cours terminé n'est plus offert pour de nouvelles séances.",
        ),
        ("%(form)s saved: complete.", "Formulaire « %(form)s » enregistré : complet."),  # the form's name may be feminine
    ],
)
def test_french_wording(app, msgid, french):
    with app.test_request_context(), force_locale("fr_CA"):
        assert gettext(msgid) == french


def test_the_grids_reset_button_reads_reinitialiser_les_filtres(french_worker):
    page = text(french_worker.get("/admin/clients/?flt0_4=0"))
    assert "Réinitialiser les filtres" in page and "Filtres réinitialisés" not in page


@pytest.mark.parametrize("chosen_on", ["account", "profile"])
def test_the_portal_signed_out_for_idle_time_keeps_the_clients_french(app, monkeypatch, chosen_on):
    """The idle time-out signed the client out and the sign-in page came back in the browser's
    language (English): it keeps the language the client was using, as signing out does."""
    client_id = seed_portal_clients(app)[0]
    if chosen_on == "profile":
        with app.app_context(), tenant_scope(ALL_AGENCIES):
            db.session.execute(update(Client).where(Client.id == client_id).values(official_language="French"))
            db.session.commit()
    browser, english = signed_in_portal(app, "client@demo.org"), {"Accept-Language": "en-CA,en;q=0.9"}
    if chosen_on == "account":
        browser.post("/portal/language", data={"language": "fr_CA", "next": "/portal/overview"}, headers=english)
    assert '<html lang="fr-CA"' in text(browser.get("/portal/overview", headers=english))
    later = sessions.time.time() + app.config["IDLE_TIMEOUT_MINUTES"] * 60 + 5
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    response = browser.get("/portal/overview", headers=english)
    assert response.status_code == 302 and response.location.endswith("/portal/")
    page = unescape(text(browser.get("/portal/", headers=english)))
    assert '<html lang="fr-CA"' in page and "Vous avez été déconnecté après un moment sans activité" in page
    assert "signed out after a while" not in page
    assert browser.get("/portal/overview", headers=english).status_code == 302  # signed out all the same


def test_an_optional_choice_of_a_grid_form_reads_aucun_not_none(app, login):
    """WTForms shows an empty label as the option's value: the mentor form's "Staff member" read "__None"."""
    speak(app, "coordinator@demo.org", "fr_CA")
    page = text(login("coordinator@demo.org").get("/admin/mentors/new/"))
    assert re.search(r'<option selected value="__None">\(aucun\)</option>', page) and ">__None<" not in page


def test_the_session_details_page_shows_the_delivery_method_languages_and_times_in_french(app, login):
    speak(app, "coordinator@demo.org", "fr_CA")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalars(select(ServiceSession.id).where(ServiceSession.delivery_method == "In Person")).first()
        db.session.execute(update(ServiceSession).where(ServiceSession.id == row).values(languages=["English"]))
        db.session.commit()
    page = unescape(text(login("coordinator@demo.org").get(f"/admin/sessions/details/?id={row}")))
    assert "En personne" in page and "In Person" not in page
    assert "Anglais" in page and "English" not in page
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", page)  # no raw 13:24:01.835141, but 2026-12-03 13 h 24
    assert re.search(r"\d{4}-\d\d-\d\d \d\d h \d\d", page)


# Field names that are the same word in French and English.
SAME_IN_FRENCH = {"Action", "Client", "Code", "Date", "Description", "Format", "Mentor", "Message", "Minutes", "Note", "Notes"}
SAME_IN_FRENCH |= {"Notification", "Options", "Plan", "Position", "Province", "Question", "Services", "Session", "Site", "Source"}
SAME_IN_FRENCH |= {"Type", "Version"}


def audited_columns():
    classes = [mapper.class_ for mapper in db.Model.registry.mappers]
    return sorted({column.key for cls in classes if audited(cls.__new__(cls)) for column in cls.__table__.columns})


def test_the_audit_trail_names_every_field_of_every_audited_record_in_french(app):
    """The client's "Who viewed or changed" tab and the audit trail grid named fields by their
    column names: "Assignee kind", "Email key", "Is online", "Content.certifications"."""
    with app.test_request_context():
        columns = audited_columns()
        assert {"assignee_kind", "email_key", "is_online", "started_on"} <= set(columns)
        with force_locale("fr_CA"):
            french = {name: str(field_label(name)) for name in columns}
            assert field_label("content.certifications") == "Certifications"
            assert field_label("content.summary") == "Profil professionnel"
        with force_locale("en"):
            english = {name: str(field_label(name)) for name in columns}
    assert {name: label for name, label in french.items() if label == english[name] and label not in SAME_IN_FRENCH} == {}


def test_the_audit_trail_grid_shows_dashboard_views_and_yes_no_in_french(app, login, make):
    speak(app, "admin@demo.org", "fr_CA")
    admin, person = login("admin@demo.org"), make.client(demo_agency(app, "DEMO"), first_name="Awa")
    assert admin.get(f"/admin/clients/{person.id}/?tab=privacy").status_code == 200
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        viewed = db.session.scalars(select(AuditEvent.id).where(AuditEvent.detail == "dashboard: Privacy and consent")).first()
    with app.app_context(), tenant_scope(person.agency_id):
        changed = record_event("update", "training_opportunity", 1, person.id, changes={"is_online": [None, True]})
        db.session.commit()
        changed = changed.id
    details = unescape(text(admin.get(f"/admin/audit/details/?id={viewed}")))
    assert "tableau de bord\u00a0: Confidentialité et consentement" in details and "Privacy and consent" not in details
    shown = unescape(text(admin.get(f"/admin/audit/details/?id={changed}")))
    assert re.search(r"En ligne: — &rarr; (Oui|Non)|En ligne: — → (Oui|Non)", shown) and "Is online" not in shown
    assert "True" not in shown and "False" not in shown


def test_reminders_name_priorities_needs_and_session_types_in_the_recipients_french(app, client, agency, smtp):  # noqa: F811
    """The reminder job runs without a request, in English: a French task reminder read
    "(priorité : High)" and a referral follow-up "pour Housing/Accommodation"."""
    speak(app, "worker@demo.org", "fr_CA")
    speak(app, "worker3@demo.org", "fr_CA")
    sign_in(client, "worker@demo.org")
    colleague = demo_staff(app, "worker3@demo.org")
    add_task(client, samira(app), title="Réserver l'interprète", assignee=str(colleague.id), priority="high")
    earlier = (date.today() - timedelta(days=10)).isoformat()
    target = f"partner:{partner_id(app, 'DEMO')}"
    refer(client, samira(app), target=target, referral_date=earlier, follow_up_date=date.today().isoformat(), need_area=HOUSING)
    run(app, agency)
    (task_message,) = smtp.inbox.to("worker3@demo.org")
    assert "(priorité : Haute)" in task_message.get_body(("plain",)).get_content()
    follow_up = [m for m in smtp.inbox.to("worker@demo.org") if "Suivi" in m["Subject"]]
    assert follow_up and "(Logement et hébergement)" in follow_up[0]["Subject"]
    sessions_due = [m for m in smtp.inbox.to("worker@demo.org") if "toujours incomplète" in m["Subject"]]
    for message in sessions_due:
        body = message.get_body(("plain",)).get_content()
        assert not re.search(r"Votre séance (Direct Service|Group|Language|Employment)", body)


def test_an_address_that_only_takes_a_form_answers_in_french(app, login):
    """Werkzeug's "405 Method Not Allowed" page was English."""
    speak(app, "coordinator@demo.org", "fr_CA")
    response = login("coordinator@demo.org").get("/admin/my-account/password/")
    page = unescape(text(response))
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert "Non disponible de cette façon" in page and "Method Not Allowed" not in page


def test_the_consent_note_the_portal_writes_reads_in_french(app, french_worker):
    """The portal's acceptance is recorded with a note the application writes: stored in
    English, it was shown in English on a French worker's Privacy and consent tab."""
    client_id = seed_portal_clients(app)[0]
    page = unescape(text(french_worker.get(f"/admin/clients/{client_id}/?tab=privacy")))
    assert "A accepté l'invitation au portail." in page and "Accepted the portal invitation." not in page
