"""Synthetic volume for ``flask --app app seed-scale --clients N [--agency CODE]``.

N clients in one agency (the demo agency by default), with what a busy agency has for each:
one assigned worker, about five direct sessions (each with its attendee, a funder and an I&O
form, about one in six incomplete, one in ten private), a case note (half in the author's
program, one in ten private), for three clients in ten a referral, and for one in five an active
settlement plan with two goals. Names, origins and
statuses are the demo's (``demo/clients.py``); 5% of clients are anonymous, 3% archived.

Rows are written with bulk inserts, a batch of clients and everything of theirs at a time:
Core ``insert()`` executemany on SQLite, ``COPY ... FROM STDIN`` (psycopg) on PostgreSQL (as the
tables' owner; under row-level security, which refuses COPY, executemany again). Ids are
given here (from the table's highest id) and the id sequences moved past them at the end, then
``ANALYZE``. Core statements bypass the ORM's tenancy hook, so every row is built with the
agency's own id and its own agency's sites, staff, programs and partners only; the caller runs
inside ``tenant_scope(agency)`` so that row-level security checks each row on PostgreSQL.
"""

import json
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as day_time
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy import text as sql

from demo.clients import IRCC_TYPE, ORIGINS, POSTAL, STATUSES, STREETS
from demo.sessions import TEXT, answer
from extensions import db
from models import Client, ClientAssignment, Funder, Program, ServiceForm, ServiceSession, SessionClient, Site, Staff
from models.clients import CaseNote
from models.first_services import refresh_all
from models.plans import PlanGoal, SettlementPlan
from models.referrals import Referral, ReferralPartner, need_areas
from models.search_text import client_search_text, email_key, phone_digits
from models.service_sessions import session_funders
from models.tenancy import unscoped_options
from service_forms.catalogue import form_kind

BATCH = 2000  # clients per batch (with their ~5 sessions, forms, notes...)
REBUILD_FROM = 50_000  # PostgreSQL: from this many clients, secondary indexes are rebuilt after the load
SESSIONS_PER_CLIENT = (3, 7)  # about five on average
ANONYMOUS, ARCHIVED, PRIVATE, INCOMPLETE, REFERRED, PLANNED = 0.05, 0.03, 0.1, 1 / 6, 0.3, 0.2
YEARS_BACK = 2
TABLES = ("clients", "client_assignments", "service_sessions", "session_funders", "session_clients")
TABLES += ("service_forms", "case_notes", "referrals", "settlement_plans", "plan_goals")
MODELS = {
    "clients": Client,
    "client_assignments": ClientAssignment,
    "service_sessions": ServiceSession,
    "session_clients": SessionClient,
    "service_forms": ServiceForm,
    "case_notes": CaseNote,
    "referrals": Referral,
    "settlement_plans": SettlementPlan,
    "plan_goals": PlanGoal,
}
NOW = datetime(2026, 1, 1)


def agency_lists(agency_id):
    """The agency's own sites, front-line staff (with their first program), funders and partners."""
    where = lambda model: select(model).where(model.agency_id == agency_id).order_by(model.id)  # noqa: E731
    staff = db.session.scalars(where(Staff)).all()
    front_line = [s for s in staff if s.role != "agency_admin"] or staff
    lists = SimpleNamespace(
        agency_id=agency_id,
        sites=[s.id for s in db.session.scalars(where(Site))],
        staff=[(s.id, s.programs[0].id if s.programs else None) for s in front_line],
        funders=[f.id for f in db.session.scalars(where(Funder))],
        programs=[p.id for p in db.session.scalars(where(Program))],
        partners=[p.id for p in db.session.scalars(where(ReferralPartner))],
        needs=[area.code for area in need_areas()] or ["other"],
        forms=form_templates(random.Random(agency_id)),
    )
    if not (lists.sites and lists.staff and lists.funders):
        raise ValueError("the agency needs at least one site, staff member and funder (run seed-demo first)")
    return lists


