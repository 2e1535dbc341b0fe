"""Which records go to iCARE for a month, and what is wrong with them (computed in SQL).

Eligible service records: forms of a sheet's kinds in complete sessions of the month, for named
clients who attended (the course sheet: the course's own form), not yet uploaded unless
rejected or asked for again (an amendment). The Client Profile: every named client with an
eligible service, never uploaded, changed since, rejected or asked for again.

Every check is a SQL condition built from the template columns (``models/icare_templates.py``):
one query per template returns the bad rows with a 0/1 per check, so a month of 100,000
records is checked by the database, not row by row here. Run under ``icare_scope`` (the export's
declaration: every form, Private ones included, never a note or a file).
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_babel import force_locale, lazy_gettext
from sqlalchemy import and_, bindparam, case, cast, exists, false, func, literal, not_, or_, select, text, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased

from extensions import db
from models.client_profile import PROFILE
from models.clients import Client
from models.completeness import is_complete_clause
from models.icare_formats import is_date_text, is_identifier, is_postal_code
from models.icare_templates import (
    BIRTH_DATE,
    CLIENT,
    COURSE_CODE,
    FORM,
    IDENTIFIER,
    IDENTIFIER_TYPE,
    POSTAL_CODES,
    profile_template,
    service_templates,
)
from models.icare_templates import template as template_by_slug
from models.icare_uploads import IcareAmendment, IcareUpload, IcareUploadItem
from models.principal import ALL, NONE, Declaration, tenant_scope
from models.service_forms import ServiceForm
from models.service_sessions import ServiceSession
from models.staff import Staff
from service_forms.catalogue import FORMS, attendance_fields
from service_forms.labels import is_french, shown_label

ICARE = Declaration.of("icare export", service_form=ALL, service_session=ALL, case_note=NONE, client_file=NONE)
SENT = ("uploaded", "accepted")
NULL_ONLY = ("date", "birth_date", "yesno", "site")  # client columns that are empty only when NULL
# The problems the check finds, in the viewer's language on the check page (``shown_message``)
# and in English where they are stored (an upload's records left out) or printed (the CLI).
MESSAGES = {
    "missing": lazy_gettext("%(label)s: mandatory value missing"),
    "not_in_list": lazy_gettext("%(label)s: value not in the template's list"),
    "date_format": lazy_gettext("%(label)s: not a date (YYYY-MM-DD)"),
    "postal_format": lazy_gettext("%(label)s: not a postal code (A1A 1A1)"),
    "identifier_format": lazy_gettext("%(label)s: not a valid identifier for its type"),
    "end_before_start": lazy_gettext("%(label)s: before the start date"),
    "dob_missing": lazy_gettext("Date of birth missing"),
    "no_profile": lazy_gettext("The client has no Client Profile row yet (fix the profile first)"),
    "no_course": lazy_gettext("No course with this course code (the course's Training Open form)"),
}


def icare_scope(agency_id):
    """Run a block as the iCARE export for one agency."""
    return tenant_scope(agency_id, ICARE)


def month_bounds(month):
    """``"2026-11"`` -> (first day, first day of the next month); ``ValueError`` if malformed."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    return first, date(year + (number == 12), number % 12 + 1, 1)


@dataclass(frozen=True)
class Check:
    key: str  # a MESSAGES key
    column: object  # the template column (None: a row-level rule)
    bad: object  # SQL condition

    @property
    def message(self):
        """The message in English, the column named by iCARE's label."""
        with force_locale("en"):
            return str(MESSAGES[self.key]) % {"label": self.column.label.strip() if self.column else ""}

    @property
    def shown_message(self):
        """The message in the viewer's language, the column named by its form label."""
        return str(MESSAGES[self.key]) % {"label": shown_column_label(self.column) if self.column else ""}


def shown_column_label(column):
    """A template column's label in the viewer's language: a service form's by its form label;
    in French, a profile column's by the profile field's label; else iCARE's own."""
    profile = profile_labels() if column.source == CLIENT and is_french() else {}
    return str(profile.get(column.attribute) or shown_label(column.label.strip()))


@cache
def profile_labels():
    return {spec.name: spec.label for spec in PROFILE}  # lazy labels: read in the viewer's language


def dialect_name():
    return db.engine.dialect.name


def pivoted_fields(template):
    """The form fields the checks read: the template's columns and what opens them."""
    names = [c.attribute for c in template.columns if c.source == FORM]
    names += [c.show_if[0] for c in template.columns if c.show_if]
    return tuple(dict.fromkeys(names))


