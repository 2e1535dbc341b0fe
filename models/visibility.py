"""Who may see which records inside an agency, applied by the same ORM hook as tenancy.

The rules, for a signed-in staff member (the *viewer*):

- A service form, session, case note or file created in a program is visible to that program's
  members, to coordinators (their own programs and their team's), to the people who wrote it or
  lead it, to the coordinators of those people, and to agency admins. One in no program is
  visible to everyone in the agency. The client profile itself is agency-wide.
- A Private form, case note or file is visible only to its author and the author's manager
  (coordinator). Agency admins are no exception: they, like anyone, open such a record only
  through break-glass (``models/break_glass.py``): a reason, logged, the owner told.
- A break-glass grant makes one record visible to the one staff member for a short time.

Counts are not affected where they use their own aliases (the completeness clause), and
``restricted_query`` lists what the rules hide with tenancy still applied, for "Restricted"
rows that show that a record exists, never its content.
"""

from dataclasses import dataclass, field

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import and_, not_, or_, select, true

SKIP_VISIBILITY = "skip_visibility"
skip_visibility_options = {SKIP_VISIBILITY: True}


@dataclass(frozen=True)
class Viewer:
    staff_id: int
    role: str
    program_ids: tuple
    team_ids: tuple  # the people this staff member manages
    grants: dict = field(default_factory=dict)  # record type -> ids opened through break-glass


@dataclass(frozen=True)
class Rule:
    """How one restricted model names its owners, program and Private flag."""

    record_type: str
    owner_columns: tuple  # attribute names of the staff who own a row (author, lead...)
    private_column: str | None = None
    extra: object = None  # ``lambda cls, viewer: condition`` that also makes a row visible
    dated: str = "created_at"  # the column that dates a row on "Restricted" lists


def _session_staff_member(cls, viewer):
    from models.service_sessions import session_staff

    return cls.id.in_(select(session_staff.c.session_id).where(session_staff.c.staff_id == viewer.staff_id))


def rules():
    """The restricted models and their rule (imported late: models import this module)."""
    from models.clients import CaseNote, ClientFile
    from models.service_forms import ServiceForm
    from models.service_sessions import ServiceSession

    return {
        ServiceForm: Rule("service_form", ("author_id",), "is_private"),
        CaseNote: Rule("case_note", ("author_id",), "is_private"),
        ClientFile: Rule("client_file", ("uploaded_by_id",), "is_private", dated="uploaded_at"),
        ServiceSession: Rule("service_session", ("lead_staff_id", "created_by_id"), extra=_session_staff_member),
    }


def rule_for_type(record_type):
    return next((cls, rule) for cls, rule in rules().items() if rule.record_type == record_type)


def current_viewer():
    """The signed-in staff member's visibility facts, read once per request; ``None`` outside
    a signed-in request (CLI commands and tests use ``tenant_scope`` and see every record)."""
    if "tenant_agency_id" in g or not has_request_context() or not current_user.is_authenticated:
        return None
    if "viewer" not in g:
        g.viewer = load_viewer(current_user.id, current_user.role)
    return g.viewer


def forget_viewer():
    """Drop the cached facts (after a break-glass grant, within the same request)."""
    g.pop("viewer", None)
    g.pop("visibility_options", None)


def load_viewer(staff_id, role):
    from extensions import db
    from models.base import utcnow
    from models.break_glass import BreakGlassGrant
    from models.staff import Staff, staff_programs
    from models.tenancy import unscoped_options

    run = lambda query: tuple(db.session.execute(query, execution_options=unscoped_options).scalars())  # noqa: E731
    # Only a coordinator manages a team: an admin or worker named as someone's manager (or a
    # coordinator moved to another role) gains nothing over that person's records.
    team = run(select(Staff.id).where(Staff.manager_id == staff_id)) if role == "coordinator" else ()
    members = (staff_id, *team)
    programs = run(select(staff_programs.c.program_id).where(staff_programs.c.staff_id.in_(members)).distinct())
    grants = {}
    query = select(BreakGlassGrant.record_type, BreakGlassGrant.record_id).where(
        BreakGlassGrant.staff_id == staff_id, BreakGlassGrant.expires_at > utcnow()
    )
    for record_type, record_id in db.session.execute(query, execution_options=unscoped_options):
        grants.setdefault(record_type, set()).add(record_id)
    return Viewer(staff_id, role, programs, team, {key: tuple(ids) for key, ids in grants.items()})


