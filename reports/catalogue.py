"""Every report, declared once as data (like the service forms): key, title, what it counts,
its dimensions (rows, optional columns), measures and the filters it accepts. The criteria
page, the chart, the drill-down, the exports and the CLI are all derived from these.

Adding a report is one ``Report(...)`` in ``REPORT_LIST`` (referrals, plans, mentors and
iCARE add theirs here as they land). Indicator reports (topics, needs, support services)
take their rows from the form catalogue's fields, never from a typed list.
"""

from collections import namedtuple

from flask_babel import lazy_gettext
from sqlalchemy import select

from extensions import db
from models.client_profile import FIELDS, address
from models.clients import Client, EmergencyContact, registration_number
from reports.activity_reports import ACTIVITY_REPORTS
from reports.declaration import Report
from reports.dimensions import (
    ATTENDANCES,
    DIMENSIONS,
    FORMS_COUNT,
    HOURS,
    INTERPRETERS,
    OLDEST,
    PARTICIPANTS,
    SESSIONS,
    Dimension,
    among,
    answer_dimension,
    client_label,
    fixed,
    rate,
    unique_clients,
    yes_count,
)
from reports.plan_grain import (
    ACHIEVED_MONTH,
    GOALS_ACHIEVED,
    NEED_AREA,
    PLAN_CLIENTS,
    PLAN_MONTH,
    PLAN_WORKER,
    PLANS,
)
from reports.query import served_before
from service_forms.catalogue import FORMS
from service_forms.session_types import SESSION_TYPES, group_session_types

D = DIMENSIONS


def paired_indicators(kind, given, referred, given_label, referred_label, section_prefixes=None):
    """Rows from a form's yes/no fields: ``<stem><given>`` and its ``<stem><referred>``."""
    fields = {f.name: f for f in FORMS[kind].fields if f.type == "yesno"}
    rows, measures = [], []
    for name, spec in fields.items():
        if not name.endswith(given) or (section_prefixes and not name.startswith(section_prefixes)):
            continue
        stem = name[: -len(given)]
        other = next((n for n in referred if stem + n in fields), None)
        cells = [(given_label, name)] + ([(referred_label, stem + other)] if other else [])
        measures += [yes_count(field_name, label, field_name) for label, field_name in cells]
        rows.append((spec.label, tuple(cells)))
    return tuple(rows), tuple(measures)


def single_indicators(kinds, names, column_label):
    """Rows from yes/no fields that several form kinds share (support services)."""
    specs = {f.name: f for kind in kinds for f in FORMS[kind].fields if f.type == "yesno" and f.name in names}
    rows = tuple((specs[n].label, ((column_label, n),)) for n in names if n in specs)
    return rows, tuple(yes_count(n, specs[n].label, n) for n in names if n in specs)


def kinds_with(field_name):
    return tuple(kind for kind, spec in FORMS.items() if any(f.name == field_name for f in spec.fields))


def session_types_of(*kinds):
    return tuple(t.key for t in SESSION_TYPES.values() if any(k in t.offers for k in kinds))


CONTACT_COLUMNS = ("phone", "email", "street_no", "street_name", "street_type", "street_direction", "unit", "city")
CONTACT_COLUMNS += ("province", "postal_code")


def contact_listing(ids):
    """Each client's name, then phone, email and address: one statement, the columns read as
    plain tuples (the list may be long), each list value's label looked up once, not once a row."""
    columns = [Client.id, client_label(), *(getattr(Client, name) for name in CONTACT_COLUMNS)]
    rows = db.session.execute(select(*columns).where(among(Client.id, ids))).tuples()
    labels = LabelMemo()
    shown = lambda name, value: labels[name, value]  # noqa: E731
    names, cells = {}, {}
    for client_id, name, phone, email, *rest in rows:
        names[client_id] = name
        where = address(Contact(phone, email, *rest), shown=shown)
        cells[client_id] = [registration_number(client_id), phone or "", email or "", where]
    return names, cells


Contact = namedtuple("Contact", CONTACT_COLUMNS)  # the contact columns of one row, as ``address()`` reads them


class LabelMemo(dict):
    """``memo[(field, value)]``: the profile field's value as shown (``FIELDS[field].shown``)."""

    def __missing__(self, key):
        self[key] = FIELDS[key[0]].shown(key[1], None)
        return self[key]


