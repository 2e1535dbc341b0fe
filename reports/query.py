"""The one query builder: a report declaration and criteria become ONE SQL statement.

The grain's rows (attendees, sessions or forms of complete sessions: the stored flag,
``models/completeness.counted_clause``)
are filtered by the criteria and the viewer's scope, reduced to a ``facts`` subquery (each
dimension and each measure input one column), and grouped: by every dimension, by each one
alone and not at all, for the totals (``GROUPING SETS`` on PostgreSQL, one scan; ``UNION ALL``
on SQLite). Unique counts are therefore totalled by the database, never summed.

Counts read every record of the agency the scope covers, restricted ones included (execution
option ``skip_visibility``; tenancy, and row-level security on PostgreSQL, still apply): a
restricted record counts. Its content never leaves here: drill-downs (``reports/drill.py``)
mark such records and show only that they exist.
"""

from flask_babel import gettext
from sqlalchemy import and_, distinct, false, func, literal, literal_column, not_, null, or_, select, true, tuple_, union_all

from extensions import db
from models.clients import Client
from models.completeness import attended_clause, counted_clause
from models.first_services import AT_AGENCY, ClientFirstService
from models.form_answers import FormYesAnswer
from models.principal import current_principal
from models.questions import CLIENT_PROFILE, AgencyQuestion
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession, SessionClient, session_funders, session_staff
from models.visibility import JobViewer, PortalViewer, current_viewer, people_of, skip_visibility_options
from reports.dimensions import Named, age_at, answer, arrival_year, dialect, languages_table
from reports.mentor_dimensions import FORM_JOINS
from reports.plan_grain import PLAN_GRAINS, plan_conditions, plan_grain_select
from reports.record_grains import RECORD_GRAINS

CLIENT_GRAINS = ("attendance", "form")


def grain_select(grain, columns, counts_absent=False):
    """``select(*columns)`` over the grain's tables, with the grain's own conditions. A form
    saying its client did not attend is left out, unless ``counts_absent`` (a form-grain report
    whose measures tell attended from not, such as the attendance rate)."""
    if grain in PLAN_GRAINS:
        return plan_grain_select(grain, columns)
    if grain in RECORD_GRAINS:
        return RECORD_GRAINS[grain].rows(columns)
    query = select(*columns)
    if grain == "attendance":
        query = (
            query.select_from(SessionClient)
            .join(ServiceSession, ServiceSession.id == SessionClient.session_id)
            .join(Client, Client.id == SessionClient.client_id)
        )
        return query.where(counted_clause(), attended_clause())
    if grain == "form":
        query = (
            query.select_from(ServiceForm)
            .join(ServiceSession, ServiceSession.id == ServiceForm.session_id)
            .outerjoin(Client, Client.id == ServiceForm.client_id)
            .outerjoin(
                SessionClient,
                and_(SessionClient.session_id == ServiceForm.session_id, SessionClient.client_id == ServiceForm.client_id),
            )
        )
        return query.where(counted_clause(), true() if counts_absent else attended_clause())
    query = query.select_from(ServiceSession)
    return query.where(not_(counted_clause()) if grain == "incomplete" else counted_clause())


def served_before(criteria):
    """Whether the named client of the row had a complete, attended service at the agency before
    the range (in the program, when the criteria name programs): OCMS's New/Returning rule.
    One primary-key lookup per client in the stored first services (``models/first_services``)."""
    keys = tuple(criteria.program) or (AT_AGENCY,)
    query = select(ClientFirstService.client_id).where(
        ClientFirstService.client_id == Client.id,
        ClientFirstService.program_key.in_(keys),
        ClientFirstService.first_date < criteria.date_from,
    )
    return query.exists()


def add_joins(query, names, criteria):
    for name in names:
        if name in FORM_JOINS:
            for target, onclause in FORM_JOINS[name]():
                query = query.outerjoin(target, onclause)
        elif name == "funders":
            query = query.outerjoin(session_funders, session_funders.c.session_id == ServiceSession.id)
        elif name == "languages":
            query = query.join(languages_table(), true())
    return query


def scope_clause(viewer):
    """What the viewer reports on: a worker their own work (sessions they lead, created or
    are staff on), a coordinator also their team's and their programs', an agency admin (and a
    job) the whole agency."""
    if viewer is None or isinstance(viewer, JobViewer) or viewer.role == "agency_admin":
        return true()
    if isinstance(viewer, PortalViewer):
        return false()
    people = people_of(viewer)
    staffed = select(session_staff.c.session_id).where(session_staff.c.staff_id.in_(people))
    own = or_(ServiceSession.lead_staff_id.in_(people), ServiceSession.created_by_id.in_(people), ServiceSession.id.in_(staffed))
    if viewer.role == "coordinator" and viewer.program_ids:
        return or_(own, ServiceSession.program_id.in_(viewer.program_ids))
    return own


