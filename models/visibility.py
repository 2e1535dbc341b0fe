"""Who may see which service forms inside an agency, applied by the same ORM hook as tenancy.

- A form created in a program is visible to that program's members, to the coordinators of
  the people who wrote it, and to agency admins; a form with no program, to everyone.
- A Private form is visible only to its author and the author's manager (coordinator).
  Agency admins see private forms of others only through break-glass (not built yet).

Counts are not affected: the completeness clause and counts use their own aliases, so a
session with a restricted form still counts; the form's content never loads.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import and_, or_, select, true


@dataclass(frozen=True)
class Viewer:
    staff_id: int
    role: str
    program_ids: tuple
    team_ids: tuple  # the people this staff member manages


@contextmanager
def visibility_lifted():
    """Run a block with the program and Private rules lifted (tenancy still applies): only for
    the agency admin's access-request export, which must hold everything about one client."""
    had = g.get("visibility_lifted", False)
    g.visibility_lifted = True
    try:
        yield
    finally:
        g.visibility_lifted = had


def current_viewer():
    """The signed-in staff member's visibility facts, read once per request; ``None`` outside
    a signed-in request (CLI commands and tests use ``tenant_scope`` and see every form)."""
    if "tenant_agency_id" in g or not has_request_context() or not current_user.is_authenticated:
        return None
    if g.get("visibility_lifted"):
        return None
    if "viewer" not in g:
        g.viewer = load_viewer(current_user.id, current_user.role)
    return g.viewer


def load_viewer(staff_id, role):
    from extensions import db
    from models.staff import Staff, staff_programs
    from models.tenancy import unscoped_options

    programs = select(staff_programs.c.program_id).where(staff_programs.c.staff_id == staff_id)
    team = select(Staff.id).where(Staff.manager_id == staff_id)
    run = lambda query: tuple(db.session.scalars(query, execution_options=unscoped_options))  # noqa: E731
    return Viewer(staff_id, role, run(programs), run(team))


def form_rule(viewer, form):
    """The condition on ``form`` (the ServiceForm class) for what ``viewer`` may see."""
    mine_or_team = or_(form.author_id == viewer.staff_id, form.author_id.in_(viewer.team_ids))
    if viewer.role == "agency_admin":
        in_program = true()
    else:
        in_program = or_(form.program_id.is_(None), form.program_id.in_(viewer.program_ids), mine_or_team)
    not_private = or_(form.is_private.is_(False), mine_or_team)
    return and_(in_program, not_private)