class IdCounter:
    """The next id of each table, from its highest id in every agency (ids are global), so a
    second run adds after the first: the one read here that is not scoped to the agency."""

    def __init__(self, connection):
        top = lambda name: select(func.max(MODELS[name].__table__.c.id)).execution_options(**unscoped_options)  # noqa: E731
        self.next = {name: (connection.scalar(top(name)) or 0) + 1 for name in MODELS}

    def take(self, name):
        value = self.next[name]
        self.next[name] += 1
        return value


def client_row(rng, lists, client_id, today):
    origin = ORIGINS[rng.choice(sorted(ORIGINS))]
    country, language, official, women, men, families = origin
    registered = today - timedelta(days=rng.randint(0, 365 * YEARS_BACK))
    row = {
        "id": client_id,
        "agency_id": lists.agency_id,
        "kind": "named",
        "registration_date": registered,
        "registration_site_id": rng.choice(lists.sites),
        "immigration_status": rng.choice(STATUSES),
        "created_by_id": rng.choice(lists.staff)[0],
        "is_archived": rng.random() < ARCHIVED,
        "gender": rng.choice(("Female", "Male")),
        "country_of_birth": country,
        "first_language": language,
        "official_language": official,
    }
    if rng.random() < ANONYMOUS:
        return {**row, "kind": "anonymous", "immigration_status": None, "search_text": " "}
    street, street_type = rng.choice(STREETS)
    first = rng.choice(women if row["gender"] == "Female" else men)
    row.update(
        first_name=first,
        last_name=rng.choice(families),
        date_of_birth=date(rng.randint(1950, 2008), rng.randint(1, 12), rng.randint(1, 28)),
        phone=f"+1 416-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        email=f"{first.lower()}.{client_id}@example.com" if rng.random() < 0.6 else None,
        street_no=str(rng.randint(10, 3999)),
        street_name=street,
        street_type=street_type,
        city="Toronto",
        province="Ontario",
        postal_code=rng.choice(POSTAL),
        citizenship=country,
        arrival_date=registered - timedelta(days=rng.randint(0, 400)),
        ircc_id_type=IRCC_TYPE,
        ircc_id_value=str(10**7 + client_id),
        privacy_consent_at=datetime.combine(registered, day_time(10)),
        privacy_consent_version=1,
        privacy_consent_staff_id=row["created_by_id"],
    )
    row["has_email"] = row["email"] is not None
    row["email_key"] = email_key(row["email"])  # find-a-client's email index (bulk rows bypass the ORM)
    row["phone_digits"] = phone_digits(row["phone"]) or None
    row["search_text"] = client_search_text(SimpleNamespace(comments=None, preferred_name=None, family_code=None, **row))
    return row


def form_templates(rng, count=12):
    """I&O answers as the demo writes them (every required field, some others), each checked
    once by the form's own rule: the complete ``(answers, True)`` and the incomplete ones (a
    third of the templates miss a required answer)."""
    spec = form_kind("io")
    templates = []
    for number in range(count):
        answers = {}
        for field in spec.fields:
            if field.applies(answers) and (field.required or rng.random() < 0.3):
                answers[field.name] = answer(rng, field, NOW.date())
        if number % 3 == 2:
            answers.pop(rng.choice([f.name for f in spec.fields if f.required and f.name in answers]))
        probe = ServiceForm(kind="io")
        probe.save_answers(answers)
        templates.append((answers, probe.is_complete))
    return [t for t in templates if t[1]], [t for t in templates if not t[1]]


def form_data(rng, templates, day, postal_code):
    complete_ones, incomplete_ones = templates
    answers, complete = rng.choice(incomplete_ones if incomplete_ones and rng.random() < INCOMPLETE else complete_ones)
    answers = dict(answers)
    for name, value in (("start_dttm", day.isoformat()), ("postal_cd", postal_code)):
        if name in answers:
            answers[name] = value
    return answers, complete


