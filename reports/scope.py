"""What a viewer may ask a report for: the criteria page's choices, by role. A worker reports
on their own work (only themselves as worker), a coordinator on themselves and their team, an
agency admin on every staff member; sites, programs, funders and session types are the
agency's (the scope in ``reports/query.scope_clause`` still bounds what is counted)."""

from flask_babel import gettext
from sqlalchemy import select

from extensions import db
from models.agencies import funders, programs, sites
from models.questions import AgencyQuestion
from models.staff import Staff, staff_members
from models.visibility import Viewer, current_viewer, people_of
from reports.criteria import Allowed
from service_forms.session_types import SESSION_TYPES


def workers_for(viewer):
    if not isinstance(viewer, Viewer) or viewer.role == "agency_admin":
        return staff_members()
    query = select(Staff).where(Staff.id.in_(people_of(viewer))).order_by(Staff.last_name, Staff.first_name)
    return db.session.scalars(query).all()


def allowed_choices():
    """The acting viewer's choices, as ``Allowed`` (``{id: name}`` per list)."""
    viewer = current_viewer()
    questions = db.session.scalars(select(AgencyQuestion).order_by(AgencyQuestion.target, AgencyQuestion.position))
    return Allowed(
        sites={s.id: s.name for s in sites()},
        workers={s.id: s.name if s.is_active else gettext("%(name)s (deactivated)", name=s.name) for s in workers_for(viewer)},
        programs={p.id: p.name for p in programs()},
        funders={f.id: f.name for f in funders()},
        session_types={t.key: t.label for t in SESSION_TYPES.values()},
        questions={q.id: q.label for q in questions},
    )
