"""The pieces reports are declared with: dimensions (what rows and columns group by) and
measures (what a cell counts). Each is SQL over the grain's tables (``reports/query.py``):
``ServiceSession``, and for client grains ``SessionClient`` and ``Client``, for form grains
``ServiceForm``. Names of ids (sites, staff...) are read in the report's own statement
(``Named``: a scalar subquery per grouped value); a deactivated staff member's work keeps its
name."""

from dataclasses import dataclass

from flask_babel import lazy_gettext
from sqlalchemy import Integer, String, any_, bindparam, case, cast, distinct, extract, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from extensions import db
from models.agencies import Funder, Program, Site
from models.clients import ANONYMOUS_NAME, Client
from models.questions import CLIENT_PROFILE, AgencyQuestion
from models.reference import value_label
from models.service_forms import ServiceForm
from models.service_sessions import GroupActivityName, ServiceSession, SessionClient, session_funders
from models.staff import Staff
from service_forms.catalogue import FORMS
from service_forms.labels import option_label
from service_forms.session_types import DELIVERY_LABELS, stored_session_type

UNKNOWN = lazy_gettext("Unknown")
LANGUAGES = "delivery_language"
AGE_BANDS = ((0, 5), (6, 12), (13, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200))


def dialect():
    return db.session.get_bind().dialect.name


def month_of(column):
    """``YYYY-MM`` of a date, in the database."""
    if dialect() == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def answer(name, form=ServiceForm):
    """A form answer as text (``data ->> name``)."""
    return form.data[name].as_string()


def whole_number(text):
    """A text answer as an integer; ``NULL`` when it is not digits (never an error)."""
    if dialect() == "postgresql":
        return case((text.op("~")("^[0-9]{1,9}$"), cast(text, Integer)))
    return case((text.op("GLOB")("[0-9]*"), cast(text, Integer)))


def age_at(day):
    """A client's age in whole years on ``day`` (``NULL`` without a date of birth)."""
    born = Client.date_of_birth
    before_birthday = case(
        (extract("month", day) * 100 + extract("day", day) < extract("month", born) * 100 + extract("day", born), 1), else_=0
    )
    return extract("year", day) - extract("year", born) - before_birthday


def band_label(low, high):
    return f"{low}+" if high >= 200 else f"{low}-{high}"


def age_band():
    age = age_at(ServiceSession.service_date)
    return case(*((age.between(low, high), literal(band_label(low, high))) for low, high in AGE_BANDS))


def arrival_year():
    return func.coalesce(Client.arrival_year, cast(extract("year", Client.arrival_date), Integer))


def postal_area():
    return func.upper(func.substr(Client.postal_code, 1, 3))


def among(column, ids):
    """``column`` is one of ``ids``: on PostgreSQL one array parameter (``= ANY(:ids)``), so a
    list of thousands of clients costs one bind, not thousands (their compiling and splitting
    was most of a contact list's time); elsewhere a plain ``IN``."""
    ids = [i for i in ids if i is not None]
    if dialect() == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    return column.in_(ids)


class Named:
    """A dimension's names as SQL: ``label(value)`` names one grouped value (a scalar
    subquery on the agency's table, under the tenancy scope like every other table of the
    statement), so the report's own statement names its rows (``reports/query.py``: no look-up
    after it). Called with values (a drill-down's heading: one), it names them in one statement."""

    def __init__(self, label):
        self.label = label

    def __call__(self, values):
        wanted = [v for v in values if v is not None]
        if not wanted:
            return {}
        names = db.session.execute(select(*(self.label(literal(v)) for v in wanted))).one()  # one statement
        return {v: name for v, name in zip(wanted, names, strict=True) if name is not None}


def name_of(model, label=lambda model: model.name):
    """The SQL name of ``model``'s row whose id is ``value`` (``NULL``: none in the agency)."""
    return lambda value: select(label(model)).where(model.id == value).scalar_subquery()


def names_of(model, label=lambda model: model.name):
    """``model``'s rows named by the report's statement (``label``: SQL of the model's columns)."""
    return Named(name_of(model, label))


def staff_name(staff):
    """A staff member's name as ``Staff.name`` writes it, in SQL."""
    return staff.first_name + " " + staff.last_name


def client_names(values):
    """Names only, made by the database (no profile loaded, no row object per client): a
    contact list may name thousands of clients."""
    ids = [v for v in values if v is not None]
    if not ids:
        return {}
    return dict(db.session.execute(select(Client.id, client_label()).where(among(Client.id, ids))).tuples().all())


def client_label():
    """A client's name as reports show it, made by the database ("Last, First"; anonymous
    clients by the word for them in the viewer's language)."""
    name = func.coalesce(Client.last_name, "") + ", " + func.coalesce(Client.first_name, "")
    return case((Client.kind == "named", name), else_=literal(str(ANONYMOUS_NAME)))