def emergency_listing(ids):
    """Each client's name, then their emergency contacts as ``EmergencyContact.__str__`` writes
    them: one statement (the client, and its contacts if any), plain tuples."""
    contact = EmergencyContact
    query = (
        select(Client.id, client_label(), contact.name, contact.relationship, contact.phone)
        .outerjoin(contact, contact.client_id == Client.id)
        .where(among(Client.id, ids))
        .order_by(contact.id)
    )
    names, found = {}, {}
    for client_id, label, name, relationship, phone in db.session.execute(query).tuples():
        names[client_id] = label
        listed = found.setdefault(client_id, [])
        if name is not None:
            listed.append(f"{name} ({relationship}) {phone}".strip())
    none = str(lazy_gettext("None recorded"))
    return names, {i: ["; ".join(v) or none] for i, v in found.items()}


TOPICS = paired_indicators(
    "io", "_given_ind", ("_referral_ind",), lazy_gettext("Information given"), lazy_gettext("Referred"), ("topic_",)
)
NEEDS = paired_indicators(
    "needs_assessment",
    "_needs_ind",
    ("_referrals_ind", "_refs_ind", "_needs_referrals_ind"),
    lazy_gettext("Needs identified"),
    lazy_gettext("Referrals made"),
)
SUPPORT_NAMES = ("childminding_ind", "transportation_ind", "support_disability_ind", "translation_ind", "interpretation_ind")
SUPPORT = single_indicators(tuple(FORMS), SUPPORT_NAMES + ("counselling_ind",), lazy_gettext("Services provided"))
RAP_NAMES = tuple(f.name for f in FORMS["rap"].fields if f.section == "RAP services")
RAP = single_indicators(("rap",), RAP_NAMES, lazy_gettext("Clients given the service"))
TARGETS = single_indicators(
    ("io",), tuple(f.name for f in FORMS["io"].fields if f.name.startswith("target_group_")), lazy_gettext("Services")
)
GROUP_KINDS = tuple(spec.kind for spec in FORMS.values() if spec.scope == "session" and spec.kind != "lt_course")
CLIENTS = unique_clients()
NAMED_ONLY = lambda criteria: [Client.kind == "named"]  # noqa: E731


def served(key, title, description, rows, **kwargs):
    """A clients-served report (unique clients, their attendances and sessions)."""
    return Report(key, title, description, "attendance", rows, measures=(CLIENTS, ATTENDANCES, SESSIONS), **kwargs)


def visits(key, title, description, rows, measures=(SESSIONS, HOURS), **kwargs):
    return Report(key, title, description, "session", rows, measures=measures, category=lazy_gettext("Visits"), **kwargs)


def demographic(key, title, description, dimension, **kwargs):
    return served(key, title, description, dimension, category=lazy_gettext("Client demographics"), **kwargs)


