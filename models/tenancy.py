"""Tenant isolation in one place.

Every agency-owned model inherits ``AgencyOwned``. A ``do_orm_execute`` hook adds
``agency_id = <current agency>`` to every ORM SELECT, UPDATE and DELETE (relationship
and ``Session.get`` loads included), and a ``before_flush`` hook stamps new rows with the
current agency and refuses writes into another agency. With no agency context the
criterion is ``false``: the request sees nothing (fail closed).

The current agency is the principal's (``models/principal.py``): the signed-in staff member's
in a request, the job's under ``tenant_scope()``. ``unscoped_options`` is the one explicit escape
hatch for statements (the staff loader at sign-in); grep for it to review every use.
"""

from sqlalchemy import event, false
from sqlalchemy.orm import Session, declared_attr, with_loader_criteria

from extensions import db
from models.errors import TenantViolation
from models.principal import ALL_AGENCIES, current_agency_id

SKIP_OPTION = "skip_tenant_scope"

unscoped_options = {SKIP_OPTION: True}


class AgencyOwned:
    """Mixin for every table whose rows belong to one agency."""

    @declared_attr
    def agency_id(cls):
        return db.Column(db.Integer, db.ForeignKey("agencies.id"), nullable=False, index=True)


def _criteria(agency_id):
    """Loader criteria for the agency table and every agency-owned table."""
    from models.agencies import Agency

    if agency_id is None:
        owned, agency = (lambda cls: false()), (lambda cls: false())
    else:
        owned = lambda cls: cls.agency_id == agency_id  # noqa: E731 - bound per call
        agency = lambda cls: cls.id == agency_id  # noqa: E731
    return (
        with_loader_criteria(AgencyOwned, owned, include_aliases=True, track_closure_variables=True),
        with_loader_criteria(Agency, agency, include_aliases=True, track_closure_variables=True),
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state):
    """Add the current agency's criteria to every ORM statement (not column refreshes)."""
    if state.is_column_load or state.execution_options.get(SKIP_OPTION):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    agency_id = current_agency_id()
    if agency_id is not ALL_AGENCIES:
        state.statement = state.statement.options(*_criteria(agency_id))


@event.listens_for(Session, "before_flush")
def _stamp_agency(session, flush_context, instances):
    """Give new rows the current agency; refuse rows written into another agency."""
    agency_id = current_agency_id()
    if agency_id is ALL_AGENCIES:
        return
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if not isinstance(obj, AgencyOwned):
            continue
        if obj.agency_id is None and obj in session.new and agency_id is not None:
            obj.agency_id = agency_id
        if agency_id is None or obj.agency_id != agency_id:
            raise TenantViolation(f"{type(obj).__name__} is outside the current agency")
