"""Who may see which records inside an agency, applied by the same ORM hook as tenancy.

The rules, for a signed-in staff member (the *viewer*):

- A service form, session, case note or file created in a program is visible to that program's
  members, to coordinators (their own programs and their team's), to the people who wrote it or
  lead it, to the coordinators of those people, and to agency admins. One in no program is
  visible to everyone in the agency. The client profile itself is agency-wide.
- A Private form, case note or file is visible only to its author and the author's manager
  (coordinator). Agency admins are no exception: they, like anyone, open such a record only
  through break-glass (``models/break_glass.py``): a reason, logged, the owner told.
- A referral follows the rules of forms: its program (the one it was made in), its Private
  flag and its owner, the referring staff member.
- A task is seen by the people it concerns (who gave it, who it is for, their coordinator) and,
  by anyone else in the agency, as the referral it is about: a task on a Private referral tells
  no one else what the referral is. A client sees the tasks given to them in the portal.
- A break-glass grant makes one record visible to the one staff member for a short time.

Counts are not affected where they use their own aliases (the completeness clause), and
``restricted_query`` lists what the rules hide with tenancy still applied, for "Restricted"
rows that show that a record exists, never its content.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from flask import g
from flask_babel import lazy_gettext
from sqlalchemy import and_, event, false, literal_column, not_, or_, select, true, union_all
from sqlalchemy.orm import Session, with_loader_criteria

from extensions import db
from models.agencies import Program
from models.base import utcnow
from models.break_glass import BreakGlassGrant
from models.clients import CaseNote, Client, ClientAssignment, ClientFile
from models.errors import ReadOnlyRecord, RecordNotFound, RecordRestricted
from models.principal import ALL, NONE, OPEN, current_principal
from models.referrals import Referral
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, session_staff
from models.staff import Staff, staff_programs
from models.tasks import Task
from models.tenancy import AgencyOwned, SharedBetweenAgencies, is_scoped, unscoped_options

SKIP_VISIBILITY = "skip_visibility"
skip_visibility_options = {SKIP_VISIBILITY: True}


@dataclass(frozen=True)
class Viewer:
    """A staff member's visibility facts."""

    staff_id: int
    role: str
    program_ids: tuple
    team_ids: tuple  # the people this staff member manages
    grants: dict = field(default_factory=dict)  # record type -> ids opened through break-glass


@dataclass(frozen=True)
class JobViewer:
    """A system job: it reads what its declaration says (``models/principal.py``)."""

    declaration: object


@dataclass(frozen=True)
class PortalViewer:
    """A client in the portal: their own client row; no restricted record (until the portal
    declares what it shows)."""

    client_id: int


@dataclass(frozen=True)
class Rule:
    """How one restricted model names its owners, program and Private flag."""

    record_type: str
    owner_columns: tuple  # attribute names of the staff who own a row (author, lead...)
    private_column: str | None = None
    extra: object = None  # ``lambda cls, viewer: condition`` that also makes a row visible
    dated: str = "created_at"  # the column that dates a row on "Restricted" lists
    follows: tuple | None = None  # (column, model): a row with that column set is seen exactly as the row it names
    portal: object = None  # ``lambda cls, client_id: condition``: what a portal client sees (else nothing)
    program_column: str | None = "program_id"  # ``None``: the rows are in no program
    owners_see_all: bool = False  # the owners (and their coordinator) see a row whatever it follows


def _session_staff_member(cls, viewer):
    return cls.id.in_(select(session_staff.c.session_id).where(session_staff.c.staff_id == viewer.staff_id))


def _shared_with_client(cls, client_id):
    return and_(cls.client_id == client_id, cls.is_shared_with_client.is_(True), cls.is_private.is_(False))


def _given_to_client(cls, client_id):
    return and_(cls.client_id == client_id, cls.assignee_kind == "client")