def people_of(viewer):
    """The viewer and, for a coordinator, their team: the people whose records count as theirs."""
    return (viewer.staff_id, *viewer.team_ids)


def visible_clause(viewer, cls, rule=None, grants=True):
    """The condition on ``cls`` for what ``viewer`` may see (``grants=False``: without
    break-glass openings, which are read-only)."""
    rule = rule or rules()[cls]
    people = people_of(viewer)
    owned = or_(*(getattr(cls, name).in_(people) for name in rule.owner_columns))
    if rule.extra is not None:
        owned = or_(owned, rule.extra(cls, viewer))
    if viewer.role == "agency_admin":
        in_program = true()
    else:
        in_program = or_(cls.program_id.is_(None), cls.program_id.in_(viewer.program_ids), owned)
    not_private = or_(getattr(cls, rule.private_column).is_(False), owned) if rule.private_column else true()
    if not grants or not viewer.grants.get(rule.record_type):
        return and_(in_program, not_private)
    return or_(and_(in_program, not_private), cls.id.in_(viewer.grants[rule.record_type]))


def loader_criteria(viewer):
    """``with_loader_criteria`` options for every restricted model (added by the tenancy hook),
    built once per request and viewer: building the expressions costs more than running them."""
    from sqlalchemy.orm import with_loader_criteria

    cached = g.get("visibility_options")
    if cached is None or cached[0] is not viewer:
        options = tuple(
            with_loader_criteria(cls, visible_clause(viewer, cls, rule), include_aliases=True) for cls, rule in rules().items()
        )
        cached = g.visibility_options = (viewer, options)
    return cached[1]


def restricted_query(cls, *columns):
    """A scoped select of ``columns`` of the ``cls`` rows the viewer may NOT see (tenancy still
    applies); ``None`` when the viewer sees everything. Select metadata only, never content."""
    viewer = current_viewer()
    if viewer is None:
        return None
    return select(*columns).where(not_(visible_clause(viewer, cls))).execution_options(**skip_visibility_options)


def may_change(row):
    """Whether the viewer may edit or delete ``row``: seeing it through break-glass is read-only."""
    from extensions import db

    viewer = current_viewer()
    if viewer is None:
        return True
    cls = type(row)
    query = select(cls.id).where(cls.id == row.id, visible_clause(viewer, cls, grants=False))
    return db.session.execute(query.execution_options(**skip_visibility_options)).first() is not None


READ_ONLY = "You opened this record through break-glass: you can read it, not change it."
NOT_OWNER = "Only its author, the author's coordinator or an agency admin can move, make private or delete this record."


def require_change(row):
    """Stop a write to a row the viewer sees only through break-glass (403 with the reason)."""
    from flask import abort

    if type(row) in rules() and not may_change(row):
        abort(403, READ_ONLY)


def require_restrict(row):
    """Stop a change of program or Private flag, or a delete, by someone who is not the owner."""
    from flask import abort

    require_change(row)
    if not may_restrict(row):
        abort(403, NOT_OWNER)


def may_restrict(row):
    """Whether the viewer may change ``row``'s program or Private flag: its owner, the owner's
    coordinator, or an agency admin for a record that is not Private."""
    viewer = current_viewer()
    if viewer is None:
        return True
    rule = rules()[type(row)]
    people = people_of(viewer)
    if any(getattr(row, name) in people for name in rule.owner_columns):
        return True
    return viewer.role == "agency_admin" and not (rule.private_column and getattr(row, rule.private_column))


def restricted_about(cls, client_id, live_only=True):
    """A client's notes, files or forms the viewer may not open, newest first, as dicts of what
    may be said of them (id, owner, date, Private, program): never their content."""
    from extensions import db
    from models.agencies import Program
    from models.staff import Staff

    rule = rules()[cls]
    at = getattr(cls, rule.dated)
    query = restricted_query(cls, cls.id, getattr(cls, rule.owner_columns[0]), at, cls.is_private, cls.program_id)
    if query is None:
        return []
    query = query.where(cls.client_id == client_id).order_by(at.desc())
    if live_only and hasattr(cls, "deleted_at"):
        query = query.where(cls.deleted_at.is_(None))
    rows = db.session.execute(query).all()
    people = {s.id: s for s in db.session.scalars(select(Staff).where(Staff.id.in_({r[1] for r in rows})))}
    programs = {p.id: p for p in db.session.scalars(select(Program).where(Program.id.in_({r[4] for r in rows})))}
    return [
        {
            "id": r[0],
            "owner": people.get(r[1]),
            "at": r[2],
            "is_private": r[3],
            "program": programs.get(r[4]),
            "kind": rule.record_type,
        }
        for r in rows
    ]


