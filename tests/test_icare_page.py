"""The iCARE check page: who checks what, Private forms, drafts, finals, uploads, amendments,
iCARE's returned file."""

import io

import openpyxl
import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, IcareUpload, IcareUploadItem, ServiceForm, tenant_scope
from tests.conftest import text
from tests.icare_helpers import forms_of, icare_month, update_client, update_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def month(app, make):
    return icare_month(app, make)


@pytest.fixture
def login(login, client):
    """Sign in again as someone else (signing out first)."""

    def _again(email):
        client.post("/logout")
        return login(email)

    return _again


def page(client, m, **args):
    response = client.get("/admin/icare/", query_string={"month": m.month, **args})
    assert response.status_code == 200
    return text(response)


def spoil_io(app, m, private=False):
    (form_id,) = forms_of(app, m.agency.id, "io")
    update_form(app, form_id, postal_cd="12345")
    if private:
        with app.app_context(), tenant_scope(ALL_AGENCIES):
            db.session.get(ServiceForm, form_id).is_private = True
            db.session.commit()
    return form_id


def test_signed_out_visitors_go_to_sign_in(client):
    assert "/login" in client.get("/admin/icare/").location


def test_worker_checks_own_records_with_a_link_to_fix(app, login, month):
    form_id = spoil_io(app, month)
    body = page(login(month.worker.email), month)
    assert 'data-testid="count-info-orien"' in body and "Valid" in body
    assert "not a postal code (A1A 1A1)" in body and month.worker.email in body
    assert f"/forms/{form_id}/" in body
    assert 'data-testid="final-form"' not in body


def test_another_worker_does_not_see_them_a_coordinator_does(app, login, make, month):
    spoil_io(app, month)
    stranger = make.staff(month.agency)
    assert "not a postal code" not in page(login(stranger.email), month)
    assert "not a postal code" in page(login(month.coordinator.email), month)


def test_private_form_problems_in_full_only_to_author_and_coordinator(app, login, month):
    spoil_io(app, month, private=True)
    assert "not a postal code" in page(login(month.worker.email), month)
    assert "not a postal code" in page(login(month.coordinator.email), month)
    body = page(login(month.uploader.email), month)
    assert "not a postal code" not in body
    assert f"A Private form by {month.worker.first_name} {month.worker.last_name} has 1 problem" in body


def test_filters_and_error_report(app, login, month):
    spoil_io(app, month)
    client = login(month.uploader.email)
    assert "not a postal code" not in page(client, month, q="no such words")
    assert "not a postal code" in page(client, month, worker=str(month.worker.id))
    response = client.get("/admin/icare/errors.xlsx", query_string={"month": month.month})
    assert response.mimetype == XLSX
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][4:] == ("Created by", "Contact email", "Message")
    assert any(row[5] == month.worker.email and "postal code" in row[6] for row in rows[1:])


def test_only_uploaders_draft_and_finalise(app, login, month):
    query = {"month": month.month, "template": "info-orien"}
    draft = login(month.uploader.email).get("/admin/icare/draft/", query_string=query)
    assert draft.mimetype == XLSX and "_DRAFT.xlsx" in draft.headers["Content-Disposition"]
    client = login(month.worker.email)
    assert client.get("/admin/icare/draft/", query_string=query).status_code == 403  # it holds everyone's records
    assert client.post("/admin/icare/final/", data={"month": month.month}).status_code == 403
    assert client.get("/admin/icare/uploads/", query_string={"id": 1}).status_code == 404


def finalise(client, m, *slugs):
    response = client.post("/admin/icare/final/", data={"month": m.month, "template": list(slugs), "confirm": "yes"})
    assert response.status_code == 302


def upload_ids(app, m):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalars(select(IcareUpload.id).where(IcareUpload.agency_id == m.agency.id)).all()


@pytest.mark.parametrize("who", ["uploader", "admin"])
def test_uploader_and_admin_make_finals_once(app, login, month, who):
    client = login(getattr(month, who).email)
    finalise(client, month)
    assert len(upload_ids(app, month)) == 8
    body = page(client, month)
    assert body.count("No final file yet") == 0 and 'data-testid="uploads"' in body
    finalise(client, month)
    assert len(upload_ids(app, month)) == 8  # nothing uploaded twice
    download = client.get("/admin/icare/uploads/", query_string={"id": upload_ids(app, month)[0]})
    assert download.mimetype == XLSX and "_DRAFT" not in download.headers["Content-Disposition"]