def session_conditions(c):
    conditions = [ServiceSession.service_date.between(c.date_from, c.date_to)]
    if c.site:
        conditions.append(ServiceSession.site_id.in_(c.site))
    if c.worker:
        staffed = select(session_staff.c.session_id).where(session_staff.c.staff_id.in_(c.worker))
        conditions.append(or_(ServiceSession.lead_staff_id.in_(c.worker), ServiceSession.id.in_(staffed)))
    if c.program:
        conditions.append(ServiceSession.program_id.in_(c.program))
    if c.funder:
        conditions.append(
            ServiceSession.id.in_(select(session_funders.c.session_id).where(session_funders.c.funder_id.in_(c.funder)))
        )
    if c.session_type:
        conditions.append(ServiceSession.session_type.in_(c.session_type))
    return conditions


def client_conditions(c):
    """The additional options on the client profile."""
    names = ("gender", "immigration_status", "country_of_birth", "first_language")
    conditions = [getattr(Client, name) == getattr(c, name) for name in names if getattr(c, name)]
    if c.arrival_year is not None:
        conditions.append(arrival_year() == c.arrival_year)
    if c.postal_prefix:
        prefix = c.postal_prefix.upper().replace(" ", "")
        conditions.append(func.upper(func.replace(Client.postal_code, " ", "")).startswith(prefix, autoescape=True))
    age = age_at(ServiceSession.service_date)
    if c.age_min is not None:
        conditions.append(age >= c.age_min)
    if c.age_max is not None:
        conditions.append(age <= c.age_max)
    return conditions


def question_conditions(c, grain):
    if c.question is None or not c.answer:
        return []
    question = db.session.get(AgencyQuestion, c.question)
    if question.target == CLIENT_PROFILE:
        return [Client.answers[question.key].as_string() == c.answer]
    if grain != "form":
        return [false()]
    return [ServiceForm.kind == question.target, answer(question.key) == c.answer]


def is_form_question(question_id):
    """Whether the agency's question ``question_id`` is asked on a service form (only the form
    reports group by it), not on the client profile."""
    question = db.session.get(AgencyQuestion, question_id)
    return question is not None and question.target != CLIENT_PROFILE


def question_problem(report, criteria):
    """A message when the criteria name a form's question for a report that counts no forms."""
    if criteria.question is None or report.grain == "form" or "question" not in report.filters:
        return None
    if is_form_question(criteria.question):
        return gettext("This report counts clients, not forms: choose a client-profile question, or run Agency-question answers.")
    return None


def record_conditions(grain, criteria, viewer):
    return grain.in_range(criteria) + [grain.scope(viewer)] + grain.narrow(criteria)


def conditions(report, criteria, viewer):
    if report.grain in RECORD_GRAINS:
        return record_conditions(RECORD_GRAINS[report.grain], criteria, viewer) + (report.where(criteria) if report.where else [])
    if report.grain in PLAN_GRAINS:
        return plan_conditions(report.grain, criteria, viewer) + (report.where(criteria) if report.where else [])
    found = session_conditions(criteria) + [scope_clause(viewer)]
    if report.grain in CLIENT_GRAINS:
        found += client_conditions(criteria) + question_conditions(criteria, report.grain)
    if report.kinds:
        found.append(ServiceForm.kind.in_(report.kinds))
    if report.session_types:
        found.append(ServiceSession.session_type.in_(report.session_types))
    if report.where is not None:
        found += report.where(criteria)
    return found


def grain_name(report):
    return report.grain


def filtered(report, criteria, viewer, columns):
    """The grain's rows for these criteria and this viewer, as ``select(*columns)``."""
    query = grain_select(grain_name(report), columns, report.counts_absent)
    query = add_joins(query, report.joins(), criteria)
    return query.where(*conditions(report, criteria, viewer))


def facts(report, criteria, viewer, fenced=False):
    """Each dimension and measure input of the grain's rows, one column each (``fenced``: an
    ``OFFSET 0``, which PostgreSQL never flattens into the statement around it; written as a
    constant, so that a prepared statement's plan knows it skips nothing)."""
    dims = [d.expr(criteria).label(f"d{i}") for i, d in enumerate(report.dimensions)]
    inputs = [fact().label(f"m{i}_{j}") for i, m in enumerate(report.measures) for j, fact in enumerate(m.facts)]
    query = filtered(report, criteria, viewer, dims + inputs)
    return (query.offset(literal_column("0")) if fenced else query).subquery("facts")