def can_see(cls, row_id):
    """Whether the viewer may see this row (``False`` also when it does not exist)."""
    from extensions import db

    return db.session.scalar(select(cls.id).where(cls.id == row_id)) is not None


class RecordRestricted(Exception):
    """The record exists in the agency but the program or Private rules hide it from the viewer:
    answered with a 403 page that offers break-glass, never with the record's content."""

    def __init__(self, record_type, record_id):
        super().__init__(f"{record_type} {record_id} is restricted")
        self.record_type, self.record_id = record_type, record_id


def refuse(cls, row_id, *where):
    """Stop a request for a row the viewer cannot see: ``RecordRestricted`` (403) when the row
    exists in the agency but is hidden by the rules, 404 otherwise."""
    from flask import abort

    from extensions import db

    rule = rules().get(cls)
    query = restricted_query(cls, cls.id) if rule is not None else None
    if query is not None and db.session.execute(query.where(cls.id == row_id, *where)).first() is not None:
        raise RecordRestricted(rule.record_type, row_id)
    abort(404)


class ReadOnlyRecord(Exception):
    """A write the rules do not allow (a record seen through break-glass, or a delete by someone
    who is not on the owner's side): refused by the flush guard below, answered with a 403."""


def _orphans(session):
    """Rows a flush is about to delete because they were removed from a delete-orphan collection."""
    from sqlalchemy import inspect

    for obj in session.dirty:
        state = inspect(obj)
        for rel in state.mapper.relationships:
            if rel.cascade.delete_orphan and rel.key in state.dict:
                yield from state.attrs[rel.key].history.deleted


def undeletable_forms(session_row, viewer, client_id=None):
    """How many forms of this service session (one client's, when given) ``viewer`` may not
    delete: hidden from them, seen only through break-glass, or not on their owner's side.
    Deleting a session deletes all its forms (the database cascades those not loaded), and
    removing a client from it deletes theirs."""
    from extensions import db
    from models.service_forms import ServiceForm

    if viewer is None:
        return 0
    columns = (ServiceForm.id, ServiceForm.author_id, ServiceForm.is_private)
    query = select(*columns).where(ServiceForm.session_id == session_row.id)
    if client_id is not None:
        query = query.where(ServiceForm.client_id == client_id)
    rows = db.session.execute(query.execution_options(**skip_visibility_options)).all()
    visible = set()
    if rows:
        ids = [row[0] for row in rows]
        check = select(ServiceForm.id).where(ServiceForm.id.in_(ids), visible_clause(viewer, ServiceForm, grants=False))
        visible = set(db.session.scalars(check.execution_options(**skip_visibility_options)))
    people = people_of(viewer)
    return sum(
        1
        for form_id, author_id, private in rows
        if form_id not in visible or not (author_id in people or (viewer.role == "agency_admin" and not private))
    )


def guard_writes(session):
    """The one place that keeps writes within the rules, whatever page or panel makes them:
    a restricted row may be changed only by someone who sees it without break-glass, and deleted
    only by its owner's side; a session only when every form it holds may go too."""
    from extensions import db

    viewer = current_viewer()
    if viewer is None:
        return
    changed = [obj for obj in session.dirty if type(obj) in rules() and session.is_modified(obj, include_collections=False)]
    deleted = [obj for obj in [*session.deleted, *_orphans(session)] if type(obj) in rules() and obj.id is not None]
    by_class = {}
    for obj in changed + deleted:
        by_class.setdefault(type(obj), set()).add(obj.id)
    for cls, ids in by_class.items():
        query = select(cls.id).where(cls.id.in_(ids), visible_clause(viewer, cls, grants=False))
        allowed = set(db.session.scalars(query.execution_options(**skip_visibility_options)))
        if ids - allowed:
            raise ReadOnlyRecord(READ_ONLY)
    for obj in deleted:
        if not may_restrict(obj):
            raise ReadOnlyRecord(NOT_OWNER)
        if type(obj).__name__ == "ServiceSession" and undeletable_forms(obj, viewer):
            raise ReadOnlyRecord(
                "This session holds forms you may not delete (of another program, private, or not yours). "
                "Ask their author or a coordinator."
            )
