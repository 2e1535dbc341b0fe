"""Resumes and cover letters of a client (``career_documents/sections.py`` describes them).

A document has one author: the client (written in the portal) or one staff member. Only the
author edits or deletes it; everyone else who sees it (the client's caseworkers on the
dashboard, the client in the portal) may read it, download its PDF and duplicate it into a
copy of their own. The rule is here, not in the pages: ``require_author`` raises
``NotTheAuthor`` (a 403, nothing saved) and a ``before_flush`` hook refuses any change or
delete of a document by someone else, whichever page or job tries. Rows carry ``client_id``
and ``portal_scope = "own"``: a portal client reads only their own client's documents; staff
read them as they read the client's job search (the client dashboard's rules).
"""

from flask_babel import gettext, lazy_gettext
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from career_documents import KINDS
from career_documents.builder import filled, normalised
from extensions import db
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry, ReadOnlyRecord
from models.job_postings import JobPosting, open_postings
from models.job_search import JobLead, leads_of
from models.principal import current_principal
from models.tenancy import AgencyOwned

AUTHOR_KINDS = ("client", "staff")
GUARDED = ("title", "content", "posting_id", "lead_id", "author_kind", "author_staff_id", "kind")


class NotTheAuthor(ReadOnlyRecord):
    """A change or delete of a resume or cover letter by someone who did not write it."""

    def __init__(self):
        super().__init__(gettext("Only the author of this document can change or delete it. Duplicate it to have your own copy."))


class CareerDocument(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "career_documents"
    portal_scope = "own"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.Enum(*KINDS, name="career_document_kind", native_enum=False), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    content = db.Column(db.JSON, nullable=False, default=dict)
    author_kind = db.Column(db.Enum(*AUTHOR_KINDS, name="career_document_author", native_enum=False), nullable=False)
    author_staff_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    posting_id = db.Column(db.Integer, db.ForeignKey("job_postings.id", ondelete="SET NULL"))
    lead_id = db.Column(db.Integer, db.ForeignKey("job_leads.id", ondelete="SET NULL"))
    copied_from_id = db.Column(db.Integer, db.ForeignKey("career_documents.id", ondelete="SET NULL"))

    author_staff = db.relationship("Staff")
    client = db.relationship("Client")
    posting = db.relationship(JobPosting)
    lead = db.relationship(JobLead)

    @property
    def description(self):
        return KINDS[self.kind]

    @property
    def sections(self):
        """The content with every section of the description, for the view, builder and PDF."""
        return normalised(self.content, self.description)

    @property
    def filled_sections(self):
        return filled(self.description, self.sections)

    @property
    def linked_posting(self):
        return self.lead.posting if self.lead is not None else self.posting

    @property
    def author_name(self):
        if self.author_kind == "client":
            return self.client.display_name if self.client else lazy_gettext("the client")
        return self.author_staff.name if self.author_staff else lazy_gettext("a former staff member")


def author_fields(principal):
    """``(author_kind, author_staff_id)`` of what ``principal`` writes."""
    if principal is not None and principal.kind == "client":
        return "client", None
    if principal is not None and principal.kind == "staff":
        return "staff", principal.staff_id
    raise ReadOnlyRecord(gettext("Only the client or a staff member writes resumes and cover letters."))


def is_author(document, principal=None):
    principal = principal or current_principal()
    if principal is None:
        return False
    if principal.kind == "client":
        return document.author_kind == "client" and document.client_id == principal.client_id
    return principal.kind == "staff" and document.author_kind == "staff" and document.author_staff_id == principal.staff_id


def require_author(document, principal=None):
    if not is_author(document, principal):
        raise NotTheAuthor()


@event.listens_for(Session, "before_flush")
def _only_the_author_writes(session, flush_context, instances):
    """Whatever the page: a document's content, title, link or author changes, and it is
    deleted, only by its author (the demo and system jobs, which no page runs as, may)."""
    principal = current_principal()
    if principal is not None and (principal.is_everything or principal.kind == "system"):
        return  # the demo, and jobs under their declaration (retention forgets a client's documents)
    for obj in session.deleted:
        if isinstance(obj, CareerDocument):
            require_author(obj, principal)
    for obj in session.dirty:
        if isinstance(obj, CareerDocument) and changed_guarded(obj):
            require_author(committed_copy(obj), principal)


def changed_guarded(obj):
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in GUARDED)


