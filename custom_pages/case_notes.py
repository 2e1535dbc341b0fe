"""Case notes on the client dashboard: add, edit, soft delete, with author and time."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user

from admin_views.locking import form_labels
from custom_pages.client_dashboard import live_row
from custom_pages.client_forms import NoteForm
from custom_pages.client_record_edit import edit_page
from extensions import db
from models.base import utcnow
from models.clients import CaseNote
from models.visibility import require_restrict


class CaseNotesMixin:
    def _to_notes(self, client):
        return redirect(url_for(".dashboard", client_id=client.id, tab="notes"))

    @expose("/<int:client_id>/notes/", methods=("POST",))
    def add_note(self, client_id):
        client = self.get_one(client_id)
        form = NoteForm().with_programs()
        if form.validate():
            note = CaseNote(client_id=client.id, author_id=current_user.id, body=form.body.data.strip())
            form.apply_to(note)
            db.session.add(note)
            db.session.commit()
            flash(gettext("Note added."), "success")
        else:
            flash(" ".join(str(error) for errors in form.errors.values() for error in errors), "error")
        return self._to_notes(client)

    @expose("/<int:client_id>/notes/<int:note_id>/edit/", methods=("GET", "POST"))
    def edit_note(self, client_id, note_id):
        client = self.get_one(client_id)
        note = live_row(CaseNote, client, note_id)
        form = (NoteForm(obj=note) if request.method == "GET" else NoteForm()).with_programs(note)
        write = lambda row: setattr(row, "body", form.body.data.strip())  # noqa: E731
        done = self._to_notes(client)
        return edit_page(
            self,
            note,
            form,
            write,
            form_labels(form),
            gettext("Note saved."),
            done,
            "admin/clients/note_edit.html",
            client=client,
            note=note,
        )

    @expose("/<int:client_id>/notes/<int:note_id>/delete/", methods=("POST",))
    def delete_note(self, client_id, note_id):
        """Soft delete: the note disappears from the tab but stays in the database."""
        client = self.get_one(client_id)
        note = live_row(CaseNote, client, note_id)
        require_restrict(note)
        note.deleted_at, note.deleted_by_id = utcnow(), current_user.id
        db.session.commit()
        flash(gettext("Note deleted."), "success")
        return self._to_notes(client)
