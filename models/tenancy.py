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

from functools import lru_cache

from sqlalchemy import event, false
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declared_attr, with_loader_criteria
from sqlalchemy.pool import Pool

from extensions import db
from models.errors import TenantViolation
from models.principal import ALL_AGENCIES, current_agency_id

SKIP_OPTION = "skip_tenant_scope"
REFRESH_OPTION = "tenant_refresh"

unscoped_options = {SKIP_OPTION: True}


class AgencyOwned:
    """Mixin for every table whose rows belong to one agency."""

    @declared_attr
    def agency_id(cls):
        return db.Column(db.Integer, db.ForeignKey("agencies.id"), nullable=False, index=True)


class SharedBetweenAgencies:
    """Mixin for the only rows that two agencies see: a trusted partnership and what is shared
    through it (``models/partnerships.py``). The principal rule: a row is visible to, and written
    by, an agency only when ``party_clause(agency_id)`` / ``party_ids()`` name it, which each model
    defines (the receiving side of a shared referral only while the partnership is accepted).
    On PostgreSQL their migration puts the same rule under row-level security
    (``partnership_policy``)."""

    @classmethod
    def party_clause(cls, agency_id):
        raise NotImplementedError

    def party_ids(self):
        raise NotImplementedError


_shared_models = {}


def shared_models():
    """The ``SharedBetweenAgencies`` models (looked up again only when a model is added)."""
    mappers = db.Model.registry.mappers
    if _shared_models.get("count") != len(mappers):
        _shared_models.update(
            count=len(mappers), models=[m.class_ for m in mappers if issubclass(m.class_, SharedBetweenAgencies)]
        )
    return _shared_models["models"]


def _criteria(agency_id):
    """Loader criteria for the agency table and every agency-owned table."""
    return _built_criteria(agency_id, tuple(shared_models()))


@lru_cache(maxsize=4096)
def _built_criteria(agency_id, shared_classes):
    """Built once per agency and process: they depend on ``agency_id`` (and the mapped shared
    models) alone, and the same option objects on every statement spare SQLAlchemy building
    and keying them again (one scoped select took 7.2 ms with new options, 3.9 ms with these,
    at load average 14 on this 2-core machine)."""
    from models.agencies import Agency

    if agency_id is None:
        owned, agency = (lambda cls: false()), (lambda cls: false())
    else:
        owned = lambda cls: cls.agency_id == agency_id  # noqa: E731 - bound per agency
        agency = lambda cls: cls.id == agency_id  # noqa: E731
    shared = tuple(
        with_loader_criteria(cls, false() if agency_id is None else cls.party_clause(agency_id), include_aliases=True)
        for cls in shared_classes
    )
    return (
        with_loader_criteria(AgencyOwned, owned, include_aliases=True, track_closure_variables=True),
        with_loader_criteria(Agency, agency, include_aliases=True, track_closure_variables=True),
        *shared,
    )


def is_scoped(state):
    """Whether the rules apply to this ORM statement: a SELECT, UPDATE or DELETE that is
    neither a column refresh nor marked ``unscoped_options``."""
    if state.is_column_load or state.execution_options.get(SKIP_OPTION):
        return False
    return state.is_select or state.is_update or state.is_delete


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state):
    """Add the current agency's criteria to every ORM statement (not column refreshes: they
    reload a row already loaded under the principal that could see it)."""
    if state.is_column_load:
        state.update_execution_options(**{REFRESH_OPTION: True})
        return
    if not is_scoped(state):
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
        if isinstance(obj, SharedBetweenAgencies) and (agency_id is None or agency_id not in obj.party_ids()):
            raise TenantViolation(f"{type(obj).__name__} is not shared with the current agency")
        if not isinstance(obj, AgencyOwned):
            continue
        if obj.agency_id is None and obj in session.new and agency_id is not None:
            obj.agency_id = agency_id
        if agency_id is None or obj.agency_id != agency_id:
            raise TenantViolation(f"{type(obj).__name__} is outside the current agency")


# PostgreSQL row-level security, the second layer: every agency-owned table (and ``agencies``)
# has a policy on these two settings, which the hook below sets, per transaction, from the
# principal before any statement runs, ORM or not. The application connects as a role that does
# not own the tables, so a statement that escapes the ORM hook still sees one agency at most.
RLS_AGENCY, RLS_ALL = "app.agency_id", "app.all_agencies"
RLS_SET = "SELECT set_config('app.agency_id', %s, true), set_config('app.all_agencies', %s, true)"


def tenant_policy(table, column="agency_id"):
    """The statements that put ``table`` under row-level security (used by the migrations)."""
    rule = f"{column} = NULLIF(current_setting('{RLS_AGENCY}', true), '')::int OR current_setting('{RLS_ALL}', true) = 'on'"
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({rule}) WITH CHECK ({rule})",
    )


def partnership_policy(table, using, check=None):
    """Row-level security for a ``SharedBetweenAgencies`` table: ``using`` and ``check`` are
    conditions on ``:agency`` (the transaction's agency), as the model's ``party_clause``."""
    agency = f"NULLIF(current_setting('{RLS_AGENCY}', true), '')::int"
    every = f"current_setting('{RLS_ALL}', true) = 'on'"
    rule = lambda condition: f"({condition.replace(':agency', agency)}) OR {every}"  # noqa: E731
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} USING ({rule(using)}) WITH CHECK ({rule(check or using)})",
    )


def rls_settings(execution_options):
    """``(agency id, all agencies)`` as the database should see them for this statement."""
    if execution_options.get(SKIP_OPTION) or execution_options.get(REFRESH_OPTION):
        return "", "on"
    agency_id = current_agency_id()
    if agency_id is ALL_AGENCIES:
        return "", "on"
    return ("" if agency_id is None else str(agency_id)), "off"


@event.listens_for(Engine, "before_cursor_execute")
def _set_row_level_security(conn, cursor, statement, parameters, context, executemany):
    """Give the transaction the principal's agency when it differs from what it holds."""
    if conn.dialect.name != "postgresql":
        return
    wanted = rls_settings(context.execution_options if context is not None else {})
    if conn.info.get("rls") != wanted:
        settings_cursor(cursor).execute(RLS_SET, wanted)
        conn.info["rls"] = wanted


def settings_cursor(cursor):
    """Where the settings are run: the statement's own cursor, except a server-side one
    (``yield_per``, ``stream_results``), which would only DECLARE the ``set_config`` call and
    never run it, leaving a streamed query without its agency; then a plain cursor on the same
    connection, in the same transaction."""
    if getattr(cursor, "name", None):
        return cursor.connection.cursor()
    return cursor


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_row_level_security(conn):
    """``set_config(..., true)`` lasts until the transaction ends."""
    conn.info.pop("rls", None)


@event.listens_for(Engine, "rollback_savepoint")
def _forget_after_savepoint(conn, name, context):
    conn.info.pop("rls", None)


@event.listens_for(Pool, "checkout")
def _fresh_connection(dbapi_connection, connection_record, connection_proxy):
    connection_record.info.pop("rls", None)