def client_records(rng, lists, ids, client, today, rows):
    """Everything of one client: assignment, sessions with attendee, funder and form, note, referral."""
    cid = client["id"]
    worker, program = rng.choice(lists.staff)
    rows["client_assignments"].append(
        {"id": ids.take("client_assignments"), "agency_id": lists.agency_id, "client_id": cid, "staff_id": worker}
    )
    for _ in range(rng.randint(*SESSIONS_PER_CLIENT)):
        sid = ids.take("service_sessions")
        lead, lead_program = rng.choice(lists.staff)
        day = client["registration_date"] + timedelta(days=rng.randint(0, max(0, (today - client["registration_date"]).days)))
        rows["service_sessions"].append(
            {
                "id": sid,
                "agency_id": lists.agency_id,
                "session_type": "direct",
                "service_date": day,
                "site_id": rng.choice(lists.sites),
                "program_id": lead_program,
                "lead_staff_id": lead,
                "created_by_id": lead,
                "hours": rng.choice((0, 1)),
                "minutes": rng.choice((15, 30, 45)),
                "languages": ["English"],
                "delivery_method": rng.choice(("In Person", "In Person", "Phone", "Online")),
            }
        )
        rows["session_funders"].append({"session_id": sid, "funder_id": rng.choice(lists.funders)})
        rows["session_clients"].append(
            {"id": ids.take("session_clients"), "agency_id": lists.agency_id, "session_id": sid, "client_id": cid}
        )
        data, complete = form_data(rng, lists.forms, day, client.get("postal_code") or POSTAL[0])
        rows["service_forms"].append(
            {
                "id": ids.take("service_forms"),
                "agency_id": lists.agency_id,
                "session_id": sid,
                "client_id": cid,
                "kind": "io",
                "program_id": lead_program,
                "is_private": rng.random() < PRIVATE,
                "author_id": lead,
                "data": data,
                "is_complete": complete,
                "completed_at": datetime.combine(day, day_time(12)) if complete else None,
            }
        )
    rows["case_notes"].append(
        {
            "id": ids.take("case_notes"),
            "agency_id": lists.agency_id,
            "client_id": cid,
            "author_id": worker,
            "program_id": program if rng.random() < 0.5 else None,
            "is_private": rng.random() < PRIVATE,
            "body": rng.choice(TEXT),
        }
    )
    if rng.random() < PLANNED:
        plan_records(rng, lists, ids, client, worker, rows)
    if rng.random() < REFERRED:
        partner = rng.choice(lists.partners) if lists.partners and rng.random() < 0.8 else None
        rows["referrals"].append(
            {
                "id": ids.take("referrals"),
                "agency_id": lists.agency_id,
                "client_id": cid,
                "referring_staff_id": worker,
                "partner_id": partner,
                "to_program_id": None if partner or not lists.programs else rng.choice(lists.programs),
                "need_area": rng.choice(lists.needs),
                "referral_date": client["registration_date"],
                "status": rng.choice(("made", "accepted", "attended")),
                "program_id": program,
            }
        )


def plan_records(rng, lists, ids, client, worker, rows):
    """An active settlement plan with two goals, for about one client in five."""
    plan = ids.take("settlement_plans")
    start = client["registration_date"]
    rows["settlement_plans"].append(
        {
            "id": plan,
            "agency_id": lists.agency_id,
            "client_id": client["id"],
            "worker_id": worker,
            "created_by_id": worker,
            "status": "active",
            "start_date": start,
            "summary": rng.choice(TEXT),
            "next_follow_up_date": start + timedelta(days=30),
        }
    )
    for need in rng.sample(lists.needs, k=min(2, len(lists.needs))):
        goal = {"id": ids.take("plan_goals"), "agency_id": lists.agency_id, "plan_id": plan, "need_area": need}
        rows["plan_goals"].append({**goal, "description": rng.choice(TEXT), "status": rng.choice(("not_started", "in_progress"))})


