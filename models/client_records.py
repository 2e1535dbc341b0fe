"""What the client dashboard shows of one client, read under the acting principal's rules:
live notes and files, the service history, family members, the audit tab's rows. Pages load,
authorize and render; the queries live here, where reports and the portal can use them too."""

from functools import cached_property

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db
from models.audit import AuditEvent, record_type_of
from models.clients import CaseNote, Client, ClientFile
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient
from models.visibility import refuse, restricted_query, rules

AUDIT_TAB_ROWS = 200
DATED = {CaseNote: CaseNote.created_at, ClientFile: ClientFile.uploaded_at}


def live_rows(model, client):
    """The client's notes or files that are not deleted, newest first (those the rules show)."""
    query = select(model).where(model.client_id == client.id, model.deleted_at.is_(None)).order_by(DATED[model].desc())
    return db.session.scalars(query).all()


def live_row(model, client, row_id):
    """One live note or file of this client; ``RecordRestricted`` when the rules hide it,
    ``RecordNotFound`` when there is none (another client's id included)."""
    where = (model.id == row_id, model.client_id == client.id, model.deleted_at.is_(None))
    row = db.session.scalar(select(model).where(*where))
    if row is None:
        refuse(model, row_id, *where[1:])
    return row


def hidden_session_count(client):
    """How many of the client's sessions the rules hide (shown as a count, never their content)."""
    query = restricted_query(ServiceSession, func.count(ServiceSession.id.distinct()))
    if query is None:
        return 0
    return db.session.scalar(query.join(SessionClient).where(SessionClient.client_id == client.id))


def service_history(client):
    """The client's sessions, newest first, each with the client's own forms in it."""
    query = (
        select(ServiceSession)
        .join(SessionClient)
        .where(SessionClient.client_id == client.id)
        .options(selectinload(ServiceSession.forms))
        .order_by(ServiceSession.service_date.desc(), ServiceSession.id.desc())
    )
    return [(s, [f for f in s.forms if f.client_id == client.id]) for s in db.session.scalars(query)]


def family_members(client):
    if not client.family_code:
        return []
    query = select(Client).where(Client.family_code == client.family_code, Client.id != client.id).order_by(Client.date_of_birth)
    return db.session.scalars(query).all()


def audit_rows(client, limit=AUDIT_TAB_ROWS):
    query = (
        select(AuditEvent)
        .where(AuditEvent.client_id == client.id)
        .options(selectinload(AuditEvent.staff))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return db.session.scalars(query).all()


def hidden_records(events):
    """(record type, id) of the events' records the viewer may not see: the tab names no
    fields of those (field names of a form can say what kind of help was given)."""
    hidden = set()
    for cls, rule in rules().items():
        ids = {e.record_id for e in events if e.record_type == rule.record_type and e.record_id}
        if ids:
            seen = set(db.session.scalars(select(cls.id).where(cls.id.in_(ids))))
            hidden |= {(rule.record_type, i) for i in ids - seen}
    return hidden | hidden_form_followers(events)


def form_followers():
    """Audited models recorded by one service form (a mentor match, its updates): they are as
    restricted as that form, so a Private Match form's match is hidden where the form is."""
    restricted = set(rules())
    return {
        record_type_of(mapper.class_): mapper.class_
        for mapper in db.Model.registry.mappers
        if mapper.class_ not in restricted
        and "form_id" in mapper.columns
        and any(key.column.table.name == "service_forms" for key in mapper.columns["form_id"].foreign_keys)
    }


def hidden_form_followers(events):
    hidden = set()
    for record_type, cls in form_followers().items():
        ids = {e.record_id for e in events if e.record_type == record_type and e.record_id}
        if ids:
            seen = set(db.session.scalars(select(cls.id).join(ServiceForm, cls.form_id == ServiceForm.id).where(cls.id.in_(ids))))
            hidden |= {(record_type, i) for i in ids - seen}
    return hidden


def records_present(client, models):
    """The ``models`` (each with a ``client_id``) the client has a row of, as the viewer sees them,
    in one statement: a select of the client with one correlated EXISTS per model, so that the
    tenancy and visibility criteria (``do_orm_execute``) reach the client and every subquery."""
    found = [select(model.id).where(model.client_id == Client.id).exists() for model in models]
    row = db.session.execute(select(Client.id, *found).where(Client.id == client.id)).one_or_none()
    if row is None:  # a client the viewer may not see has nothing they may see
        return set()
    return {model for model, present in zip(models, row[1:], strict=True) if present}


class Present:
    """Which of ``models`` the client has a row of: asked (``records_present``, one statement)
    the first time someone wants to know, and only then."""

    def __init__(self, client, models):
        self.client, self.models = client, tuple(models)

    @cached_property
    def found(self):
        return records_present(self.client, self.models)

    def any_of(self, models):
        if not set(models) <= set(self.models):
            raise ValueError(f"not asked about: {set(models) - set(self.models)}")
        return not self.found.isdisjoint(models)
