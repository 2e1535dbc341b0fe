"""``flask icare-export``, and the final files opened by LibreOffice."""

import csv
import io
import json
import os
import shutil
import subprocess

import openpyxl
import pytest

from extensions import db
from models import ALL_AGENCIES, ServiceForm, tenant_scope
from service_forms.icare import TEMPLATES_FILE
from tests.icare_helpers import forms_of, icare_month, update_form

SPEC = {t["sheet"]: t for t in json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))["templates"]}


@pytest.fixture
def month(app, make):
    return icare_month(app, make)


def export(runner, m, out, *extra):
    return runner.invoke(args=["icare-export", "--agency", m.agency.code, "--month", m.month, "--out", str(out), *extra])


def test_draft_writes_every_file_and_the_error_report(runner, month, tmp_path, app):
    (form_id,) = forms_of(app, month.agency.id, "employment")
    update_form(app, form_id, postal_cd="nope")
    result = export(runner, month, tmp_path, "--draft")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len([n for n in names if n.endswith("_DRAFT.xlsx")]) == 8  # a draft may be empty
    assert f"iCARE_errors_{month.agency.code}_{month.month}.xlsx" in names
    assert "Employment Related Services: 0 good, 1 bad;" in result.output and "(0 records)" in result.output
    assert "Information and Orientation: 1 good, 0 bad" in result.output
    assert export(runner, month, tmp_path / "again", "--draft").exit_code == 0  # a draft marks nothing


def report_rows(folder, m):
    book = openpyxl.load_workbook(folder / f"iCARE_errors_{m.agency.code}_{m.month}.xlsx")
    return list(book.active.iter_rows(values_only=True))[1:]


def test_error_report_redacts_private_forms_as_the_page_does_for_an_admin(runner, month, tmp_path, app, login):
    (io_id,) = forms_of(app, month.agency.id, "io")
    (employment_id,) = forms_of(app, month.agency.id, "employment")
    update_form(app, io_id, postal_cd="12345")
    update_form(app, employment_id, postal_cd="nope")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(ServiceForm, io_id).is_private = True
        db.session.commit()
    assert export(runner, month, tmp_path, "--draft").exit_code == 0
    rows = report_rows(tmp_path, month)
    worker = f"{month.worker.first_name} {month.worker.last_name}"
    by_sheet = {row[0]: row for row in rows}  # templates by their names (English: no reader's language)
    info = by_sheet["Information and Orientation"]
    assert info[6] == f"A Private form by {worker} has 1 problem"
    assert info[1] is None and info[2] is None  # no client named
    assert "not a postal code" in by_sheet["Employment Related Services"][6]  # a form that is not Private: in full
    admin_page = login(month.admin.email).get("/admin/icare/errors.xlsx", query_string={"month": month.month})
    page_rows = list(openpyxl.load_workbook(io.BytesIO(admin_page.data)).active.iter_rows(values_only=True))[1:]
    assert sorted(row[6] for row in page_rows) == sorted(row[6] for row in rows)


def test_final_marks_uploaded_then_nothing_is_left(runner, month, tmp_path):
    assert export(runner, month, tmp_path / "one").exit_code == 0
    second = export(runner, month, tmp_path / "two")
    assert second.exit_code != 0 and "no iCARE file written" in second.output


def test_one_template_and_bad_options(runner, month, tmp_path):
    result = export(runner, month, tmp_path, "--template", "Client Profile", "--draft")
    assert result.exit_code == 0 and "Client Profile: 2 good" in result.output
    assert export(runner, month, tmp_path, "--template", "nope").exit_code == 2
    bad_month = runner.invoke(args=["icare-export", "--agency", month.agency.code, "--month", "2026-13", "--out", str(tmp_path)])
    assert bad_month.exit_code == 2
    assert runner.invoke(args=["icare-export", "--agency", "NOPE", "--month", month.month, "--out", str(tmp_path)]).exit_code == 2


def test_a_month_with_no_data_fails_clearly(runner, month, tmp_path):
    result = runner.invoke(args=["icare-export", "--agency", month.agency.code, "--month", "2001-01", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "no iCARE file written for 2001-01" in result.output


def test_libreoffice_opens_the_final_files_column_for_column(runner, month, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("soffice is needed (Debian libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "files"
    assert export(runner, month, out).exit_code == 0
    finals = sorted(p for p in out.iterdir() if p.name.startswith("iCARE_") and "errors" not in p.name)
    assert len(finals) == 8
    profile = tmp_path / "profile"
    command = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "csv",
        "--outdir",
        str(tmp_path / "csv"),
    ]
    subprocess.run([*command, *map(str, finals)], check=True, capture_output=True, timeout=240)
    by_sheet = {}
    for path in finals:
        with open(tmp_path / "csv" / f"{path.stem}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        codes = rows[1]
        sheet = next(s for s in SPEC.values() if [c["code"] for c in s["columns"]] == codes)
        by_sheet[sheet["sheet"]] = rows
        assert rows[2] == [c["label"] for c in sheet["columns"]]
        assert len(rows) >= 4 and all(len(row) == len(codes) for row in rows[3:])
    assert set(by_sheet) == set(SPEC)