@cache
def _answers(slug, dialect):
    """One row per eligible form of the template, one column per answer the checks read.

    Each form's JSON is read once (PostgreSQL: cast to ``jsonb`` once, then each answer is a
    cheap lookup, the inner query fenced with ``OFFSET 0``) and each answer extracted once: a
    ``MATERIALIZED`` common table expression, so the database neither folds it into the
    checks, which read every answer many times, nor runs it again per row of a join."""
    template = template_by_slug(slug)
    document = cast(ServiceForm.data, JSONB) if dialect == "postgresql" else ServiceForm.data
    forms = forms_select(template.kinds, template.is_course, ServiceForm.id.label("form_id"), document.label("doc"))
    forms = forms.offset(0).subquery("icare_forms")
    columns = [forms.c.doc[name].as_string().label(f"a{i}") for i, name in enumerate(pivoted_fields(template))]
    answers = select(forms.c.form_id, *columns).cte(f"answers_{slug.replace('-', '_')}")
    return answers.prefix_with("MATERIALIZED")


def answers_of(template):
    return _answers(template.slug, dialect_name())


def answer(template, name):
    """The SQL value of one form field, read from the pivoted answers."""
    return answers_of(template).c[f"a{pivoted_fields(template).index(name)}"]


def value_of(column, template=None):
    """The SQL value of a template column for the current row."""
    if column.source == FORM:
        return answer(template, column.attribute)
    if column.source == CLIENT:
        return getattr(Client, column.attribute)
    return literal(None)


def is_empty(column, value):
    if column.source == CLIENT and column.type in NULL_ONLY:
        return value.is_(None)
    return or_(value.is_(None), func.trim(value) == "")


def fixed(values):
    """A value list as plain bound values (not an "expanding" list, re-expanded per run)."""
    return [literal(v) for v in values]


def applies(template, column):
    """The column's ``show_if`` condition (true when the column is always asked)."""
    if not column.show_if:
        return true()
    other, wanted = column.show_if
    given = answer(template, other)
    return given.in_(wanted) if isinstance(wanted, tuple) else given == wanted


def when_filled(column, value, bad):
    """``bad`` for a filled value: ``NOT empty AND bad`` with the cheapest test first, so a
    good row (no answer, or a listed one) stops at the first or second condition."""
    if column.source == CLIENT and column.type in NULL_ONLY:
        return and_(value.is_not(None), bad)
    return and_(value.is_not(None), bad, func.trim(value) != "")


def not_listed(value, options):
    """``trim(value) NOT IN options``, the untrimmed value tried first: the options are
    stripped, so a listed value is its own trim."""
    return and_(value.not_in(fixed(options)), func.trim(value).not_in(fixed(options)))


def column_checks(template, column):
    value, dialect = value_of(column, template), dialect_name()
    empty = is_empty(column, value)
    checks = []
    if column.mandatory and column.code == BIRTH_DATE:
        checks.append(Check("dob_missing", None, empty))
    elif column.mandatory:
        checks.append(Check("missing", column, and_(empty, applies(template, column))))
    if column.source == FORM and column.type == "choice" and column.options:
        checks.append(Check("not_in_list", column, when_filled(column, value, not_listed(value, column.options))))
    if column.source == FORM and column.type == "yesno":
        checks.append(Check("not_in_list", column, when_filled(column, value, value.not_in(fixed(("Yes", "No"))))))
    if column.source == CLIENT and column.type == "choice" and column.options:
        checks.append(Check("not_in_list", column, when_filled(column, value, value.not_in(fixed(column.options)))))
    if column.source == FORM and column.is_date:
        checks.append(Check("date_format", column, when_filled(column, value, not_(is_date_text(value, dialect)))))
    if column.code in POSTAL_CODES:
        bad = not_(is_postal_code(func.upper(value), dialect))
        checks.append(Check("postal_format", column, when_filled(column, value, bad)))
    if column.code == IDENTIFIER and (kind := template.column(IDENTIFIER_TYPE)) is not None:
        bad = not_(is_identifier(value_of(kind, template), value, dialect))
        checks.append(Check("identifier_format", column, when_filled(column, value, bad)))
    return checks


def checks_for(template):
    """Every check of a template, as SQL conditions on its query's row (built once: they
    depend on the template only; the month is a parameter and tenancy is added to each
    statement when it runs)."""
    return _checks(template.slug, dialect_name())


def any_bad(template):
    return _any_bad(template.slug, dialect_name())


@cache
def _any_bad(slug, dialect):
    return or_(false(), *(check.bad for check in _checks(slug, dialect)))


@cache
def _flags(slug, dialect):
    return tuple(case((check.bad, 1), else_=0).label(f"c{i}") for i, check in enumerate(_checks(slug, dialect)))