def batch_rows(rng, lists, ids, size, today):
    rows = {name: [] for name in TABLES}
    for _ in range(size):
        client = client_row(rng, lists, ids.take("clients"), today)
        rows["clients"].append(client)
        client_records(rng, lists, ids, client, today, rows)
    return rows


def table_of(name):
    return session_funders if name == "session_funders" else MODELS[name].__table__


def with_defaults(table, rows):
    """Every row with the same columns: those any row names, and every column with a Python-side
    default (COPY applies none; executemany wants the same keys in every row)."""
    defaults = {}
    for column in table.columns:
        default = column.default
        if default is None or default.is_sequence:
            continue
        defaults[column.name] = default.arg(None) if default.is_callable else default.arg
    names = set(defaults).union(*rows)
    empty = {name: defaults.get(name) for name in names}
    return [{**empty, **row} for row in rows]


def copy_rows(connection, table, rows):
    """PostgreSQL: ``COPY`` through psycopg (JSON columns as text)."""
    rows = with_defaults(table, rows)
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if c.type.__class__.__name__ in ("JSON", "JSONB")}
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


def may_copy(connection):
    """``COPY FROM`` is refused where row-level security applies (the application role): then
    executemany INSERTs, which the policies check row by row."""
    if connection.dialect.name != "postgresql":
        return False
    return not connection.scalar(sql("SELECT row_security_active('clients')"))


def write_batch(connection, rows, copy):
    for name in TABLES:
        if not rows[name]:
            continue
        table = table_of(name)
        if copy:
            copy_rows(connection, table, rows[name])
        else:
            connection.execute(table.insert(), with_defaults(table, rows[name]))


def drop_secondary_indexes(connection):
    """PostgreSQL: drop the loaded tables' indexes that back no constraint and return their
    definitions (building an index once over every row beats updating 20 indexes per row)."""
    found = connection.execute(
        sql(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)"
        ),
        {"tables": list(TABLES)},
    ).all()
    for name, _ in found:
        connection.execute(sql(f'DROP INDEX "{name}"'))
    return [definition for _, definition in found]


def rebuild_indexes(connection, definitions, progress):
    if definitions:
        connection.execute(sql("SET LOCAL maintenance_work_mem = '256MB'"))
    for number, definition in enumerate(definitions, 1):
        connection.execute(sql(definition))
        if progress:
            progress(f"index {number} of {len(definitions)} rebuilt")


def finish(connection):
    """Move the id sequences past the given ids and refresh the planner's statistics."""
    if connection.dialect.name != "postgresql":
        connection.execute(sql("ANALYZE"))
        return
    for name in MODELS:
        connection.execute(sql(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
    for name in TABLES:
        connection.execute(sql(f"ANALYZE {name}"))


def seed_scale(agency_id, clients, seed=7, progress=None, today=None):
    """Add ``clients`` clients and their records to the agency; returns the rows written per table."""
    rng, today = random.Random(seed), today or date.today()
    lists = agency_lists(agency_id)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sql("SELECT set_config('app.agency_id', :agency, true)"), {"agency": str(agency_id)})
    ids, written, started = IdCounter(connection), dict.fromkeys(TABLES, 0), time.monotonic()
    copy = may_copy(connection)
    rebuild = copy and clients >= REBUILD_FROM
    definitions = drop_secondary_indexes(connection) if rebuild else []
    for done in range(0, clients, BATCH):
        rows = batch_rows(rng, lists, ids, min(BATCH, clients - done), today)
        write_batch(connection, rows, copy)
        for name in TABLES:
            written[name] += len(rows[name])
        if progress:
            progress(f"{done + len(rows['clients']):,} of {clients:,} clients ({time.monotonic() - started:.0f} s)")
    rebuild_indexes(connection, definitions, progress)
    refresh_all(connection, agency_id=agency_id)  # bulk rows: no ORM event saw them
    finish(connection)
    return written