def aggregates(report, sub):
    return [m.agg(*(sub.c[f"m{i}_{j}"] for j in range(len(m.facts)))).label(m.key) for i, m in enumerate(report.measures)]


def grouping_sets(count):
    """Every dimension together, each alone (for two), and none: rows, columns and totals."""
    if count == 0:
        return []
    sets = [tuple(range(count))]
    if count == 2:
        sets += [(0,), (1,)]
    return sets + [()]


def named_columns(report, dims):
    """The names of the grouped values whose dimension names them in SQL (``Named``), after
    the measures: ``n0..``; ``dims[i]`` is ``None`` where that dimension is totalled."""
    named = [(i, d.names) for i, d in enumerate(report.dimensions) if isinstance(d.names, Named)]
    return [(null() if dims[i] is None else names.label(dims[i])).label(f"n{i}") for i, names in named]


def grouped_statement(report, criteria, viewer):
    """The report's one SQL statement: ``d0.., g0.. (1 where a dimension is totalled), measures,
    n0.. (names)``. On PostgreSQL the facts are fenced (``OFFSET 0``: planned as the bare
    aggregate's are): with GROUPING SETS over a flattened subquery the planner computed the
    facts' expressions (a form's JSON answer) at the scan of every row of the table, before the
    joins narrowed them to the range."""
    if not report.dimensions:
        sub = facts(report, criteria, viewer)
        return select(*aggregates(report, sub)).select_from(sub)
    if dialect() == "postgresql":
        return grouping_sets_statement(report, facts(report, criteria, viewer, fenced=True))
    return union_statement(report, facts(report, criteria, viewer))


def grouping_sets_statement(report, sub):
    """PostgreSQL: one scan of the facts, ``GROUPING SETS`` for the totals."""
    dims = [sub.c[f"d{i}"] for i in range(len(report.dimensions))]
    flags = [func.grouping(d).label(f"g{i}") for i, d in enumerate(dims)]
    sets = [tuple_(*(dims[i] for i in s)) if s else tuple_() for s in grouping_sets(len(dims))]
    measures = aggregates(report, sub)
    return select(*dims, *flags, *measures, *named_columns(report, dims)).group_by(func.grouping_sets(*sets))


def union_statement(report, sub):
    """Elsewhere (SQLite): one ``GROUP BY`` per grouping set, in a ``UNION ALL``."""
    count = len(report.dimensions)
    dims = [sub.c[f"d{i}"] for i in range(count)]
    parts = []
    for s in grouping_sets(count):
        columns = [dims[i] if i in s else null().label(f"d{i}") for i in range(count)]
        flags = [literal(0 if i in s else 1).label(f"g{i}") for i in range(count)]
        names = named_columns(report, [dims[i] if i in s else None for i in range(count)])
        parts.append(select(*columns, *flags, *aggregates(report, sub), *names).group_by(*(dims[i] for i in s)))
    return union_all(*parts)


def stored_indicators(report):
    """Whether every measure of this indicator report counts a field answered Yes: then the
    report counts the stored answers (``indicator_statement``), not the forms' JSON."""
    return bool(report.indicators) and report.grain == "form" and all(m.yes_field for m in report.measures)


def indicator_statement(report, criteria, viewer, extra=()):
    """``field, forms``: the grain's forms answering each of the report's fields Yes, counted
    from the stored answers (one indexed row per form and field, ``models/form_answers.py``),
    grouped by field (one row per field, no totals: an indicator report has none)."""
    fields = sorted({m.yes_field for m in report.measures})
    query = filtered(report, criteria, viewer, [FormYesAnswer.field.label("field"), ServiceForm.id.label("form_id")])
    query = query.join(FormYesAnswer, FormYesAnswer.form_id == ServiceForm.id).where(FormYesAnswer.field.in_(fields), *extra)
    sub = query.subquery("facts")
    return select(sub.c.field, func.count(distinct(sub.c.form_id))).group_by(sub.c.field)


def run_statement(statement):
    """Run under tenancy, counting restricted records (their content is never selected)."""
    return db.session.execute(statement, execution_options=skip_visibility_options).all()


def report_viewer():
    """Whose scope a report takes: the acting principal's (a staff member, or a job)."""
    return current_viewer() if current_principal() is not None else None