REPORT_LIST = [
    served(
        "clients_served",
        lazy_gettext("Clients served by month"),
        lazy_gettext(
            "Clients served (unique: a named client once, an anonymous client once per session) in complete sessions, by month."
        ),
        D["month"],
        chart="line",
        category=lazy_gettext("Clients"),
    ),
    Report(
        "new_returning",
        lazy_gettext("New and returning clients"),
        lazy_gettext(
            "A client is New if their first service ever at the agency (in the program, when filtered by program) falls in "
            "the range, otherwise Returning; counted once, New wins. Drill down for the names."
        ),
        "attendance",
        Dimension(
            "status",
            lazy_gettext("Status"),
            lambda c: _new_or_returning(c),
            fixed({"New": lazy_gettext("New"), "Returning": lazy_gettext("Returning")}),
            needs="client",
        ),
        measures=(CLIENTS,),
        category=lazy_gettext("Clients"),
    ),
    served(
        "clients_by_site",
        lazy_gettext("Clients served by site"),
        lazy_gettext("Clients served (unique) by the site of the session."),
        D["site"],
        category=lazy_gettext("Clients"),
    ),
    served(
        "clients_by_worker",
        lazy_gettext("Clients served by worker"),
        lazy_gettext("Clients served (unique) by the session's lead worker; a deactivated worker's clients still count."),
        D["worker"],
        category=lazy_gettext("Clients"),
    ),
    served(
        "clients_by_program",
        lazy_gettext("Clients served by program"),
        lazy_gettext("Clients served (unique) by the session's program."),
        D["program"],
        category=lazy_gettext("Clients"),
    ),
    served(
        "named_anonymous",
        lazy_gettext("Named and anonymous clients"),
        lazy_gettext("Named clients count once; an anonymous client counts once for every session."),
        D["client_kind"],
        category=lazy_gettext("Clients"),
    ),
    visits(
        "visits_by_type",
        lazy_gettext("Visits by session type"),
        lazy_gettext("Complete sessions and their service hours by session type."),
        D["session_type"],
    ),
    visits(
        "visits_by_site",
        lazy_gettext("Visits by site"),
        lazy_gettext("Complete sessions and their service hours by site."),
        D["site"],
    ),
    visits(
        "visits_by_worker",
        lazy_gettext("Visits by worker"),
        lazy_gettext("Complete sessions and their service hours by lead worker."),
        D["worker"],
    ),
    visits(
        "visits_by_program",
        lazy_gettext("Visits by program"),
        lazy_gettext("Complete sessions and their service hours by program."),
        D["program"],
    ),
    visits(
        "visits_by_funder",
        lazy_gettext("Visits by funder"),
        lazy_gettext("Complete sessions by funder; a session with two funders counts under each, once in the total."),
        D["funder"],
        measures=(SESSIONS,),
    ),
    visits(
        "visits_by_delivery_method",
        lazy_gettext("Visits by delivery method"),
        lazy_gettext("Complete sessions by delivery method (in person, phone, email, online)."),
        D["delivery_method"],
    ),
    visits(
        "visits_by_language",
        lazy_gettext("Visits by delivery language"),
        lazy_gettext("Complete sessions by delivery language; a session in two languages counts under each, once in the total."),
        D["language"],
        measures=(SESSIONS,),
    ),
    visits(
        "service_hours",
        lazy_gettext("Service hours by month and session type"),
        lazy_gettext("Hours of service in complete sessions, by month (rows) and session type (columns)."),
        D["month"],
        columns=D["session_type"],
        measures=(HOURS,),
        chart="line",
    ),
    visits(
        "interpreters",
        lazy_gettext("Interpreter services"),
        lazy_gettext("Complete sessions with and without an interpreter, and the number of interpreters."),
        D["interpreter"],
        measures=(SESSIONS, INTERPRETERS),
    ),
    visits(
        "point_of_entry",
        lazy_gettext("Point-of-entry services"),
        lazy_gettext("Complete sessions delivered at a point of entry, or not, by site."),
        D["site"],
        columns=D["point_of_entry"],
        measures=(SESSIONS,),
    ),
    Report(
        "incomplete_by_worker",
        lazy_gettext("Incomplete sessions by worker"),
        lazy_gettext(
            "Sessions in the range not yet complete (not counted in any other report), by lead worker, with the oldest."
        ),
        "incomplete",
        D["worker"],
        measures=(SESSIONS, OLDEST),
        category=lazy_gettext("Quality"),
    ),
    Report(
        "forms_by_kind",
        lazy_gettext("Forms completed by kind"),
        lazy_gettext("Forms in complete sessions by form kind, with the clients they were for."),
        "form",
        D["form_kind"],
        measures=(FORMS_COUNT, CLIENTS),
        category=lazy_gettext("Forms"),
    ),
    Report(
        "forms_by_worker",
        lazy_gettext("Forms completed by worker"),
        lazy_gettext("Forms in complete sessions by the session's lead worker."),
        "form",
        D["worker"],
        measures=(FORMS_COUNT, CLIENTS),
        category=lazy_gettext("Forms"),
    ),
    Report(
        "io_topics",
        lazy_gettext("Information & Orientation topics"),
        lazy_gettext("I&O forms (one-on-one and group attendees) where each topic was covered, and referred."),
        "form",
        kinds=("io", "io_attendee"),
        indicators=TOPICS[0],
        measures=TOPICS[1],
        category=lazy_gettext("Forms"),
    ),
    Report(
        "io_target_groups",
        lazy_gettext("I&O target groups"),
        lazy_gettext("I&O forms directed at each target group."),
        "form",
        kinds=("io",),
        indicators=TARGETS[0],
        measures=TARGETS[1],
        category=lazy_gettext("Forms"),
    ),
    Report(
        "needs_referrals",
        lazy_gettext("Needs identified and referrals made"),
        lazy_gettext("Needs Assessment forms identifying each need, and those that made a referral for it."),
        "form",
        kinds=("needs_assessment",),
        indicators=NEEDS[0],
        measures=NEEDS[1],
        category=lazy_gettext("Forms"),
    ),
    Report(
        "support_services",
        lazy_gettext("Support services provided"),
        lazy_gettext(
            "Forms on which each support service (childminding, transportation, disability provisions, translation, "
            "interpretation, crisis counselling) was provided."
        ),
        "form",
        kinds=kinds_with("childminding_ind"),
        indicators=SUPPORT[0],
        measures=SUPPORT[1],
        category=lazy_gettext("Forms"),
    ),
    Report(
        "group_attendance",
        lazy_gettext("Group activities and attendance"),
        lazy_gettext(
            "Group activity sessions and the attendees who attended (an absent attendee does not count), by activity name."
        ),
        "attendance",
        D["group_activity"],
        measures=(SESSIONS, ATTENDANCES, CLIENTS),
        session_types=tuple(group_session_types()),
        category=lazy_gettext("Groups"),
    ),
    Report(
        "workshop_trends",
        lazy_gettext("Workshop trends by topic"),
        lazy_gettext("Group workshops by topic (rows) and month (columns)."),
        "form",
        answer_dimension("topic", lazy_gettext("Topic"), "topic", None, empty=lazy_gettext("No topic")),
        columns=D["month"],
        measures=(FORMS_COUNT,),
        kinds=GROUP_KINDS,
        category=lazy_gettext("Groups"),
    ),
    Report(
        "workshop_participants",
        lazy_gettext("Workshop participants by topic"),
        lazy_gettext("Workshops and the participants their group forms record, by topic."),
        "form",
        answer_dimension("topic", lazy_gettext("Topic"), "topic", None, empty=lazy_gettext("No topic")),
        measures=(FORMS_COUNT, PARTICIPANTS),
        kinds=GROUP_KINDS,
        category=lazy_gettext("Groups"),
    ),
    Report(
        "language_enrolments",
        lazy_gettext("Language training enrolments"),
        lazy_gettext("Training Enrolment forms in complete sessions, by month, and the clients enrolled."),
        "form",
        D["month"],
        measures=(FORMS_COUNT, CLIENTS),
        kinds=("lt_enrolment",),
        category=lazy_gettext("Language training"),
        chart="line",
    ),
    Report(
        "language_attendance",
        lazy_gettext("Language training attendance rate"),
        lazy_gettext("Training Attendance forms by month: classes recorded, attended, and the attendance rate."),
        "form",
        D["month"],
        measures=(
            FORMS_COUNT,
            yes_count("attended", lazy_gettext("Attended"), "attended"),
            rate("rate", lazy_gettext("Attendance rate (%)"), "attended"),
        ),
        kinds=("lt_attendance",),
        category=lazy_gettext("Language training"),
        counts_absent=True,
    ),
    Report(
        "language_exits",
        lazy_gettext("Language training exits"),
        lazy_gettext("Training Exit forms by training status."),
        "form",
        answer_dimension("training_status", lazy_gettext("Training status"), "training_status_id"),
        measures=(FORMS_COUNT, CLIENTS),
        kinds=("lt_exit",),
        category=lazy_gettext("Language training"),
    ),
    Report(
        "clb_certificates",
        lazy_gettext("CLB levels on certificates"),
        lazy_gettext("Exit forms with a certificate issued: listening level (rows) by speaking level (columns)."),
        "form",
        answer_dimension("cert_listening", lazy_gettext("Listening (certificate)"), "certificate_listening_level_id"),
        columns=answer_dimension("cert_speaking", lazy_gettext("Speaking (certificate)"), "certificate_speaking_level_id"),
        measures=(FORMS_COUNT,),
        kinds=("lt_exit",),
        where=lambda c: [_answered("certificate_issued_ind", "Yes")],
        category=lazy_gettext("Language training"),
    ),
    Report(
        "employment_services",
        lazy_gettext("Employment services"),
        lazy_gettext("Employment forms by the long-term intervention received."),
        "form",
        answer_dimension(
            "intervention",
            lazy_gettext("Intervention"),
            "intervention_received_id",
            empty=lazy_gettext("No long-term intervention"),
        ),
        measures=(FORMS_COUNT, CLIENTS),
        kinds=("employment",),
        category=lazy_gettext("Employment"),
    ),
    Report(
        "job_placements",
        lazy_gettext("Job placements"),
        lazy_gettext("Job Placement forms by placement type (paid, unpaid)."),
        "form",
        answer_dimension("placement_type", lazy_gettext("Placement type"), "placement_type_id"),
        measures=(FORMS_COUNT, CLIENTS),
        kinds=("job_placement",),
        category=lazy_gettext("Employment"),
    ),
    Report(
        "rap_services",
        lazy_gettext("Refugee (RAP) services"),
        lazy_gettext("Refugee (RAP) forms on which each resettlement service was given."),
        "form",
        kinds=("rap",),
        indicators=RAP[0],
        measures=RAP[1],
        category=lazy_gettext("Refugees"),
    ),
    demographic(
        "age_bands",
        lazy_gettext("Clients by age band"),
        lazy_gettext("Clients served (unique) in the range by age band, from their profiles."),
        D["age_band"],
    ),
    demographic(
        "genders",
        lazy_gettext("Clients by gender"),
        lazy_gettext("Clients served (unique) in the range by gender, from their profiles."),
        D["gender"],
    ),
    demographic(
        "immigration_statuses",
        lazy_gettext("Clients by immigration status"),
        lazy_gettext("Clients served (unique) in the range by immigration status, from their profiles."),
        D["immigration_status"],
    ),
    demographic(
        "countries_of_birth",
        lazy_gettext("Clients by country of birth"),
        lazy_gettext("Clients served (unique) in the range by country of birth, from their profiles."),
        D["country_of_birth"],
    ),
    demographic(
        "arrival_years",
        lazy_gettext("Clients by arrival year"),
        lazy_gettext("Clients served (unique) in the range by arrival year, from their profiles."),
        D["arrival_year"],
    ),
    demographic(
        "first_languages",
        lazy_gettext("Clients by first language"),
        lazy_gettext("Clients served (unique) in the range by first language, from their profiles."),
        D["first_language"],
    ),
    demographic(
        "postal_areas",
        lazy_gettext("Clients by postal area"),
        lazy_gettext("Clients served (unique) in the range by postal area, from their profiles."),
        D["postal_area"],
    ),
    served(
        "families",
        lazy_gettext("Families served"),
        lazy_gettext("Family codes of the named clients served in the range, with how many members were served."),
        D["family_code"],
        where=lambda c: [Client.family_code.isnot(None), Client.family_code != ""],
        chart=None,
        category=lazy_gettext("Clients"),
    ),
    served(
        "contact_list",
        lazy_gettext("Client contact list"),
        lazy_gettext("Named clients served in the range with their phone, email and address (printable)."),
        D["client"],
        where=NAMED_ONLY,
        chart=None,
        listing=contact_listing,
        listing_headers=(
            lazy_gettext("Registration number"),
            lazy_gettext("Phone"),
            lazy_gettext("Email"),
            lazy_gettext("Address"),
        ),
        category=lazy_gettext("Lists"),
    ),
    served(
        "emergency_contacts",
        lazy_gettext("Emergency-contact list"),
        lazy_gettext("Named clients served in the range with their emergency contacts (printable)."),
        D["client"],
        where=NAMED_ONLY,
        chart=None,
        listing=emergency_listing,
        listing_headers=(lazy_gettext("Emergency contacts"),),
        category=lazy_gettext("Lists"),
    ),
    Report(
        "question_answers",
        lazy_gettext("Agency-question answers"),
        lazy_gettext(
            "Answers to one of your agency's questions (choose it under Additional options), on forms in complete sessions "
            "or on the profiles of the clients they were for."
        ),
        "form",
        D["question_answer"],
        measures=(FORMS_COUNT, CLIENTS),
        category=lazy_gettext("Agency questions"),
    ),
    Report(
        "plans_opened",
        lazy_gettext("Settlement plans opened"),
        lazy_gettext("Settlement plans started in the range, by month, and the clients they are for."),
        "plan",
        PLAN_MONTH,
        measures=(PLANS, PLAN_CLIENTS),
        category=lazy_gettext("Settlement plans"),
    ),
    Report(
        "plans_by_worker",
        lazy_gettext("Settlement plans opened by worker"),
        lazy_gettext("Settlement plans started in the range, by the worker responsible."),
        "plan",
        PLAN_WORKER,
        measures=(PLANS, PLAN_CLIENTS),
        category=lazy_gettext("Settlement plans"),
    ),
    Report(
        "goals_achieved_by_need",
        lazy_gettext("Plan goals achieved by need area"),
        lazy_gettext("Goals of settlement plans achieved in the range, by need area of the Needs Assessment, and by month."),
        "goal_achieved",
        NEED_AREA,
        ACHIEVED_MONTH,
        measures=(GOALS_ACHIEVED,),
        category=lazy_gettext("Settlement plans"),
    ),
    *ACTIVITY_REPORTS,
]
REPORTS = {report.key: report for report in REPORT_LIST}


def _answered(field_name, value):
    from reports.dimensions import answer

    return answer(field_name) == value


def _new_or_returning(criteria):
    from sqlalchemy import case

    return case((Client.kind == "anonymous", "New"), (served_before(criteria), "Returning"), else_="New")


class UnknownReport(LookupError):
    def __init__(self, key):
        super().__init__(f"There is no report '{key}'.")
        self.key = key


def report(key):
    """The report ``key`` (``UnknownReport`` if there is none)."""
    try:
        return REPORTS[key]
    except KeyError:
        raise UnknownReport(key) from None
