"""iCARE export: every template read back against templates.json, the error rules, the exclusions,
never uploaded twice, amendments."""

import io
import json
from datetime import date

import openpyxl
import pytest

from exports.icare_files import IcareError, draft_file, final_file, request_amendment
from extensions import db
from models import ALL_AGENCIES, Client, IcareUpload, ServiceForm, Staff, tenant_scope
from models.icare_checks import check_month
from models.icare_templates import template, templates
from service_forms.icare import TEMPLATES_FILE
from tests.icare_helpers import forms_of, icare_month, update_client, update_form

SPEC = {t["sheet"]: t for t in json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))["templates"]}


@pytest.fixture
def month(app, make):
    return icare_month(app, make)


def staff_row(m, who):
    return db.session.get(Staff, getattr(m, who).id)


def check(app, m, who="uploader", slug=None):
    with app.app_context(), tenant_scope(m.agency.id):
        chosen = [template(slug)] if slug else list(templates())
        return {r.template.slug: r for r in check_month(staff_row(m, who), m.month, chosen)}


def final(app, m, slug, who="uploader"):
    with app.app_context(), tenant_scope(m.agency.id):
        result = final_file(m.agency.id, getattr(m, who).id, template(slug), m.month)
        db.session.commit()
        result.upload_id = result.upload.id
        return result


def draft(app, m, slug):
    with app.app_context():
        return draft_file(m.agency.id, template(slug), m.month)


def read_back(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert len(book.worksheets) == 1
    return book.worksheets[0]


@pytest.mark.parametrize("slug", [t.slug for t in templates()])
def test_every_template_reads_back_as_in_templates_json(app, month, slug):
    result = draft(app, month, slug)
    spec = SPEC[template(slug).sheet]
    sheet = read_back(result.content)
    columns = spec["columns"]
    assert sheet.title == spec["sheet"]
    assert result.filename.endswith("_DRAFT.xlsx")
    assert [str(r) for r in sheet.merged_cells.ranges] == [f"A1:{columns[-1]['column']}1"]
    assert sheet["A1"].value == spec["a1"]
    assert [c.value for c in sheet[2]] == [c["code"] for c in columns]
    assert [c.value for c in sheet[3]] == [c["label"] for c in columns]
    assert all(sheet.column_dimensions[c["column"]].number_format == "@" for c in columns[:1])  # text columns
    rows = list(sheet.iter_rows(min_row=4))
    assert len(rows) == result.record_count >= 1
    for row in rows:
        assert row[0].value is None  # Processing Details
        for cell, column in zip(row, columns, strict=True):
            assert cell.data_type != "f"
            if cell.value is not None:
                assert isinstance(cell.value, str) and cell.number_format == "@"
            if column["mandatory"]:
                assert cell.value, column["code"]
            if cell.value and column["options"]:
                assert cell.value in [str(o) for o in column["options"]], column["code"]
            if cell.value and column["code"].endswith(("_dt", "_dttm")):
                date.fromisoformat(cell.value)


def test_a_good_month_is_valid_everywhere(app, month):
    results = check(app, month)
    assert {slug: (r.total, r.bad) for slug, r in results.items()}["client-profile"] == (2, 0)
    assert all(r.is_valid and r.total >= 1 for r in results.values())


def problems_of(app, m, slug):
    return [message for p in check(app, m, slug=slug)[slug].problems for message in p.messages]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"postal_cd": "12345"}, "Postal Code where the service was received: not a postal code (A1A 1A1)"),
        ({"service_language_id": "Klingon"}, "value not in the template's list"),
        ({"start_dttm": "2026/11/03"}, "not a date (YYYY-MM-DD)"),
        ({"start_dttm": "2026-11-20", "end_dttm": "2026-11-02"}, "before the start date"),  # saved before the form's rule
    ],
)
def test_form_error_rules(app, month, answers, expected):
    (form_id,) = forms_of(app, month.agency.id, "io")
    update_form(app, form_id, stored_as_is="end_dttm" in answers, **answers)
    found = problems_of(app, month, "info-orien")
    assert any(expected in message for message in found), found


def test_client_rules_identifier_dob_and_no_profile(app, month):
    update_client(app, month.clients[0].id, postal_code=None)
    assert "Postal Code: mandatory value missing" in problems_of(app, month, "client-profile")
    update_client(app, month.clients[0].id, postal_code="M5V 2T6")
    update_client(app, month.clients[0].id, ircc_id_value="12AB")
    assert "Unique Identifier Value: not a valid identifier for its type" in problems_of(app, month, "client-profile")
    assert any("no Client Profile row" in m for m in problems_of(app, month, "info-orien"))
    update_client(app, month.clients[0].id, ircc_id_value="12345678", date_of_birth=None)
    assert "Date of birth missing" in problems_of(app, month, "info-orien")


def test_lt_exit_without_its_course(app, month):
    (exit_id,) = forms_of(app, month.agency.id, "lt_exit")
    update_form(app, exit_id, course_cd="NOPE")
    assert any("No course with this course code" in m for m in problems_of(app, month, "lt-client-exit"))


