"""Import Employment Action Plans from a CSV export (``exports/eap_import.py``): the check (a dry
run listing every problem by row and column), then the import of every plan in one
transaction, or none. Coordinators and agency admins; the clients are the agency's own."""

from flask import Response, current_app, request, send_file
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user

from admin_views.base import ProjectView
from custom_pages.client_import import upload_from_request
from exports.eap_import import COLUMNS, check_csv, import_csv
from exports.imports import csv_text
from extensions import db
from models.audit import record_event
from models.reference import DATA_DIR

SAMPLE = DATA_DIR / "eap_import_sample.csv"


def file_from_request():
    """``(data, filename)`` from the upload, or from the checked file sent back by the import
    button (its text in a hidden field); ``(None, message)`` when there is none."""
    if "content" in request.form and not request.files.get("file"):
        data = request.form["content"].encode("utf-8")
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        if len(data) > limit:
            return None, gettext("Files up to %(mb)s MB are accepted: split the file.", mb=limit // 2**20)
        return data, request.form.get("filename", "")[:200]
    return upload_from_request()


class EapImportView(ProjectView):
    required_roles = ("agency_admin", "coordinator")

    @expose("/")
    def index(self):
        return self.render("admin/eap/import.html", check=None, error=None, columns=COLUMNS)

    @expose("/sample.csv")
    def sample(self):
        return send_file(SAMPLE, mimetype="text/csv", as_attachment=True, download_name="eap-import-sample.csv")

    @expose("/template.csv")
    def template(self):
        headers = {"Content-Disposition": "attachment; filename=eap-import-template.csv"}
        return Response(",".join(COLUMNS) + "\r\n", mimetype="text/csv", headers=headers)

    @expose("/check/", methods=("POST",))
    def check(self):
        """The dry run: every problem by row and column; nothing is written."""
        data, filename = file_from_request()
        if data is None:
            return self.render("admin/eap/import.html", check=None, error=filename, columns=COLUMNS), 400
        result = check_csv(data, filename)
        content = csv_text(data) if result.is_valid else ""  # sent back as the check read it (UTF-8 or Windows-1252)
        page = self.render("admin/eap/import.html", check=result, error=None, columns=COLUMNS, content=content, filename=filename)
        return page, 200 if result.is_valid else 400

    @expose("/run/", methods=("POST",))
    def run(self):
        """The import: the file checked again and every plan written in one transaction, or none."""
        data, filename = file_from_request()
        if data is None:
            return self.render("admin/eap/import.html", check=None, error=filename, columns=COLUMNS), 400
        result = import_csv(data, filename, current_user)
        if not result.is_valid:
            db.session.rollback()
            return self.render("admin/eap/import.html", check=result, error=None, columns=COLUMNS), 400
        record_event("import", "employment_action_plan", detail=f"{filename}: {len(result.cases)} plans")
        db.session.commit()
        return self.render("admin/eap/import.html", check=result, error=None, columns=COLUMNS, imported=True)
