"""Import clients (agency admins): download the template, upload a file for the dry run, then
import every row at once with a progress bar.

The checked file waits in a staging folder under a random token (with who uploaded it), so the
import reads exactly the file that was checked, checks it again and writes it in one
transaction. The import request records its progress in a small file beside it; the page's
script (``static/js/client_import.js``) posts the import and polls ``progress/`` meanwhile, and
the outcome stays there for the result page. Without scripts the form posts normally.
"""

import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import Response, abort, current_app, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from admin_views.base import ProjectView
from exports.imports import check_file, template_bytes
from extensions import db
from models.client_import import import_clients

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
KEPT_SECONDS = 24 * 3600  # staged files older than a day are removed
SHOWN = 500  # problems and duplicates listed on the page (all are counted)
SKIP, KEEP = "skip", "import"


def staging_folder():
    folder = Path(current_app.config.get("IMPORT_FOLDER") or Path(current_app.config["UPLOAD_FOLDER"]) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def staged_path(token, suffix):
    return staging_folder() / f"{token}.{suffix}"


def write_json(path, value):
    """Replace ``path`` at once (a poll never reads half a file)."""
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(value), encoding="utf-8")
    partial.replace(path)


def remove_old_files():
    cutoff = time.time() - KEPT_SECONDS
    for path in staging_folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def stage(data, filename):
    """Keep the checked file for the import step; returns its token."""
    remove_old_files()
    token = secrets.token_urlsafe(24)
    staged_path(token, "upload").write_bytes(data)
    meta = {"agency_id": current_user.agency_id, "staff_id": current_user.id, "filename": filename}
    write_json(staged_path(token, "json"), meta)
    return token


def staged_meta(token):
    """The staged file's details when it is this staff member's, else ``None``."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    try:
        meta = json.loads(staged_path(token, "json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    mine = meta.get("agency_id") == current_user.agency_id and meta.get("staff_id") == current_user.id
    return meta if mine else None


def read_progress(token):
    try:
        return json.loads(staged_path(token, "progress").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def upload_from_request():
    """``(data, filename)`` of the uploaded file, or ``(None, message)``."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None, gettext("Choose a file to upload.")
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.read(limit + 1)
    if len(data) > limit:
        return None, gettext("Files up to %(mb)s MB are accepted: split the file.", mb=limit // 2**20)
    return data, os.path.basename(upload.filename)[:200]


class ClientImportView(ProjectView):
    """Agency admins bring their existing clients in from a spreadsheet."""

    required_roles = ("agency_admin",)

    @expose("/")
    def index(self):
        token = request.args.get("token")
        result = read_progress(token) if staged_meta(token) else None
        return self.render("admin/clients/import.html", result=result, error=None)

    @expose("/template.xlsx")
    def template(self):
        headers = {"Content-Disposition": "attachment; filename=client-import-template.xlsx"}
        return Response(template_bytes(), mimetype=XLSX, headers=headers)

    @expose("/check/", methods=("POST",))
    def check(self):
        """The dry run: every problem and likely duplicate; nothing is written."""
        data, filename = upload_from_request()
        if data is None:
            return self.render("admin/clients/import.html", result=None, error=filename), 400
        result = check_file(data, filename)
        token = stage(data, filename) if result.is_valid else None
        return self.render_check(result, token)

    def render_check(self, result, token):
        problem_rows = len({p.row for p in result.problems if p.row and p.row > 1})
        return self.render(
            "admin/clients/import_check.html",
            check=result,
            token=token,
            problem_rows=problem_rows,
            shown=SHOWN,
            duplicate_rows=len({d.row for d in result.duplicates}),
        )

    @expose("/run/", methods=("POST",))
    def run(self):
        """The import: the staged file checked again and written in one transaction."""
        token = request.form.get("token")
        meta = staged_meta(token)
        if meta is None:
            abort(404)
        claimed = staged_path(token, "claimed")
        try:  # the claim: a second post of the same form (a double click) finds no file
            staged_path(token, "upload").rename(claimed)
        except FileNotFoundError:
            abort(404)
        progress = staged_path(token, "progress")
        write_json(progress, {"state": "checking", "done": 0, "total": 0})
        try:
            outcome = self.import_staged(claimed, progress, meta, request.form.get("duplicates"))
        finally:
            claimed.unlink(missing_ok=True)
        write_json(progress, outcome)
        return redirect(url_for(".index", token=token))

    def import_staged(self, path, progress, meta, choice):
        result = check_file(path.read_bytes(), meta["filename"])
        if not result.is_valid:
            return {"state": "failed", "message": gettext("The file no longer passes the check: upload it again.")}
        if result.duplicates and choice not in (SKIP, KEEP):
            return {"state": "failed", "message": gettext("Choose what to do with the likely duplicates.")}
        skipped = {d.row for d in result.duplicates} if choice == SKIP else set()
        rows = [row.values for row in result.rows if row.number not in skipped]
        try:
            ids = import_clients(
                rows,
                current_user.id,
                meta["filename"],
                lambda done, total: write_json(progress, {"state": "importing", "done": done, "total": total}),
            )
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("client import failed")
            return {"state": "failed", "message": gettext("The import failed and nothing was imported. Try again.")}
        return {"state": "done", "done": len(ids), "total": len(rows), "skipped": len(skipped), "filename": meta["filename"]}

    @expose("/progress/")
    def progress(self):
        token = request.args.get("token")
        if staged_meta(token) is None:
            abort(404)
        return jsonify(read_progress(token))