def test_form_page_says_uploaded_and_amendment_sends_it_again(app, login, month):
    (form_id,) = forms_of(app, month.agency.id, "io")
    finalise(login(month.uploader.email), month, "info-orien")
    client = login(month.worker.email)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        session_id = db.session.get(ServiceForm, form_id).session_id
    body = text(client.get(f"/admin/sessions/{session_id}/forms/{form_id}/"))
    assert "changes need an amendment" in body
    response = client.post("/admin/icare/amend/", data={"form_id": form_id, "reason": "Amend record", "note": "date"})
    assert response.status_code == 302
    assert "count-info-orien" in page(client, month)
    finalise(login(month.uploader.email), month, "info-orien")
    assert len(upload_ids(app, month)) == 2


def returned_file(content, verdicts, sheet_name=None):
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    if sheet_name:
        sheet.title = sheet_name
    for row, verdict in verdicts.items():
        sheet.cell(row=row, column=1, value=verdict)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send_back(client, upload_id, content):
    data = {"upload_id": upload_id, "file": (io.BytesIO(content), "returned.xlsx")}
    return client.post("/admin/icare/returned/", data=data, content_type="multipart/form-data", follow_redirects=True)


def item_state(app, upload_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return [
            (i.status, i.icare_record_id)
            for i in db.session.scalars(select(IcareUploadItem).where(IcareUploadItem.upload_id == upload_id))
        ]


REJECTED = "[BUID:305939,RID:,ORP:4/5,DTS:2018-08-07 10:05:04][1] (Client) Unable to validate against database."
ACCEPTED = "[BUID:305939,RID:778899,ORP:4/5,DTS:2018-08-07 10:05:04]"


def test_rejection_marks_lists_and_makes_eligible_again(app, login, month):
    client = login(month.uploader.email)
    finalise(client, month, "info-orien")
    (upload_id,) = upload_ids(app, month)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        content = db.session.get(IcareUpload, upload_id).content
    body = text(send_back(client, upload_id, returned_file(content, {4: REJECTED})))
    assert "1 rejected" in body and 'data-testid="rejected"' in body and "Unable to validate" in body
    assert item_state(app, upload_id) == [("rejected", None)]
    finalise(client, month, "info-orien")
    assert len(upload_ids(app, month)) == 2  # eligible again


def test_acceptance_keeps_icares_record_id(app, login, month):
    client = login(month.uploader.email)
    finalise(client, month, "info-orien")
    (upload_id,) = upload_ids(app, month)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        content = db.session.get(IcareUpload, upload_id).content
    assert "1 accepted" in text(send_back(client, upload_id, returned_file(content, {4: ACCEPTED})))
    assert item_state(app, upload_id) == [("accepted", "778899")]


def test_wrong_returned_files_are_refused_with_a_message(app, login, make, month):
    client = login(month.uploader.email)
    finalise(client, month, "info-orien", "employment")
    io_upload, employment_upload = sorted(upload_ids(app, month))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        io_content = db.session.get(IcareUpload, io_upload).content
    cases = [
        (b"not a spreadsheet", "not an xlsx file"),
        (returned_file(io_content, {4: REJECTED}, sheet_name="Other"), "no sheet named"),
        (returned_file(io_content, {2: "wrong"}), "missing columns: processing_details"),
        (returned_file(io_content, {4: REJECTED}), "no sheet named &#39;Employment&#39;"),
    ]
    for content, message in cases[:3]:
        assert message in text(send_back(client, io_upload, content))
    assert cases[3][1] in text(send_back(client, employment_upload, cases[3][0]))
    book = openpyxl.load_workbook(io.BytesIO(io_content))
    codes = [c.value for c in book.worksheets[0][2]]
    identifier = codes.index("client_validation_id") + 1
    book.worksheets[0].cell(row=4, column=identifier, value="99999999")  # another agency's or month's client
    out = io.BytesIO()
    book.save(out)
    assert "another agency&#39;s or another month&#39;s file" in text(send_back(client, io_upload, out.getvalue()))
    assert item_state(app, io_upload) == [("uploaded", None)]  # nothing marked


def test_stored_text_is_escaped_on_the_page(app, login, month):
    from tests.icare_helpers import update_client

    spoil_io(app, month)
    update_client(app, month.clients[0].id, first_name='<b id="xss">Ana</b>')
    body = page(login(month.worker.email), month)
    assert "&lt;b id=&#34;xss&#34;&gt;Ana&lt;/b&gt;" in body and '<b id="xss">' not in body


FRENCH = {"Accept-Language": "fr-CA"}


def test_french_page_names_templates_and_reasons_in_french(app, login, month):
    """The records to fix and the uploads name their template in French; the update reasons
    read in French and post iCARE's own (English) values."""
    spoil_io(app, month)
    client = login(month.uploader.email)
    finalise(client, month, "client-profile")
    response = client.get("/admin/icare/", query_string={"month": month.month}, headers=FRENCH)
    body = text(response)
    problem = body.split('data-testid="problem"')[1].split("</ul>")[0]
    assert "<strong>Information et orientation</strong>" in problem
    uploads = body.split('data-testid="uploads"')[1]
    assert ">Profil du client</a>" in uploads and "Info&amp;Orien" not in body and "Client Profile" not in body
    assert '<option value="Amend record">Modifier le dossier</option>' in body
    assert '<option value="Correct error">Corriger une erreur</option>' in body


def spoil_course(app, m):
    (form_id,) = forms_of(app, m.agency.id, "lt_course")
    update_form(app, form_id, stored_as_is=True, official_language_id="")
    return form_id


def test_french_page_names_a_course_in_french(app, login, month):
    spoil_course(app, month)
    body = page(login(month.uploader.email), month)
    assert "Course DEMO-ICARE" in body  # English by default
    problem = text(login(month.uploader.email).get("/admin/icare/", query_string={"month": month.month}, headers=FRENCH))
    problem = problem.split('data-testid="problem"')[1].split("</ul>")[0]
    assert "Cours DEMO-ICARE" in problem and "Course" not in problem


def test_the_error_report_follows_the_readers_language(app, login, month):
    """Sheet, headers, template names and courses in French for a French reader (the iCARE
    files keep the templates' English layout)."""
    spoil_io(app, month)
    spoil_course(app, month)
    client = login(month.uploader.email)
    response = client.get("/admin/icare/errors.xlsx", query_string={"month": month.month}, headers=FRENCH)
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Erreurs"]
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("Gabarit", "Dossier", "Client ou cours", "Date du service", "Créé par", "Courriel de contact", "Message")
    by_template = {row[0]: row for row in rows[1:]}
    assert set(by_template) == {"Information et orientation", "Formation linguistique - Création du cours"}
    assert by_template["Formation linguistique - Création du cours"][2] == "Cours DEMO-ICARE"
    assert "code postal" in by_template["Information et orientation"][6]
    draft = client.get("/admin/icare/draft/", query_string={"month": month.month, "template": "employment"}, headers=FRENCH)
    sheet = openpyxl.load_workbook(io.BytesIO(draft.data)).active
    assert sheet.title == "Employment" and sheet.cell(row=3, column=1).value == "Processing Details"


def test_the_final_files_confirmation_reads_in_the_language_of_the_page_showing_it(app, login, month):
    """Made from an English page, shown on a French one: the confirmation is written when shown."""
    client = login(month.uploader.email)
    finalise(client, month, "client-profile")
    body = text(client.get("/admin/icare/", query_string={"month": month.month}, headers=FRENCH))
    assert "Profil du client : fichier définitif de 2 dossiers; dossiers exclus : 0." in body
    assert "final file with" not in body


def test_a_record_with_several_problems_counts_once_as_left_out(app, login, month):
    """One client profile with two problems: the confirmation and the final files' table say
    one record left out (they added up the problems: 2)."""
    update_client(app, month.clients[0].id, postal_code=None, ircc_id_value="12AB")
    client = login(month.uploader.email)
    finalise(client, month, "client-profile")
    body = page(client, month)
    assert "Client Profile: final file with 1 record; 1 left out." in body
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        upload = db.session.scalar(select(IcareUpload).where(IcareUpload.agency_id == month.agency.id))
        assert len(upload.left_out) == 2 and upload.left_out_count == 1


def test_final_files_are_made_only_once_the_box_is_ticked(app, login, month):
    """Marking records uploaded cannot be undone: without the page's box ticked, nothing is made."""
    client = login(month.uploader.email)
    response = client.post("/admin/icare/final/", data={"month": month.month}, follow_redirects=True)
    assert "No final file was made: tick the box to confirm the month first." in text(response)
    assert upload_ids(app, month) == []
    assert 'name="confirm" value="yes"' in page(client, month) and "required" in page(client, month)