def rules():
    """The restricted models and their rule."""
    return {
        ServiceForm: Rule("service_form", ("author_id",), "is_private"),
        CaseNote: Rule("case_note", ("author_id",), "is_private"),
        ClientFile: Rule(
            "client_file",
            ("uploaded_by_id",),
            "is_private",
            dated="uploaded_at",
            follows=("form_id", ServiceForm),  # a file on a service form: as the form (program, Private, author)
            portal=_shared_with_client,
        ),
        ServiceSession: Rule("service_session", ("lead_staff_id", "created_by_id"), extra=_session_staff_member),
        Referral: Rule("referral", ("referring_staff_id",), "is_private"),  # as forms: program, Private, referrer
        Task: Rule(
            "task",
            ("created_by_id", "assigned_to_id"),
            dated="due_date",
            follows=("referral_id", Referral),  # a task about a referral: as the referral, for anyone else
            portal=_given_to_client,
            program_column=None,
            owners_see_all=True,
        ),
    }


def rule_for_type(record_type):
    return next((cls, rule) for cls, rule in rules().items() if rule.record_type == record_type)


def current_viewer():
    """The acting principal's visibility facts (a staff member's read once per request), or
    ``None`` when no rule applies: nobody is acting (tenancy then hides everything) or the
    ``ALL_AGENCIES`` escape hatch."""
    principal = current_principal()
    if principal is None or principal.is_everything:
        return None
    if principal.kind == "system":
        return JobViewer(principal.declaration)
    if principal.kind == "client":
        return PortalViewer(principal.client_id)
    cached = g.get("viewer")
    if cached is None or cached[0] != principal:
        cached = g.viewer = (principal, load_viewer(principal.staff_id, principal.role))
    return cached[1]


def forget_viewer():
    """Drop the cached facts (after a break-glass grant, within the same request)."""
    g.pop("viewer", None)
    g.pop("visibility_options", None)


def load_viewer(staff_id, role):
    """The viewer's team, programs and live break-glass grants, in one statement (a request reads
    them once: ``current_viewer``)."""
    # Only a coordinator manages a team: an admin or worker named as someone's manager (or a
    # coordinator moved to another role) gains nothing over that person's records.
    grants = select(literal_column("'grant'"), BreakGlassGrant.record_id, BreakGlassGrant.record_type).where(
        BreakGlassGrant.staff_id == staff_id, BreakGlassGrant.expires_at > utcnow()
    )
    members = staff_programs.c.staff_id == staff_id
    facts = [grants]
    if role == "coordinator":
        team = select(Staff.id).where(Staff.manager_id == staff_id)
        members = or_(members, staff_programs.c.staff_id.in_(team.scalar_subquery()))
        facts.append(select(literal_column("'team'"), Staff.id, literal_column("''")).where(Staff.manager_id == staff_id))
    facts.append(select(literal_column("'program'"), staff_programs.c.program_id, literal_column("''")).where(members))
    facts = union_all(*facts)
    team_ids, programs, grants = set(), set(), {}
    for fact, row_id, record_type in db.session.execute(facts, execution_options=unscoped_options):
        if fact == "team":
            team_ids.add(row_id)
        elif fact == "program":
            programs.add(row_id)
        else:
            grants.setdefault(record_type, set()).add(row_id)
    grants = {key: tuple(sorted(ids)) for key, ids in grants.items()}
    return Viewer(staff_id, role, tuple(sorted(programs)), tuple(sorted(team_ids)), grants)


def people_of(viewer):
    """The viewer and, for a coordinator, their team: the people whose records count as theirs."""
    return (viewer.staff_id, *viewer.team_ids)