@cache
def _checks(slug, dialect):
    template = template_by_slug(slug)
    checks = [check for column in template.columns for check in column_checks(template, column)]
    for start, end in template.date_pairs():
        start_value, end_value = value_of(start, template), value_of(end, template)
        both = and_(is_date_text(start_value, dialect), is_date_text(end_value, dialect))
        checks.append(Check("end_before_start", end, and_(end_value < start_value, both)))
    if not template.is_profile and not template.is_course:
        profile_bad = or_(*(c.bad for c in checks_for(profile_template())))
        checks.append(Check("no_profile", None, and_(profile_bad, ~profile_sent())))  # the row's tests before the lookup
    course_column = template.column(COURSE_CODE)
    if course_column is not None and not template.is_course:
        checks.append(Check("no_course", None, not_(course_exists(value_of(course_column, template)))))
    return tuple(checks)


def course_exists(code):
    course = aliased(ServiceForm)
    course_kinds = next(t.kinds for t in service_templates() if t.is_course)
    return exists().where(
        course.agency_id == ServiceForm.agency_id,
        course.kind.in_(course_kinds),
        course.is_complete.is_(True),
        course.data[COURSE_CODE].as_string() == code,
    )


def item_sent(condition):
    item = aliased(IcareUploadItem)
    return exists().where(condition(item), item.status.in_(SENT))


def profile_sent():
    return item_sent(lambda item: item.profile_client_id == Client.id)


def pending_amendment(condition):
    amendment = aliased(IcareAmendment)
    return exists().where(condition(amendment), amendment.sent_upload_id.is_(None))


def absent():
    """The client's attendance form in the session says they did not attend."""
    other = aliased(ServiceForm)
    said_no = or_(false(), *(other.data[name].as_string() == "No" for name in attendance_fields()))
    same_client = and_(other.session_id == ServiceForm.session_id, other.client_id == ServiceForm.client_id)
    return exists().where(same_client, other.kind.in_(attendance_kinds()), said_no)


def attendance_kinds():
    """The form kinds that say whether the client attended (only their answers are read)."""
    return tuple(kind for kind, spec in FORMS.items() if spec.attendance_field)


def in_month():
    """The month, as the parameters ``month_params()`` gives each statement."""
    return and_(ServiceSession.service_date >= bindparam("icare_first"), ServiceSession.service_date < bindparam("icare_after"))


def month_params(month):
    first, after = month_bounds(month)
    return {"icare_first": first, "icare_after": after}


@cache
def eligible_conditions(kinds, is_course):
    """The SQL conditions (but the month) that make a form of ``kinds`` an eligible record
    (built once per set of kinds)."""
    not_sent = or_(
        ~item_sent(lambda item: item.form_id == ServiceForm.id),
        pending_amendment(lambda amendment: amendment.form_id == ServiceForm.id),
    )
    conditions = [ServiceForm.kind.in_(kinds), ServiceForm.is_complete.is_(True), is_complete_clause(), not_sent]
    if not is_course:
        conditions += [Client.kind == "named", ~absent()]
    return tuple(conditions)


def forms_select(kinds, is_course, *columns):
    query = select(*columns).select_from(ServiceForm).join(ServiceSession, ServiceSession.id == ServiceForm.session_id)
    if not is_course:
        query = query.join(Client, Client.id == ServiceForm.client_id)
    return query.where(*eligible_conditions(kinds, is_course), in_month())


def service_select(template, *columns):
    return forms_select(template.kinds, template.is_course, *columns)


def client_kinds():
    return tuple(kind for t in service_templates() if not t.is_course for kind in t.kinds)


def served_clients():
    """Ids of the named clients with an eligible service record in the month (a subquery)."""
    return forms_select(client_kinds(), False, ServiceForm.client_id).subquery()


def profile_select(*columns):
    last_sent = select(func.max(IcareUpload.created_at)).select_from(IcareUploadItem)
    last_sent = last_sent.join(IcareUpload, IcareUpload.id == IcareUploadItem.upload_id)
    last_sent = last_sent.where(IcareUploadItem.profile_client_id == Client.id, IcareUploadItem.status.in_(SENT))
    changed = Client.updated_at > last_sent.scalar_subquery()
    wanted = or_(~profile_sent(), changed, pending_amendment(lambda amendment: amendment.profile_client_id == Client.id))
    served = served_clients()
    return select(*columns).select_from(Client).where(Client.id.in_(select(served.c[0])), Client.kind == "named", wanted)


def record_select(template, *columns):
    """``select(*columns)`` over the eligible records of ``template`` (run it with
    ``month_params(month)``)."""
    if template.is_profile:
        return profile_select(*columns)
    return service_select(template, *columns)


