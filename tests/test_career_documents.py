"""Resumes and cover letters: the builder derived from the section descriptions (add, remove and
move entries without script, checks on the field, nothing half-saved), the author-only rule in
both directions (the model refuses, the pages answer 403 and change nothing), viewing and
duplicating the other side's document, the PDF's text in the viewer's language, stale saves,
and the dashboard tabs' rule."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from career_documents import KINDS
from career_documents.builder import apply_action, check, empty_content
from extensions import db
from models import ALL_AGENCIES, Agency, AuditEvent, CareerDocument, Client, Principal, Staff, acting_as, tenant_scope
from models.career_documents import NotTheAuthor
from tests.conftest import text
from tests.portal_helpers import seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")
RESUME = KINDS["resume"]


def pdf_text(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def document_of(app, client_id, kind="resume", author_kind=None):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        query = select(CareerDocument).where(CareerDocument.client_id == client_id, CareerDocument.kind == kind)
        if author_kind:
            query = query.where(CareerDocument.author_kind == author_kind)
        document = db.session.scalars(query.order_by(CareerDocument.id)).first()
        db.session.expunge(document)
        return document


def snapshot(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = db.session.scalars(select(CareerDocument).order_by(CareerDocument.id))
        return [(d.id, d.title, d.version, repr(d.content), d.author_kind, d.author_staff_id) for d in rows]


def count(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count(CareerDocument.id)))


def resume_form(title="Warehouse work", **fields):
    """A builder post: the contact block, one job, and ``fields`` on top."""
    data = {"action": "save", "title": title, "contact-name": "Amira Haddad", "contact-email": "amira@example.org"}
    data |= {"contact-phone": "416-555-0142", "contact-city": "Toronto", "summary-text": "Reliable."}
    data |= {"work-0-job_title": "Picker", "work-0-employer": "Northern Freight", "work-0-start": "2024-02", "work-0-end": ""}
    return data | fields


@pytest.fixture
def people(app):
    amira_id, diego_id = seed_portal_clients(app)
    return {"amira": amira_id, "diego": diego_id}


# The builder, from the description


def test_builder_buttons_add_move_and_remove_entries():
    content = empty_content(RESUME)
    assert apply_action(RESUME, content, "add:skills") is None
    assert apply_action(RESUME, content, "add:skills") is None
    content["skills"][0]["skill"], content["skills"][1]["skill"] = "Forklift", "WHMIS"
    apply_action(RESUME, content, "up:skills:1")
    assert [e["skill"] for e in content["skills"]] == ["WHMIS", "Forklift"]
    apply_action(RESUME, content, "down:skills:0")
    apply_action(RESUME, content, "remove:skills:0")
    assert [e["skill"] for e in content["skills"]] == ["WHMIS"]
    assert apply_action(RESUME, content, "remove:skills:7") == "That entry is no longer there."
    assert apply_action(RESUME, content, "add:contact") == "That button does not belong to this document."
    for _ in range(RESUME.section("skills").max_entries - 1):
        apply_action(RESUME, content, "add:skills")
    assert "at most" in apply_action(RESUME, content, "add:skills")


def test_checks_put_each_message_on_its_field():
    content = empty_content(RESUME)
    content["contact"].update(name="", email="not-an-email", phone="12")
    content["work"] = [
        {"job_title": "", "employer": "Acme", "place": "", "start": "2021-13", "end": "", "description": ""},
        {"job_title": "Clerk", "employer": "", "place": "", "start": "2022-05", "end": "2021-01", "description": ""},
        {"job_title": "", "employer": "", "place": "", "start": "", "end": "", "description": ""},  # empty: dropped
    ]
    content["education"] = [{"credential": "BA", "school": "", "year": "19"}]
    clean, problems = check(RESUME, "", content)
    assert problems == {
        "title": "Give the document a title.",
        "contact-name": "Fill this in.",
        "contact-email": "Enter a valid email address, e.g. name@example.org.",
        "contact-phone": "Enter a valid phone number, e.g. 416-555-0123.",
        "work-0-start": "Enter a month as YYYY-MM, e.g. 2021-09.",
        "work-0-job_title": "Fill this in, or remove the entry.",
        "work-1-end": "The end is before the start.",
        "education-0-year": "Enter a year like 2019.",
    }
    assert len(clean["work"]) == 2
    content["contact"].update(name="A" * 201, email="", phone="416 555 0142")
    content["work"], content["education"] = [], []
    clean, problems = check(RESUME, "Mine", content)
    assert problems == {"contact-name": "Keep this to 200 characters."}
    content["contact"]["name"] = "Amira"
    clean, problems = check(RESUME, "Mine", content)
    assert problems == {} and clean["contact"]["phone"] == "+1 416-555-0142"


# The client in the portal


def test_a_client_builds_a_resume_with_the_builder_buttons(app, people):
    browser = signed_in_portal(app, "client@demo.org")
    new = text(browser.get("/portal/resumes/new"))
    assert 'value="Amira Haddad"' in new and 'value="client@demo.org"' in new  # prefilled from the profile
    page = browser.post("/portal/resumes/new", data=resume_form(action="add:work"))
    assert page.status_code == 200 and 'name="work-1-job_title"' in text(page) and "autofocus" in text(page)
    before = count(app)
    data = resume_form(**{"work-1-job_title": "Cashier", "work-1-start": "2019-01", "work-1-end": "2020-06"})
    moved = text(browser.post("/portal/resumes/new", data=data | {"action": "up:work:1"}))
    assert moved.index('value="Cashier"') < moved.index('value="Picker"')
    assert count(app) == before  # builder buttons never save
    saved = browser.post("/portal/resumes/new", data=data)
    assert saved.status_code == 302 and "/portal/resumes/" in saved.location
    view = text(browser.get(saved.location))
    assert "Warehouse work" in view and "Northern Freight" in view and 'data-testid="edit-document"' in view
    assert count(app) == before + 1


def test_bad_input_is_shown_on_the_field_and_nothing_is_saved(app, people):
    browser = signed_in_portal(app, "client@demo.org")
    before = snapshot(app)
    response = browser.post("/portal/resumes/new", data=resume_form(**{"work-0-start": "last spring", "contact-name": ""}))
    page = text(response)
    assert response.status_code == 200 and "Nothing was saved" in page
    assert re.search(r'id="f-work-0-start-error">Enter a month as YYYY-MM', page)
    assert 'value="last spring"' in page  # the person's entry is kept to correct
    mine = document_of(app, people["amira"])
    edit = browser.post(f"/portal/resumes/{mine.id}/edit", data=resume_form(title="", version=str(mine.version)))
    assert edit.status_code == 200 and "Give the document a title." in text(edit)
    weird = browser.post(f"/portal/resumes/{mine.id}/edit", data={"action": "up:work:99999999999", "version": "x"})
    assert weird.status_code == 200 and "That entry is no longer there." in text(weird)
    assert browser.post("/portal/resumes/new", data={"description": "HIJACKED"}).status_code == 200
    assert snapshot(app) == before


def test_a_stale_save_does_not_overwrite(app, people):
    browser = signed_in_portal(app, "client@demo.org")
    mine = document_of(app, people["amira"])
    first = browser.post(f"/portal/resumes/{mine.id}/edit", data=resume_form(title="First", version=str(mine.version)))
    assert first.status_code == 302
    second = browser.post(f"/portal/resumes/{mine.id}/edit", data=resume_form(title="Second", version=str(mine.version)))
    page = text(second)
    assert second.status_code == 200 and "changed meanwhile" in page and 'value="Second"' in page
    assert document_of(app, people["amira"]).title == "First"
    assert f'name="version" value="{mine.version + 1}"' in page  # saving again is a choice made now
    again = browser.post(f"/portal/resumes/{mine.id}/edit", data=resume_form(title="Second", version=str(mine.version + 1)))
    assert again.status_code == 302 and document_of(app, people["amira"]).title == "Second"


def test_the_client_reads_but_cannot_change_a_caseworkers_resume(app, people):
    staff_resume = document_of(app, people["diego"], author_kind="staff")
    browser = signed_in_portal(app, "client2@demo.org")
    base = f"/portal/resumes/{staff_resume.id}"
    view = text(browser.get(base))
    assert "Forklift operator" in view and 'data-testid="not-author"' in view and 'data-testid="edit-document"' not in view
    assert "Forklift operator" in pdf_text(browser.get(f"{base}.pdf"))
    before = snapshot(app)
    assert browser.get(f"{base}/edit").status_code == 403
    assert browser.post(f"{base}/edit", data=resume_form(title="HIJACKED", version=str(staff_resume.version))).status_code == 403
    assert browser.get(f"{base}/delete").status_code == 403
    assert browser.post(f"{base}/delete", data={"confirm": "1"}).status_code == 403
    assert snapshot(app) == before
    copy = browser.post(f"{base}/duplicate")
    assert copy.status_code == 302 and copy.location.endswith("/edit")
    assert browser.get(copy.location).status_code == 200  # the copy is the client's own
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        new = db.session.scalars(select(CareerDocument).order_by(CareerDocument.id.desc())).first()
        assert (new.author_kind, new.author_staff_id, new.copied_from_id) == ("client", None, staff_resume.id)
        assert new.title == "Copy of Warehouse jobs" and new.content["work"][0]["job_title"] == "Forklift operator"


def test_a_client_deletes_their_own_after_confirming(app, people):
    browser = signed_in_portal(app, "client@demo.org")
    letter = document_of(app, people["amira"], "cover_letter")
    base = f"/portal/cover-letters/{letter.id}"
    assert "cannot be undone" in text(browser.get(f"{base}/delete"))
    assert browser.post(f"{base}/delete").status_code == 200  # not confirmed: asked again
    assert browser.post(f"{base}/delete", data={"confirm": "1"}).status_code == 302
    assert browser.get(base).status_code == 404


def test_another_clients_documents_are_not_there(app, people):
    browser = signed_in_portal(app, "client@demo.org")
    theirs = document_of(app, people["diego"])
    assert "Warehouse jobs" not in text(browser.get("/portal/resumes"))
    for url in (f"/portal/resumes/{theirs.id}", f"/portal/resumes/{theirs.id}.pdf", f"/portal/resumes/{theirs.id}/edit"):
        assert browser.get(url).status_code == 404
    assert browser.post(f"/portal/resumes/{theirs.id}/duplicate").status_code == 404
    mine = document_of(app, people["amira"])
    assert browser.get(f"/portal/cover-letters/{mine.id}").status_code == 404  # a resume is not a letter


@pytest.mark.parametrize(
    "language, heading, month", [("en", "Work experience", "Mar 2018"), ("fr_CA", "Expérience de travail", "mars 2018")]
)
def test_the_pdf_in_the_viewers_language(app, people, language, heading, month):
    browser = signed_in_portal(app, "client@demo.org")
    browser.post("/portal/language", data={"language": language})  # the portal's language switch
    mine = document_of(app, people["amira"])
    pdf = pdf_text(browser.get(f"/portal/resumes/{mine.id}.pdf"))
    assert "Amira Haddad" in pdf and "Haddad Family Market" in pdf and heading in pdf and month in pdf


def test_a_cover_letter_for_a_lead_or_a_posting(app, people):
    browser = signed_in_portal(app, "client@demo.org")
    letter = document_of(app, people["amira"], "cover_letter")
    assert letter.lead_id is not None
    page = text(browser.get(f"/portal/cover-letters/{letter.id}"))
    assert "Cashier" in page and "Maple Grocers" in page
    pdf = pdf_text(browser.get(f"/portal/cover-letters/{letter.id}.pdf"))
    assert "I am applying for the Cashier position" in pdf and "Sincerely" in pdf
    form = {"action": "save", "title": "Letter", "sender-name": "Amira", "paragraphs-0-text": "Hello.", "link": "posting:999999"}
    bad = browser.post("/portal/cover-letters/new", data=form)
    assert bad.status_code == 200 and "Choose a posting of the list." in text(bad)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        other = db.session.scalar(select(Agency.id).where(Agency.code == "OTHER"))
        from models import JobPosting

        foreign = db.session.scalar(select(JobPosting.id).where(JobPosting.agency_id == other))
    if foreign:
        assert "Choose a posting" in text(browser.post("/portal/cover-letters/new", data=form | {"link": f"posting:{foreign}"}))
    assert browser.post("/portal/cover-letters/new", data=form | {"link": ""}).status_code == 302


# Staff on the client dashboard


def test_staff_read_but_cannot_change_the_clients_resume(app, people, login):
    worker = login("worker@demo.org")
    clients = document_of(app, people["amira"])
    base = f"/admin/clients/{people['amira']}/documents/{clients.id}"
    tab = text(worker.get(f"/admin/clients/{people['amira']}/?tab=resumes"))
    assert "Cashier and bookkeeping" in tab and f"{base}/edit/" not in tab
    view = text(worker.get(f"{base}/"))
    assert "Haddad Family Market" in view and 'data-testid="not-author"' in view and 'data-testid="edit-document"' not in view
    assert "Haddad Family Market" in pdf_text(worker.get(f"{base}/pdf/"))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        events = select(AuditEvent.action).where(AuditEvent.record_type == "career_document", AuditEvent.record_id == clients.id)
        assert sorted(db.session.scalars(events)) == ["create", "export", "view"]  # on the client's audit trail
    before = snapshot(app)
    assert worker.get(f"{base}/edit/").status_code == 403
    assert worker.post(f"{base}/edit/", data=resume_form(title="HIJACKED", version=str(clients.version))).status_code == 403
    assert worker.post(f"{base}/delete/", data={"confirm": "1"}).status_code == 403
    assert snapshot(app) == before
    copy = worker.post(f"{base}/duplicate/")
    assert copy.status_code == 302 and worker.get(copy.location).status_code == 200
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        new = db.session.scalars(select(CareerDocument).order_by(CareerDocument.id.desc())).first()
        wei = db.session.scalar(select(Staff.id).where(Staff.email == "worker@demo.org"))
        assert (new.author_kind, new.author_staff_id, new.client_id) == ("staff", wei, people["amira"])
    portal = signed_in_portal(app, "client@demo.org")
    assert 'data-testid="not-author"' in text(portal.get(f"/portal/resumes/{new.id}"))  # the client reads the copy


def test_staff_write_a_resume_only_its_author_changes(app, people, login):
    worker = login("worker@demo.org")
    url = f"/admin/clients/{people['diego']}/documents/new/?kind=resume"
    assert 'value="Diego Ramos"' in text(worker.get(url))
    saved = worker.post(url, data=resume_form(title="For the warehouse fair"))
    assert saved.status_code == 302
    document_id = int(re.search(r"/documents/(\d+)/", saved.location).group(1))
    edit = f"/admin/clients/{people['diego']}/documents/{document_id}/edit/"
    assert worker.get(edit).status_code == 200
    worker.post("/logout")
    colleague = login("worker2@demo.org")  # Diego's own caseworker, but not this document's author
    assert colleague.get(edit).status_code == 403
    assert "For the warehouse fair" in text(colleague.get(f"/admin/clients/{people['diego']}/?tab=resumes"))
    assert worker.get(f"/admin/clients/{people['diego']}/documents/new/?kind=memo").status_code == 404


def test_the_model_refuses_a_change_by_someone_else(app, people):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org"))
        amira = db.session.get(Client, people["amira"])
        principal, client_principal = Principal.staff(staff), Principal.portal_client(amira)
    with app.test_request_context():
        with acting_as(principal):
            document = db.session.scalar(select(CareerDocument).where(CareerDocument.author_kind == "client"))
            document.title = "Changed behind the page"
            with pytest.raises(NotTheAuthor):
                db.session.flush()
            db.session.rollback()
        with acting_as(client_principal):
            document = db.session.scalar(select(CareerDocument).where(CareerDocument.author_kind == "client"))
            document.title = "Her own change"
            db.session.commit()
    assert document_of(app, people["amira"]).title == "Her own change"


def test_the_tabs_show_with_portal_activity_or_a_document(app, people, login, make):
    worker = login("worker@demo.org")
    page = text(worker.get(f"/admin/clients/{people['amira']}/"))
    assert "tab=resumes" in page and "tab=cover_letters" in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        db.session.expunge(agency)
    quiet = make.client(agency)
    assert "tab=resumes" not in text(worker.get(f"/admin/clients/{quiet.id}/"))
    assert "New resume" in text(worker.get(f"/admin/clients/{quiet.id}/?tab=resumes"))  # staff may add the first
    worker.post(
        f"/admin/clients/{quiet.id}/documents/new/?kind=cover_letter", data={"action": "save", "title": "T", "sender-name": "Q"}
    )
    assert "tab=resumes" in text(worker.get(f"/admin/clients/{quiet.id}/"))


def test_retention_forgets_the_clients_documents(app, people):
    from models.retention import RETENTION, anonymise_client, question_types

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency_id = db.session.get(Client, people["amira"]).agency_id
    with app.app_context(), tenant_scope(agency_id, RETENTION):
        amira = db.session.get(Client, people["amira"])
        anonymise_client(amira, question_types(), dict.fromkeys(("clients", "case notes", "files", "service forms"), 0))
        db.session.commit()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        left = select(CareerDocument.client_id).where(CareerDocument.client_id.in_(people.values()))
        assert set(db.session.scalars(left)) == {people["diego"]}