def visible_clause(viewer, cls, rule=None, grants=True):
    """The condition on ``cls`` for what ``viewer`` may see (``grants=False``: without
    break-glass openings, which are read-only). A rule that ``follows`` another model: a row
    naming such a record (a file on a form) is seen when that record is, or through its own
    break-glass grant; the others by the rule's own terms."""
    rule = rule or rules()[cls]
    own = own_clause(viewer, cls, rule, grants)
    if rule.follows is None:
        return own
    column, parent = rule.follows
    column = getattr(cls, column)
    parent_ids = select(parent.id).where(visible_clause(viewer, parent, grants=grants))
    granted = grants and isinstance(viewer, Viewer) and viewer.grants.get(rule.record_type)
    on_parent = or_(column.in_(parent_ids), cls.id.in_(viewer.grants[rule.record_type])) if granted else column.in_(parent_ids)
    seen = or_(and_(column.is_(None), own), and_(column.isnot(None), on_parent))
    return or_(seen, owners_clause(viewer, cls, rule)) if rule.owners_see_all else seen


def owners_clause(viewer, cls, rule):
    """The rows a rule with ``owners_see_all`` shows its owners whatever they follow: a staff
    member's (and their team's), a portal client's; a job reads what it declared."""
    if isinstance(viewer, Viewer):
        return owned_clause(viewer, cls, rule)
    if isinstance(viewer, PortalViewer):
        return rule.portal(cls, viewer.client_id) if rule.portal else false()
    return false()


def own_clause(viewer, cls, rule, grants):
    """The rule's own terms: program, Private flag, owners and break-glass grants."""
    if isinstance(viewer, JobViewer):
        return job_clause(viewer.declaration.level(rule.record_type), cls, rule)
    if isinstance(viewer, PortalViewer):
        return rule.portal(cls, viewer.client_id) if rule.portal else false()
    owned = owned_clause(viewer, cls, rule)
    if viewer.role == "agency_admin" or rule.program_column is None:
        in_program = true()
    else:
        program = getattr(cls, rule.program_column)
        in_program = or_(program.is_(None), program.in_(viewer.program_ids), owned)
    not_private = or_(getattr(cls, rule.private_column).is_(False), owned) if rule.private_column else true()
    if not grants or not viewer.grants.get(rule.record_type):
        return and_(in_program, not_private)
    return or_(and_(in_program, not_private), cls.id.in_(viewer.grants[rule.record_type]))


def owned_clause(viewer, cls, rule):
    """Rows owned by the staff viewer or their team (sessions: also those they are staff on)."""
    people = people_of(viewer)
    owned = or_(*(owner_in(getattr(cls, name), people) for name in rule.owner_columns))
    return owned if rule.extra is None else or_(owned, rule.extra(cls, viewer))


def owner_in(column, people):
    """``column IN people``, false (never NULL) where an owner column may be empty: a rule's
    clause is also negated (``restricted_query``, reports' Restricted rows), and NOT NULL is
    NULL, which would count a hidden row as not hidden."""
    found = column.in_(people)
    return and_(column.isnot(None), found) if column.expression.nullable else found


def job_clause(level, cls, rule):
    """What a system job reads of ``cls`` at its declared ``level``; undeclared: only what the
    whole agency may read (in no program and not Private)."""
    if level == ALL:
        return true()
    if level == NONE:
        return false()
    not_private = getattr(cls, rule.private_column).is_(False) if rule.private_column else true()
    if level == OPEN or rule.program_column is None:
        return not_private
    return and_(getattr(cls, rule.program_column).is_(None), not_private)


def loader_criteria(viewer):
    """``with_loader_criteria`` options for every restricted model: building the expressions
    costs more than running them. A staff member's or portal client's are built once per set of
    facts and process (``_built_options``; the facts themselves are read again every request,
    ``current_viewer``), a job's once per request."""
    if isinstance(viewer, Viewer):
        return _built_options(("staff", viewer.staff_id, viewer.role, viewer.program_ids, viewer.team_ids, _grants_key(viewer)))
    if isinstance(viewer, PortalViewer):
        return _built_options(("portal", viewer.client_id))
    cached = g.get("visibility_options")
    if cached is None or (cached[0] is not viewer and cached[0] != viewer):
        cached = g.visibility_options = (viewer, _options(viewer))
    return cached[1]