def checked_select(template, *columns):
    """As ``record_select``, with the pivoted answers the checks read joined in."""
    if template.is_profile:
        return profile_select(*columns)
    answers = answers_of(template)
    query = select(*columns).select_from(answers).join(ServiceForm, ServiceForm.id == answers.c.form_id)
    query = query.join(ServiceSession, ServiceSession.id == ServiceForm.session_id)
    return query if template.is_course else query.join(Client, Client.id == ServiceForm.client_id)


def owner_column(template):
    """Who entered a record: the form's author; a profile's creator."""
    return Client.created_by_id if template.is_profile else ServiceForm.author_id


def only_people(query, template, people):
    return query if people is None else query.where(owner_column(template).in_(people))


def without_jit():
    """PostgreSQL: no JIT compilation for this transaction. The check statements are wide (a
    few hundred expressions): compiling them costs seconds and saves less than it costs."""
    if dialect_name() == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def eligible_count(template, month, people=None):
    """How many records of ``template`` go out for ``month`` (no check: no answer is read)."""
    query = only_people(record_select(template, func.count()), template, people)
    return db.session.scalar(query, month_params(month))


def counts(template, month, people=None):
    """(records, bad records) of ``template`` for ``month`` (``people``: only their records)."""
    bad = any_bad(template)
    without_jit()
    query = checked_select(template, func.count(), func.coalesce(func.sum(case((bad, 1), else_=0)), 0))
    total, bad_count = db.session.execute(only_people(query, template, people), month_params(month)).one()
    return total, int(bad_count)


def problem_rows(template, month, people=None):
    """The bad records with what is wrong: ``(row mapping, [check, ...])`` per record."""
    checks = checks_for(template)
    author = aliased(Staff)
    flags = _flags(template.slug, dialect_name())
    columns = [owner_column(template).label("owner_id"), author.first_name, author.last_name, author.email]
    if template.is_profile:
        columns += [Client.id.label("client_id"), Client.first_name.label("client_first"), Client.last_name.label("client_last")]
        columns += [literal(None).label("form_id"), literal(None).label("session_id"), literal(None).label("service_date")]
        columns += [literal(False).label("is_private")]
    else:
        columns += [ServiceForm.id.label("form_id"), ServiceForm.session_id, ServiceSession.service_date, ServiceForm.is_private]
        course = answer(template, COURSE_CODE) if COURSE_CODE in pivoted_fields(template) else literal(None)
        columns += [course.label("course_code")]
        if not template.is_course:
            columns += [ServiceForm.client_id, Client.first_name.label("client_first"), Client.last_name.label("client_last")]
    query = checked_select(template, *columns, *flags)
    query = query.outerjoin(author, author.id == owner_column(template)).where(any_bad(template))
    without_jit()
    for row in db.session.execute(only_people(query, template, people), month_params(month)).mappings():
        yield row, [check for i, check in enumerate(checks) if row[f"c{i}"]]


def export_rows(template, month, good_only=False):
    """The eligible records as ``(record id, values, amendment or None)``, in a stable order
    (service date, then id; a profile by client id). ``values``: one per column of
    ``template.valued_columns``, as the database gives it (a form's answer read in SQL, as the
    checks read it, so no form's JSON is decoded here; a profile value as stored).
    ``good_only``: only the records that pass every check, the checks in the same statement."""
    values = [value_of(column, template) for column in template.valued_columns]
    if template.is_profile:
        query = profile_select(Client.id, *values).order_by(Client.id)
        amendments = open_amendments(IcareAmendment.profile_client_id)
    else:
        query = checked_select(template, ServiceForm.id, *values).order_by(ServiceSession.service_date, ServiceForm.id)
        amendments = open_amendments(IcareAmendment.form_id)
    query = only_good(query, template, good_only).execution_options(yield_per=2000)  # a server-side cursor
    for record_id, *row in db.session.execute(query, month_params(month)):
        yield record_id, row, amendments.get(record_id)


def only_good(query, template, good_only):
    """The rows no check finds bad (a check that is NULL is not bad, as in ``problem_rows``)."""
    if not good_only:
        return query
    without_jit()
    if dialect_name() == "postgresql":  # read through a cursor, and every row of it: plan for all rows
        db.session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    return query.where(case((any_bad(template), 0), else_=1) == 1)


def open_amendments(column):
    """Amendments not yet sent, by record id."""
    query = select(IcareAmendment).where(column.is_not(None), IcareAmendment.sent_upload_id.is_(None))
    return {getattr(a, column.key): a for a in db.session.scalars(query)}


def kinds_of_sheet(sheet):
    return tuple(kind for kind, spec in FORMS.items() if spec.icare_sheet == sheet)