def committed_copy(obj):
    """The author as the row was read (a change of author is judged on the old one)."""
    state = inspect(obj)
    copy = CareerDocument(client_id=obj.client_id)
    for name in ("author_kind", "author_staff_id", "client_id"):
        history = state.attrs[name].history
        setattr(copy, name, history.deleted[0] if history.deleted else getattr(obj, name))
    return copy


def forget_documents(client):
    """Retention: the client's resumes and cover letters identify them and nobody else: they go
    (the caller flushes)."""
    for row in db.session.scalars(select(CareerDocument).where(CareerDocument.client_id == client.id)):
        db.session.delete(row)


def documents_of(client, kind):
    query = select(CareerDocument).where(CareerDocument.client_id == client.id, CareerDocument.kind == kind)
    return db.session.scalars(query.order_by(CareerDocument.updated_at.desc(), CareerDocument.id.desc())).all()


def find_document(client, document_id, kind=None):
    """The client's document by id as the acting principal reads it, or ``None``."""
    query = select(CareerDocument).where(CareerDocument.id == document_id, CareerDocument.client_id == client.id)
    if kind is not None:
        query = query.where(CareerDocument.kind == kind)
    return db.session.scalar(query)


def link_choices(client):
    """A cover letter's posting: ``[(value, label)]``, the client's job leads then the agency's open postings."""
    leads = leads_of(client)
    taken = {lead.posting_id for lead in leads}
    choices = [(f"lead:{lead.id}", gettext("My lead: %(title)s", title=posting_label(lead.posting))) for lead in leads]
    choices += [(f"posting:{p.id}", posting_label(p)) for p in open_postings() if p.id not in taken]
    return choices


def posting_label(posting):
    return str(posting)


def link_value(document):
    if document.lead_id:
        return f"lead:{document.lead_id}"
    return f"posting:{document.posting_id}" if document.posting_id else ""


def resolve_link(client, value, current=""):
    """``(posting_id, lead_id)`` for a chosen link; refused when it is not one of the choices
    (or the document's ``current`` link, a posting that has closed since)."""
    if not value:
        return None, None
    if value != current and value not in {choice for choice, _ in link_choices(client)}:
        raise InvalidEntry("link", gettext("Choose a posting of the list."))
    what, _, row_id = value.partition(":")
    return (None, int(row_id)) if what == "lead" else (int(row_id), None)


def new_document(client, kind, title, content, principal, link=(None, None)):
    """A document written by ``principal`` (the caller checked the content and commits)."""
    author_kind, staff_id = author_fields(principal)
    document = CareerDocument(agency_id=client.agency_id, client_id=client.id, kind=kind, title=title, content=content)
    document.author_kind, document.author_staff_id = author_kind, staff_id
    document.posting_id, document.lead_id = link
    db.session.add(document)
    return document


def update_document(document, title, content, principal, link=(None, None)):
    require_author(document, principal)
    document.title, document.content = title, content
    document.posting_id, document.lead_id = link


def delete_document(document, principal):
    require_author(document, principal)
    db.session.delete(document)


def duplicate(document, principal):
    """A copy of ``document`` of the client's, written by ``principal``."""
    title = gettext("Copy of %(title)s", title=document.title)[:200]
    copy = new_document(
        document.client,
        document.kind,
        title,
        normalised(document.content, document.description),
        principal,
        (document.posting_id, document.lead_id),
    )
    copy.copied_from_id = document.id
    return copy