def test_problem_names_the_worker_and_fixing_lowers_the_count(app, month):
    (form_id,) = forms_of(app, month.agency.id, "io")
    update_form(app, form_id, postal_cd="bad")
    result = check(app, month, slug="info-orien")["info-orien"]
    (problem,) = result.problems
    assert (result.bad, problem.email, problem.form_id) == (1, month.worker.email, form_id)
    assert problem.reference.startswith("C")
    update_form(app, form_id, postal_cd="M5V 2T6")
    assert check(app, month, slug="info-orien")["info-orien"].bad == 0


def test_bad_rows_are_left_out_of_files_with_the_reason(app, month):
    (form_id,) = forms_of(app, month.agency.id, "io")
    update_form(app, form_id, postal_cd="bad")
    result = draft(app, month, "info-orien")
    assert result.record_count == 0
    assert sum(result.left_out.values()) == 1 and result.left_out_records == 1


def test_a_record_with_several_problems_is_left_out_once(app, month):
    """Two problems of one form: two reasons, one record left out (the page and the final
    file's row say 1, not 2)."""
    (form_id,) = forms_of(app, month.agency.id, "io")
    update_form(app, form_id, stored_as_is=True, postal_cd="bad", start_dttm="2026/11/03")
    result = draft(app, month, "info-orien")
    assert len(result.left_out) == 2 and result.left_out_records == 1


def test_exclusions_anonymous_incomplete_absent_other_agency(app, make, month):
    other = icare_month(app, make)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        forms = {kind: db.session.get(ServiceForm, forms_of(app, month.agency.id, kind)[0]) for kind in ("io", "employment")}
        forms["io"].save_answers({**forms["io"].data, "postal_cd": ""})  # incomplete form: session incomplete
        db.session.commit()
    counts = {slug: r.total for slug, r in check(app, month).items()}
    assert counts["info-orien"] == 0 and counts["employment"] == 0  # the whole session is incomplete
    assert check(app, other)["info-orien"].total == 1  # the other agency's own record only


def test_absent_attendee_and_anonymous_client_are_not_sent(app, make, month):
    from demo.icare import good_answers, new_form, new_session
    from models import Agency, Site

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency, site = db.session.get(Agency, month.agency.id), db.session.get(Site, month.site_id)
        author = db.session.get(Staff, month.worker.id)
        anonymous = Client(agency_id=agency.id, kind="anonymous", gender="Male")
        named = db.session.get(Client, month.clients[0].id)
        group = new_session(agency, site, author, month.day, "io_group", clients=[named, anonymous])
        new_form(group, "io_group", author)
        new_form(group, "io_attendee", author, named, {**good_answers("io_attendee", month.day), "client_attended": "No"})
        new_form(group, "io_attendee", author, anonymous)
        db.session.commit()
    assert check(app, month)["info-orien"].total == 1  # only the direct service's I&O


def test_final_file_is_kept_and_never_uploaded_twice(app, month):
    result = final(app, month, "info-orien")
    assert result.record_count == 1 and not result.filename.endswith("_DRAFT.xlsx")
    with app.app_context(), tenant_scope(month.agency.id):
        upload = db.session.get(IcareUpload, result.upload_id)
        assert (upload.created_by_id, upload.month, upload.record_count, len(upload.items)) == (
            month.uploader.id,
            month.month,
            1,
            1,
        )
        assert upload.content == result.content and len(upload.checksum) == 64
    assert check(app, month, slug="info-orien")["info-orien"].total == 0
    with pytest.raises(IcareError):
        final(app, month, "info-orien")


def test_profile_goes_again_only_when_changed(app, month):
    final(app, month, "client-profile")
    assert check(app, month, slug="client-profile")["client-profile"].total == 0
    update_client(app, month.clients[0].id, city="Toronto")
    assert check(app, month, slug="client-profile")["client-profile"].total == 1


def test_amendment_sends_the_record_again_with_update_columns(app, month):
    final(app, month, "info-orien")
    (form_id,) = forms_of(app, month.agency.id, "io")
    with app.app_context(), tenant_scope(month.agency.id):
        with pytest.raises(IcareError):
            request_amendment(staff_row(month, "worker"), "Amend record", "", form_id=form_id)
        request_amendment(staff_row(month, "worker"), "Correct error", "wrong topic", form_id=form_id)
        db.session.commit()
    result = final(app, month, "info-orien")
    sheet = read_back(result.content)
    codes = [c.value for c in sheet[2]]
    row = [c.value for c in sheet[4]]
    assert row[codes.index("update_record_id")] == f"OCMS-{form_id}"
    assert row[codes.index("assessment_update_reason_id")] == "Correct error"
    assert check(app, month, slug="info-orien")["info-orien"].total == 0


def test_text_goes_to_icare_exactly_as_stored(app, month):
    """A phone number starting with + and a street name a spreadsheet could read as a formula are
    string cells, exactly as stored: no apostrophe is added (a string cell is never a formula)."""
    first = month.clients[0]
    update_client(app, first.id, phone="+1 416 555 0123", street_name="=HYPERLINK(1)")
    sheet = read_back(draft(app, month, "client-profile").content)
    codes = [c.value for c in sheet[2]]
    rows = [row for row in sheet.iter_rows(min_row=4) if row[codes.index("phone_no")].value == "+1 416 555 0123"]
    assert len(rows) == 1
    street = rows[0][codes.index("street_nme")]
    assert street.value == "=HYPERLINK(1)" and street.data_type == "s"