def _grants_key(viewer):
    return tuple(sorted((record_type, tuple(ids)) for record_type, ids in viewer.grants.items()))


@lru_cache(maxsize=1024)
def _built_options(key):
    """The options of the viewer ``key`` describes (all its facts: the options depend on nothing
    else), shared by every request with the same facts, as the tenancy criteria are."""
    if key[0] == "portal":
        return _options(PortalViewer(key[1]))
    _, staff_id, role, program_ids, team_ids, grants = key
    return _options(Viewer(staff_id, role, program_ids, team_ids, dict(grants)))


def _options(viewer):
    options = tuple(
        with_loader_criteria(cls, visible_clause(viewer, cls, rule), include_aliases=True) for cls, rule in rules().items()
    )
    return options + portal_criteria(viewer) if isinstance(viewer, PortalViewer) else options


def portal_criteria(viewer):
    """A portal client sees their own client row and, of the other agency-owned tables, only
    rows of models that declare ``portal_scope`` (``portal_clause``); nothing shared between
    two agencies (partnerships and what they share are staff work)."""
    options = []
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if issubclass(cls, AgencyOwned) and cls not in rules():
            options.append(with_loader_criteria(cls, portal_clause(cls, viewer.client_id), include_aliases=True))
        elif issubclass(cls, SharedBetweenAgencies):
            options.append(with_loader_criteria(cls, false(), include_aliases=True))
    return tuple(options)


def portal_clause(cls, client_id):
    """What a portal client reads of ``cls``: ``portal_scope = "own"`` rows with their
    ``client_id`` (narrowed by the model's ``portal_condition()`` when it has one, e.g. only the
    tasks assigned to the client); ``"through"``: rows whose ``portal_parent = (column, Model)``
    is a row the client reads (a shared plan's goals and their steps); ``"assigned"`` (staff): the
    staff assigned to them; ``"agency"``: every row (an agency's job postings and reference lists,
    about nobody); else nothing."""
    scope = getattr(cls, "portal_scope", None)
    if cls is Client:
        return Client.id == client_id
    if scope == "own":
        condition = getattr(cls, "portal_condition", None)
        return and_(cls.client_id == client_id, condition()) if condition else cls.client_id == client_id
    if scope == "through":
        column, parent = cls.portal_parent
        return getattr(cls, column).in_(select(parent.id).where(portal_clause(parent, client_id)))
    if scope == "agency":
        return true()
    if scope == "assigned":
        return cls.id.in_(select(ClientAssignment.staff_id).where(ClientAssignment.client_id == client_id))
    return false()


@event.listens_for(Session, "do_orm_execute")
def _apply_rules(state):
    """Add the program, Private and break-glass rules of whoever is acting to every ORM
    statement that tenancy scopes (``models/tenancy.py`` adds the agency)."""
    if not is_scoped(state) or state.execution_options.get(SKIP_VISIBILITY):
        return
    viewer = current_viewer()
    if viewer is not None:
        state.statement = state.statement.options(*loader_criteria(viewer))


def restricted_query(cls, *columns):
    """A scoped select of ``columns`` of the ``cls`` rows the viewer may NOT see (tenancy still
    applies); ``None`` when the viewer sees everything. Select metadata only, never content."""
    viewer = current_viewer()
    if viewer is None:
        return None
    return select(*columns).where(not_(visible_clause(viewer, cls))).execution_options(**skip_visibility_options)


def may_change(row):
    """Whether the viewer may edit or delete ``row``: seeing it through break-glass is read-only."""
    viewer = current_viewer()
    if viewer is None:
        return True
    cls = type(row)
    query = select(cls.id).where(cls.id == row.id, visible_clause(viewer, cls, grants=False))
    return db.session.execute(query.execution_options(**skip_visibility_options)).first() is not None


