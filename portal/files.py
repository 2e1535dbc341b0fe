"""My files: the staff files shared with me and my own uploads (PDF or Word, checked by name,
size and content exactly as staff uploads are: ``custom_pages/client_files.upload_problem``)."""

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import Length

from custom_pages.client_files import ALLOWED_TYPES, upload_folder, upload_problem
from extensions import db
from models.base import utcnow
from models.clients import ClientFile
from models.portal_files import PORTAL_UPLOAD_TYPES, PortalUpload, live_upload, uploads_of
from models.stored_files import store_on_commit
from portal.blueprint import bp, portal_page


@dataclass(frozen=True)
class FileRow:
    kind: str  # "shared" or "mine"
    id: int
    name: str
    description: str
    size: int
    at: datetime


class UploadForm(FlaskForm):
    description = StringField(lazy_gettext("Description"), validators=[Length(max=255)])


def shared_files():
    """Staff files shared with the client (the rules add ``is_shared_with_client``)."""
    query = select(ClientFile).where(ClientFile.client_id == g.portal_client.id, ClientFile.deleted_at.is_(None))
    return db.session.scalars(query.order_by(ClientFile.uploaded_at.desc())).all()


def visible_files():
    rows = [FileRow("shared", f.id, f.original_name, f.description, f.size, f.uploaded_at) for f in shared_files()]
    rows += [FileRow("mine", u.id, u.original_name, u.description, u.size, u.uploaded_at) for u in uploads_of(g.portal_client)]
    return sorted(rows, key=lambda row: row.at, reverse=True)


@bp.route("/files")
@portal_page
def files():
    limit_mb = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
    return render_template("portal/files.html", rows=visible_files(), form=UploadForm(), limit_mb=limit_mb)


def portal_upload_problem(upload, data):
    extension = Path(upload.filename or "").suffix.lower().lstrip(".") if upload else ""
    if upload and upload.filename and extension not in PORTAL_UPLOAD_TYPES:
        return gettext("Upload a PDF (.pdf) or Word (.docx) file.")
    return upload_problem(upload, data) if upload else gettext("Choose a file to upload.")


@bp.route("/files/upload", methods=("POST",))
@portal_page
def upload():
    form = UploadForm()
    upload = request.files.get("file")
    data = upload.read(current_app.config["MAX_UPLOAD_BYTES"] + 1) if upload else b""
    problem = portal_upload_problem(upload, data)
    if not problem and not form.validate():
        problem = " ".join(error for errors in form.errors.values() for error in errors)
    if problem:
        flash(problem, "error")
        return redirect(url_for("portal.files"))
    extension = Path(upload.filename).suffix.lower().lstrip(".")
    stored_name = secrets.token_hex(16)
    store_on_commit(db.session, upload_folder() / stored_name, data)  # on disk only if the row commits
    row = PortalUpload(client_id=g.portal_client.id, original_name=Path(upload.filename).name[:255], stored_name=stored_name)
    row.content_type, row.size, row.description = ALLOWED_TYPES[extension][0], len(data), (form.description.data or "").strip()
    db.session.add(row)
    db.session.commit()
    flash(gettext("File uploaded."), "success")
    return redirect(url_for("portal.files"))


def send_stored(stored_name, content_type, name):
    path = upload_folder() / stored_name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=content_type, as_attachment=True, download_name=name)


@bp.route("/files/shared/<int:file_id>")
@portal_page
def shared_file(file_id):
    row = db.session.scalar(select(ClientFile).where(ClientFile.id == file_id, ClientFile.deleted_at.is_(None)))
    if row is None:
        abort(404)
    return send_stored(row.stored_name, row.content_type, row.original_name)


@bp.route("/files/mine/<int:upload_id>")
@portal_page
def my_file(upload_id):
    row = live_upload(upload_id)
    if row is None:
        abort(404)
    return send_stored(row.stored_name, row.content_type, row.original_name)


@bp.route("/files/mine/<int:upload_id>/delete", methods=("POST",))
@portal_page
def delete_my_file(upload_id):
    row = live_upload(upload_id)
    if row is None:
        abort(404)
    row.deleted_at = utcnow()
    db.session.commit()
    (upload_folder() / row.stored_name).unlink(missing_ok=True)
    flash(gettext("File deleted."), "success")
    return redirect(url_for("portal.files"))