def fixed(mapping):
    return lambda values: {v: mapping.get(v, v) for v in values}


YES_NO = fixed({"Yes": lazy_gettext("Yes"), "No": lazy_gettext("No")})


def session_type_names(values):
    return {v: stored_session_type(v).label for v in values if v is not None}


def form_kind_names(values):
    return {v: FORMS[v].label if v in FORMS else v for v in values if v is not None}


@dataclass(frozen=True)
class Dimension:
    """What rows (or columns) group by. ``expr(criteria)`` is its SQL; ``names(values)`` labels
    its values; ``joins``: extra tables it needs (``"funders"``, ``"languages"``); ``order``:
    ``"value"`` (months, years) or ``"label"``; ``needs``: the grain tables it reads."""

    key: str
    label: str
    expr: object
    names: object = None
    order: str = "label"
    joins: tuple = ()
    needs: str = "session"  # "session", "client" or "form"
    empty: str = UNKNOWN
    answer_field: str | None = None  # a form answer (indexed by the reports migration)


def list_names(list_name):
    """A value list's values labelled in the interface's language (stored in English)."""
    return lambda values: {value: value_label(list_name, value) for value in values if isinstance(value, str)}


def option_names(values):
    """A service form's stored (English) choices labelled in the interface's language."""
    return {value: option_label(value) for value in values if isinstance(value, str)}


def column(key, label, col, needs="client", **kwargs):
    return Dimension(key, label, lambda criteria: col, needs=needs, **kwargs)


def question_answer(criteria):
    """The answer to the agency question the criteria name (a form's, or the profile's)."""
    question = db.session.get(AgencyQuestion, criteria.question) if criteria.question else None
    if question is None:
        return literal(None, String)
    if question.target == CLIENT_PROFILE:
        return Client.answers[question.key].as_string()
    return case((ServiceForm.kind == question.target, answer(question.key)))


DIMENSIONS = {
    d.key: d
    for d in (
        Dimension("month", lazy_gettext("Month"), lambda c: month_of(ServiceSession.service_date), order="value"),
        Dimension("session_type", lazy_gettext("Session type"), lambda c: ServiceSession.session_type, session_type_names),
        Dimension("site", lazy_gettext("Site"), lambda c: ServiceSession.site_id, names_of(Site)),
        Dimension("worker", lazy_gettext("Worker"), lambda c: ServiceSession.lead_staff_id, names_of(Staff, staff_name)),
        Dimension(
            "program",
            lazy_gettext("Program"),
            lambda c: ServiceSession.program_id,
            names_of(Program),
            empty=lazy_gettext("No program"),
        ),
        Dimension(
            "funder",
            lazy_gettext("Funder"),
            lambda c: session_funders.c.funder_id,
            names_of(Funder),
            joins=("funders",),
            empty=lazy_gettext("No funder"),
        ),
        Dimension(
            "delivery_method", lazy_gettext("Delivery method"), lambda c: ServiceSession.delivery_method, fixed(DELIVERY_LABELS)
        ),
        Dimension(
            "language",
            lazy_gettext("Delivery language"),
            lambda c: literal_column_language(),
            list_names("languages"),
            joins=("languages",),
        ),
        Dimension(
            "group_activity",
            lazy_gettext("Group activity"),
            lambda c: ServiceSession.group_activity_id,
            names_of(GroupActivityName),
            empty=lazy_gettext("No name"),
        ),
        Dimension(
            "interpreter",
            lazy_gettext("Interpreter present"),
            lambda c: case((ServiceSession.interpreter_present, "Yes"), else_="No"),
            YES_NO,
        ),
        Dimension(
            "point_of_entry",
            lazy_gettext("At point of entry"),
            lambda c: case((ServiceSession.at_point_of_entry, "Yes"), else_="No"),
            YES_NO,
        ),
        column(
            "client_kind",
            lazy_gettext("Client"),
            Client.kind,
            names=fixed({"named": lazy_gettext("Named"), "anonymous": lazy_gettext("Anonymous")}),
        ),
        column("gender", lazy_gettext("Gender"), Client.gender, names=list_names("genders")),
        column(
            "immigration_status",
            lazy_gettext("Immigration status"),
            Client.immigration_status,
            names=list_names("immigration_statuses"),
        ),
        column("country_of_birth", lazy_gettext("Country of birth"), Client.country_of_birth, names=list_names("countries")),
        column("first_language", lazy_gettext("First language"), Client.first_language, names=list_names("languages")),
        column("family_code", lazy_gettext("Family code"), Client.family_code),
        Dimension("arrival_year", lazy_gettext("Arrival year"), lambda c: arrival_year(), order="value", needs="client"),
        Dimension("postal_area", lazy_gettext("Postal area"), lambda c: postal_area(), needs="client"),
        Dimension("age_band", lazy_gettext("Age band"), lambda c: age_band(), order="value", needs="client"),
        Dimension("client", lazy_gettext("Client"), lambda c: Client.id, client_names, needs="client"),
        column("form_kind", lazy_gettext("Form"), ServiceForm.kind, names=form_kind_names, needs="form"),
        Dimension(
            "question_answer", lazy_gettext("Answer"), question_answer, YES_NO, needs="form", empty=lazy_gettext("No answer")
        ),
    )
}


