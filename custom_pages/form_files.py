"""Files attached to a service form: uploaded from the form's page, with the same storage and
checks as the profile's files (``custom_pages/client_files.py``), kept as the client's files
(listed on the Files tab with their form) and seen exactly as the form is
(``models/visibility.py``: a file on a Private form is Private; on a program's form, the
program's)."""

from flask import current_app, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import Length

from custom_pages.client_files import new_file, read_upload
from custom_pages.client_forms import NoCsrfForm
from extensions import db
from models.clients import ClientFile


class FormFileForm(NoCsrfForm):
    description = StringField(lazy_gettext("Description"), validators=[Length(max=255)])


def files_of_form(row):
    """The form's live files the viewer may open, newest first."""
    query = select(ClientFile).where(ClientFile.form_id == row.id, ClientFile.deleted_at.is_(None))
    return db.session.scalars(query.order_by(ClientFile.uploaded_at.desc(), ClientFile.id.desc())).all()


def follow_form(row):
    """A form's files take its program and Private flag (called when the form is saved)."""
    for stored in db.session.scalars(select(ClientFile).where(ClientFile.form_id == row.id)):
        stored.program_id, stored.is_private = row.program_id, row.is_private


def has_live_files(row):
    """Whether the form holds live files (seen by the viewer or not)."""
    query = select(ClientFile.id).where(ClientFile.form_id == row.id, ClientFile.deleted_at.is_(None))
    return db.session.execute(query.execution_options(skip_visibility=True).limit(1)).first() is not None


def form_files_context(row):
    """What the form page shows of its files (session-wide forms take none: a file is a client's)."""
    if row.client_id is None:
        return {"form_files": None}
    limit = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
    return {"form_files": files_of_form(row), "upload_limit_mb": limit, "file_form": FormFileForm()}


class FormFilesMixin:
    """Of the session view: ``/<session_id>/forms/<form_id>/files/`` takes a file for the form."""

    @expose("/<int:session_id>/forms/<int:form_id>/files/", methods=("POST",))
    def upload_form_file(self, session_id, form_id):
        session = self.get_one(session_id)
        row = self._form(session, form_id)  # hidden: 403/404; seen through break-glass: read-only
        back = redirect(url_for(".service_form", session_id=session.id, form_id=row.id) + "#form-files")
        form = FormFileForm()
        upload, data, problem = read_upload()
        if row.client_id is None:
            problem = gettext("A form of the whole session takes no files: attach them to a client's form or profile.")
        if not problem and not form.validate():
            problem = " ".join(str(error) for errors in form.errors.values() for error in errors)
        if problem:
            flash(problem, "error")
            return back
        new_file(
            row.client_id,
            upload,
            data,
            form.description.data,
            form_id=row.id,
            program_id=row.program_id,
            is_private=row.is_private,
        )
        db.session.commit()
        flash(gettext("File attached to the form."), "success")
        return back