READ_ONLY = lazy_gettext("You opened this record through break-glass: you can read it, not change it.")
NOT_OWNER = lazy_gettext(
    "Only its author, the author's coordinator or an agency admin can move, make private or delete this record."
)


def require_change(row):
    """Stop a write to a row the viewer sees only through break-glass (``ReadOnlyRecord``)."""
    if type(row) in rules() and not may_change(row):
        raise ReadOnlyRecord(READ_ONLY)


def require_restrict(row):
    """Stop a change of program or Private flag, or a delete, by someone who is not the owner."""
    require_change(row)
    if not may_restrict(row):
        raise ReadOnlyRecord(NOT_OWNER)


def may_restrict(row):
    """Whether the viewer may change ``row``'s program or Private flag, or delete it (a row that
    follows another, a file on a form: also the owner side of that form)."""
    rule = rules()[type(row)]
    owners = tuple(getattr(row, name) for name in rule.owner_columns)
    private = bool(rule.private_column and getattr(row, rule.private_column))
    if on_owner_side(current_viewer(), rule, owners, private):
        return True
    parent = followed(row)
    return parent is not None and may_restrict(parent)


def followed(row):
    """The record ``row`` follows (a file's form), or ``None``."""
    rule = rules()[type(row)]
    if rule.follows is None or getattr(row, rule.follows[0]) is None:
        return None
    return db.session.get(rule.follows[1], getattr(row, rule.follows[0]))


def on_owner_side(viewer, rule, owners, private):
    """The owner, the owner's coordinator, or an agency admin for a record that is not Private;
    a job only when it declared it reads all of this kind of record; never a portal client."""
    if viewer is None:
        return True
    if isinstance(viewer, JobViewer):
        return viewer.declaration.level(rule.record_type) == ALL
    if isinstance(viewer, PortalViewer):
        return False
    people = people_of(viewer)
    return any(owner in people for owner in owners) or viewer.role == "agency_admin" and not private


def restricted_about(cls, client_id, live_only=True):
    """A client's notes, files or forms the viewer may not open, newest first, as dicts of what
    may be said of them (id, owner, date, Private, program): never their content."""
    rule = rules()[cls]
    at = getattr(cls, rule.dated)
    query = restricted_query(cls, cls.id, getattr(cls, rule.owner_columns[0]), at, cls.is_private, cls.program_id)
    if query is None:
        return []
    query = query.where(cls.client_id == client_id).order_by(at.desc())
    if live_only and hasattr(cls, "deleted_at"):
        query = query.where(cls.deleted_at.is_(None))
    rows = db.session.execute(query).all()
    if not rows:
        return []  # nothing hidden: no owners or programs to read
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
    return db.session.scalar(select(cls.id).where(cls.id == row_id)) is not None


def refuse(cls, row_id, *where):
    """Stop a request for a row the viewer cannot see: ``RecordRestricted`` (403) when the row
    exists in the agency but is hidden by the rules, ``RecordNotFound`` (404) otherwise."""
    rule = rules().get(cls)
    query = restricted_query(cls, cls.id) if rule is not None else None
    if query is not None and db.session.execute(query.where(cls.id == row_id, *where)).first() is not None:
        raise RecordRestricted(rule.record_type, row_id)
    raise RecordNotFound(f"{cls.__name__} {row_id}")


def undeletable_forms(session_row, viewer, client_id=None):
    """How many forms of this service session (one client's, when given) ``viewer`` may not
    delete: hidden from them, seen only through break-glass, or not on their owner's side.
    Deleting a session deletes all its forms (the database cascades those not loaded), and
    removing a client from it deletes theirs."""
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
    rule = rules()[ServiceForm]
    return sum(
        1
        for form_id, author_id, private in rows
        if form_id not in visible or not on_owner_side(viewer, rule, (author_id,), private)
    )
