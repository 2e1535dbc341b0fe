"""The bytes of a service form's files leave the disk with the form: deleting a form, or a
session with its forms, deletes their ``ClientFile`` rows (``ON DELETE CASCADE``), and the
stored files are removed once that transaction commits (a rollback keeps them)."""

from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from models.clients import ClientFile
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession
from models.stored_files import remove_on_commit


def deleted_ids(session, model):
    return {row.id for row in session.deleted if isinstance(row, model) and row.id is not None}


def files_of_deleted_forms(session):
    """Stored names of the files on forms (or on sessions' forms) deleted in this flush."""
    form_ids, session_ids = deleted_ids(session, ServiceForm), deleted_ids(session, ServiceSession)
    if not form_ids and not session_ids:
        return []
    on_forms = select(ServiceForm.id).where(ServiceForm.session_id.in_(session_ids)) if session_ids else None
    wanted = [ClientFile.form_id.in_(form_ids)] + ([ClientFile.form_id.in_(on_forms)] if on_forms is not None else [])
    query = select(ClientFile.stored_name).where(or_(*wanted)).execution_options(skip_visibility=True)
    with session.no_autoflush:
        return list(session.scalars(query))


@event.listens_for(Session, "before_flush")
def _forget_files_of_deleted_forms(session, flush_context, instances):
    if not has_app_context():
        return
    names = files_of_deleted_forms(session)
    if names:
        folder = Path(current_app.config["UPLOAD_FOLDER"])
        remove_on_commit(session, [folder / name for name in names])