def languages_table():
    """One row per delivery language of a session (the ``languages`` JSON list)."""
    if dialect() == "postgresql":
        return func.json_array_elements_text(ServiceSession.languages).table_valued("value").render_derived(LANGUAGES)
    return func.json_each(ServiceSession.languages).table_valued("value").alias(LANGUAGES)


def literal_column_language():
    """The delivery-language value of the ``languages`` join (``reports/query.py`` adds it)."""
    return literal_column(f"{LANGUAGES}.value")


def answer_dimension(key, label, field, names=option_names, **kwargs):
    """A dimension on one form answer (an indexed expression: see the reports migration); its
    values are labelled as the form's choices are (``names=None``: free text, as typed)."""
    return Dimension(key, label, lambda c: answer(field), names, needs="form", answer_field=field, **kwargs)


@dataclass(frozen=True)
class Measure:
    """What a cell counts: ``facts`` are SQL over the grain's rows (callables), ``agg`` turns
    their columns into one aggregate. ``kind``: ``"count"``, ``"hours"``, ``"percent"``, ``"date"``."""

    key: str
    label: str
    facts: tuple
    agg: object
    kind: str = "count"
    yes_field: str | None = None  # counts the forms answering this field Yes (stored: models/form_answers.py)
    summed: bool = False  # adds up each record's quantity (its one fact): the drill-down lists them

    def quantity(self, value):
        """One record's part of a ``summed`` measure, in the measure's unit (hours from minutes,
        not rounded: the records' total is the report's number)."""
        if value is None:
            return 0
        return value / 60.0 if self.kind == "hours" else int(value)

    @property
    def is_unique(self):
        """Whether it counts distinct values of its facts (clients, sessions, forms...): its
        drill-down lists one record for each (``reports/drill.one_per_unit``)."""
        return self.agg in (count_distinct, count_each_distinct)


def count_distinct(col):
    return func.count(distinct(col))


def count_each_distinct(*columns):
    """The distinct values of each column, added up (columns that are never set together)."""
    return sum((count_distinct(c) for c in columns[1:]), count_distinct(columns[0]))


CLIENTS_UNIQUE = lazy_gettext("Clients (unique)")


def unique_clients(label=CLIENTS_UNIQUE):
    """OCMS's rule: a named client once, an anonymous client once per session."""
    return Measure(
        "clients",
        label,
        (lambda: case((Client.kind == "named", Client.id)), lambda: case((Client.kind == "anonymous", SessionClient.id))),
        count_each_distinct,
    )


def yes_count(key, label, field):
    """Forms whose ``field`` is answered Yes."""
    return Measure(key, label, (lambda: case((answer(field) == "Yes", ServiceForm.id)),), count_distinct, yes_field=field)


SESSIONS = Measure("sessions", lazy_gettext("Sessions (unique)"), (lambda: ServiceSession.id,), count_distinct)  # each once
ATTENDANCES = Measure("attendances", lazy_gettext("Attendances"), (lambda: SessionClient.id,), count_distinct)
FORMS_COUNT = Measure("forms", lazy_gettext("Forms"), (lambda: ServiceForm.id,), count_distinct)
HOURS = Measure(
    "hours",
    lazy_gettext("Service hours"),
    (lambda: ServiceSession.hours * 60 + ServiceSession.minutes,),
    lambda minutes: func.coalesce(func.sum(minutes), 0) / 60.0,
    kind="hours",
    summed=True,
)
INTERPRETERS = Measure(
    "interpreters",
    lazy_gettext("Interpreters"),
    (lambda: ServiceSession.interpreters,),
    lambda n: func.coalesce(func.sum(n), 0),
    summed=True,
)
OLDEST = Measure("oldest", lazy_gettext("Oldest"), (lambda: ServiceSession.service_date,), func.min, kind="date")
PARTICIPANTS = Measure(
    "participants",
    lazy_gettext("Participants"),
    (lambda: whole_number(answer("participants")),),
    lambda n: func.coalesce(func.sum(n), 0),
    summed=True,
)


def rate(key, label, field):
    """Percentage of forms answering ``field`` Yes."""
    return Measure(
        key,
        label,
        (lambda: case((answer(field) == "Yes", ServiceForm.id)), lambda: ServiceForm.id),
        lambda yes, every: 100.0 * func.count(yes) / func.nullif(func.count(every), 0),
        kind="percent",
    )
