"""Files on the client dashboard: uploaded outside ``static/`` under random names, checked by
name and by content, downloaded only through this permission-checked view."""

import io
import secrets
import zipfile
from pathlib import Path

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user

from admin_views.locking import form_labels
from custom_pages.client_dashboard import live_row
from custom_pages.client_forms import FileForm
from custom_pages.client_record_edit import edit_page
from extensions import db
from models.base import utcnow
from models.clients import ClientFile
from models.stored_files import store_on_commit
from models.visibility import require_restrict


def is_office_zip(data, folder):
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)


def is_text(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


# extension: (content type sent back, check of the file's own bytes)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", lambda data: data.startswith(b"%PDF-")),
    "png": ("image/png", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda data: is_office_zip(data, "word/"),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", lambda data: is_office_zip(data, "xl/")),
    "txt": ("text/plain", is_text),
}


def upload_problem(upload, data):
    """Why this upload is refused, or ``None`` when it is acceptable."""
    extension = Path(upload.filename or "").suffix.lower().lstrip(".")
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if not upload.filename or not data:
        return gettext("Choose a file to upload.")
    if extension not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        return gettext(
            "Files of type .%(extension)s are not accepted. Allowed: %(allowed)s.", extension=extension or "?", allowed=allowed
        )
    if len(data) > limit:
        return gettext("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024))
    if not ALLOWED_TYPES[extension][1](data):
        return gettext("The file's content is not a real .%(extension)s file.", extension=extension)
    return None


def upload_folder():
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_upload():
    """The request's upload, its bytes (read up to one past the limit) and why it is refused."""
    upload = request.files.get("file")
    data = upload.read(current_app.config["MAX_UPLOAD_BYTES"] + 1) if upload else b""
    return upload, data, upload_problem(upload, data) if upload else gettext("Choose a file to upload.")


def new_file(client_id, upload, data, description, **columns):
    """A client's file from an accepted upload, added to the session; its bytes reach the
    upload folder only if the transaction commits."""
    extension = Path(upload.filename).suffix.lower().lstrip(".")
    stored_name = secrets.token_hex(16)
    store_on_commit(db.session, upload_folder() / stored_name, data)  # on disk only if the row commits
    row = ClientFile(
        client_id=client_id,
        original_name=Path(upload.filename).name[:255],
        stored_name=stored_name,
        content_type=ALLOWED_TYPES[extension][0],
        size=len(data),
        uploaded_by_id=current_user.id,
        description=(description or "").strip(),
        **columns,
    )
    db.session.add(row)
    return row


class ClientFilesMixin:
    def _to_files(self, client):
        return redirect(url_for(".dashboard", client_id=client.id, tab="files"))

    @expose("/<int:client_id>/files/", methods=("POST",))
    def upload_file(self, client_id):
        client = self.get_one(client_id)
        form = FileForm().with_programs()
        upload, data, problem = read_upload()
        if not problem and not form.validate():
            problem = " ".join(str(error) for errors in form.errors.values() for error in errors)
        if problem:
            flash(problem, "error")
            return self._to_files(client)
        row = new_file(client.id, upload, data, form.description.data)
        form.apply_to(row)
        db.session.commit()
        flash(gettext("File uploaded."), "success")
        return self._to_files(client)

    @expose("/<int:client_id>/files/<int:file_id>/")
    def download_file(self, client_id, file_id):
        row = live_row(ClientFile, self.get_one(client_id), file_id)
        path = upload_folder() / row.stored_name
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype=row.content_type, as_attachment=True, download_name=row.original_name)

    @expose("/<int:client_id>/files/<int:file_id>/edit/", methods=("GET", "POST"))
    def edit_file(self, client_id, file_id):
        """A file's description, program and Private flag (its content is never replaced)."""
        client = self.get_one(client_id)
        row = live_row(ClientFile, client, file_id)
        form = (FileForm(obj=row) if request.method == "GET" else FileForm()).with_programs(row)
        write = lambda saved: setattr(saved, "description", (form.description.data or "").strip())  # noqa: E731
        labels = {**form_labels(form), "original_name": gettext("File name")}
        done = self._to_files(client)
        return edit_page(
            self,
            row,
            form,
            write,
            labels,
            gettext("File details saved."),
            done,
            "admin/clients/file_edit.html",
            client=client,
            row=row,
        )

    @expose("/<int:client_id>/files/<int:file_id>/delete/", methods=("POST",))
    def delete_file(self, client_id, file_id):
        client = self.get_one(client_id)
        row = live_row(ClientFile, client, file_id)
        require_restrict(row)
        row.deleted_at = utcnow()
        db.session.commit()
        (upload_folder() / row.stored_name).unlink(missing_ok=True)
        flash(gettext("File deleted."), "success")
        return self._to_files(client)
