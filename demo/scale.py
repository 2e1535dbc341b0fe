"""Synthetic volume for ``flask --app app seed-scale --clients N [--agency CODE] [--workers W]``.

N clients in one agency (the demo agency by default), with what a busy agency has for each:
one assigned worker, about five direct sessions (each with its attendee, a funder and an I&O
form, about one in six incomplete, one in ten private), a case note (half in the author's
program, one in ten private), for three clients in ten a referral, and for one in five an active
settlement plan with two goals. Names, origins and
statuses are the demo's (``demo/clients.py``); 5% of clients are anonymous, 3% archived.

Rows are built in chunks of ``BATCH`` clients, as tuples, from what is computed once (``Kit``:
dates, the form answers as JSON text, each name pair's search words); a chunk's rows depend only
on the seed and the chunk's number (its ids are known beforehand from ``chunk_shape``), so
``--workers`` forked processes build the same rows as one. What the ORM hooks and triggers would
store is built with the rows: search text and email key, each session's stored completeness
(``is_counted``), each client's first services (``models/first_services.py``) and each form's
stored Yes answers (``models/form_answers.py``, which the indicator reports count).

Rows are written with bulk inserts, a chunk at a time, in one transaction:
Core ``insert()`` executemany on SQLite, ``COPY ... FROM STDIN`` (psycopg) on PostgreSQL (as the
tables' owner; under row-level security, which refuses COPY, executemany again). As a superuser
the load runs with ``session_replication_role = replica`` (no foreign-key check, no trigger;
the name words the trigger would add are written once at the end), unless a trigger it does not
know is on a loaded table. Ids are
given here (from the table's highest id) and the id sequences moved past them at the end, then
``ANALYZE``. Core statements bypass the ORM's tenancy hook, so every row is built with the
agency's own id and its own agency's sites, staff, programs and partners only; the caller runs
inside ``tenant_scope(agency)`` so that row-level security checks each row on PostgreSQL.
"""

import json
import multiprocessing
import random
import re
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
from models.first_services import AT_AGENCY, ClientFirstService
from models.form_answers import YES, FormYesAnswer
from models.plans import PlanGoal, SettlementPlan
from models.referrals import Referral, ReferralPartner, need_areas
from models.search_text import client_search_text, normalise
from models.service_sessions import session_funders
from models.tenancy import unscoped_options
from service_forms.catalogue import attendance_fields, form_kind

BATCH = 2000  # clients per batch (with their ~5 sessions, forms, notes...)
REBUILD_FROM = 50_000  # PostgreSQL: from this many clients, secondary indexes are rebuilt after the load
SESSIONS_PER_CLIENT = (4, 9)  # in a client's first year (about five on average: see chunk_shape)
ACTIVE_DAYS = 365  # a client's services fall in the year after they registered
ANONYMOUS, ARCHIVED, PRIVATE, INCOMPLETE, REFERRED, PLANNED = 0.05, 0.03, 0.1, 1 / 6, 0.3, 0.2
YEARS_BACK = 2
SPAN = 365 * YEARS_BACK  # days back that clients registered, at the most
TABLES = ("clients", "client_assignments", "service_sessions", "session_funders", "session_clients")
TABLES += ("service_forms", "service_form_yes_answers", "case_notes", "referrals", "settlement_plans", "plan_goals")
TABLES += ("client_first_services",)
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


COLUMNS = {  # the columns each table's rows are built with, in this order (tuples)
    "clients": (
        "id", "agency_id", "kind", "registration_date", "registration_site_id", "immigration_status", "created_by_id",
        "is_archived", "gender", "country_of_birth", "first_language", "official_language", "search_text",
        # named clients only (None for the anonymous ones):
        "first_name", "last_name", "date_of_birth", "phone", "email", "street_no", "street_name", "street_type", "city",
        "province", "postal_code", "citizenship", "arrival_date", "ircc_id_type", "ircc_id_value", "privacy_consent_at",
        "privacy_consent_version", "privacy_consent_staff_id", "has_email", "email_key", "phone_digits",
    ),
    "client_assignments": ("id", "agency_id", "client_id", "staff_id"),
    "service_sessions": (
        "id", "agency_id", "session_type", "service_date", "site_id", "program_id", "lead_staff_id", "created_by_id",
        "hours", "minutes", "languages", "delivery_method", "is_counted",
    ),
    "session_funders": ("session_id", "funder_id"),
    "session_clients": ("id", "agency_id", "session_id", "client_id"),
    "service_forms": (
        "id", "agency_id", "session_id", "client_id", "kind", "program_id", "is_private", "author_id", "data",
        "is_complete", "completed_at",
    ),
    "service_form_yes_answers": ("form_id", "agency_id", "field"),
    "case_notes": ("id", "agency_id", "client_id", "author_id", "program_id", "is_private", "body"),
    "referrals": (
        "id", "agency_id", "client_id", "referring_staff_id", "partner_id", "to_program_id", "need_area",
        "referral_date", "status", "program_id",
    ),
    "settlement_plans": (
        "id", "agency_id", "client_id", "worker_id", "created_by_id", "status", "start_date", "summary",
        "next_follow_up_date",
    ),
    "plan_goals": ("id", "agency_id", "plan_id", "need_area", "description", "status"),
    "client_first_services": ("client_id", "agency_id", "program_key", "first_date"),
}  # fmt: skip
ANONYMOUS_TAIL = (None,) * (len(COLUMNS["clients"]) - COLUMNS["clients"].index("first_name"))
ANONYMOUS_TEXT = client_search_text(SimpleNamespace(kind="anonymous", comments=None))  # as the write hook stores it
NAME_WORD = re.compile(r"^[a-z][a-z-]{2,99}$")  # the words client_name_words_add() keeps (migration e5f8a1c3b7d9)
LANGUAGES = json.dumps(["English"])
DELIVERY = ("In Person", "In Person", "Phone", "Online")
MINUTES = (15, 30, 45)
REFERRAL_STATUSES = ("made", "accepted", "attended")
GOAL_STATUSES = ("not_started", "in_progress")


class Kit:
    """What every chunk's rows are drawn from, computed once: the agency's lists, the dates
    (by days before ``today``), the form templates as JSON text, each name pair's search words."""

    def __init__(self, lists, today):
        self.lists = lists
        self.agency_id = lists.agency_id
        self.dates = [today - timedelta(days=back) for back in range(SPAN + 402)]
        self.consent_at = [datetime.combine(day, day_time(10)) for day in self.dates[: SPAN + 1]]
        self.noon = [datetime.combine(day, day_time(12)) for day in self.dates[: SPAN + 1]]
        self.iso = [day.isoformat() for day in self.dates[: SPAN + 1]]
        self.origins = [ORIGINS[name] for name in sorted(ORIGINS)]
        self.goals = min(2, len(lists.needs))
        attendance = attendance_fields()
        self.forms = tuple(  # (JSON text with markers, complete, attended, the fields answered Yes), complete ones first
            [
                (
                    json.dumps(template_answers(answers)),
                    complete,
                    not any(answers.get(f) == "No" for f in attendance),
                    yes_fields(template_answers(answers)),
                )
                for answers, complete in group
            ]
            for group in lists.forms
        )
        self.names = {}
        self.emails = {}

    def name_part(self, first, last):
        """The search words of a name pair (tokens and skeletons) and those the typo pass's
        dictionary keeps: ``client_search_text`` of the name alone, computed once per pair."""
        found = self.names.get((first, last))
        if found is None:
            probe = dict.fromkeys(("comments", "preferred_name", "email", "phone", "ircc_id_value", "family_code"))
            text = client_search_text(
                SimpleNamespace(kind="named", first_name=first, last_name=last, date_of_birth=None, **probe)
            )
            found = self.names[first, last] = (text.strip(), {w for w in text.split() if NAME_WORD.match(w)})
        return found

    def email_ok(self, first):
        """Whether ``first.<id>@example.com`` is its own search form (plain letters)."""
        ok = self.emails.get(first)
        if ok is None:
            sample = f"{first.lower()}.1@example.com"
            ok = self.emails[first] = normalise(sample) == sample
        return ok


def yes_fields(answers):
    """The fields a form's stored answers hold "Yes" for, as ``models/form_answers.py`` stores
    them (a string answer, once each)."""
    return tuple(sorted({field for field, value in answers.items() if value == YES}))


def template_answers(answers):
    """Form answers with the two per-session values (service date, postal code) left as markers."""
    return {
        **answers,
        **{name: marker for name, marker in (("start_dttm", "@DAY@"), ("postal_cd", "@POSTAL@")) if name in answers},
    }


def chunk_shape(seed, chunk, size):
    """Per client of a chunk: how many sessions, whether a plan, whether a referral, and how
    many days before today they registered. Drawn apart from the rows so that every chunk's ids
    are known before any row is built.

    A client's services fall in the year after they registered, and a client registered ``n``
    days ago has had the share ``n / 365`` of theirs so far (one at least): so every day of the
    last year holds about as many sessions as any other (a client's sessions spread over the
    days between registration and today put 15% of the two years' sessions in the last month:
    750,904 of 5,000,266 at 1,000,000 clients). About five sessions a client on average."""
    rng = random.Random(f"{seed}:{chunk}:shape")
    draw, (low, high) = rng.random, SESSIONS_PER_CLIENT
    shape = []
    for _ in range(size):
        year, planned, referred = low + int(draw() * (high - low + 1)), draw() < PLANNED, draw() < REFERRED
        back = int(draw() * (SPAN + 1))
        shape.append((max(1, round(year * min(1, back / ACTIVE_DAYS))), planned, referred, back))
    return shape


def plan_chunks(seed, clients, first_ids, goals):
    """``(chunk, size, first id of each table)`` for every chunk of ``BATCH`` clients."""
    chunks, ids = [], dict(first_ids)
    for number, done in enumerate(range(0, clients, BATCH)):
        size = min(BATCH, clients - done)
        chunks.append((number, size, dict(ids)))
        shape = chunk_shape(seed, number, size)
        sessions, plans = sum(s[0] for s in shape), sum(s[1] for s in shape)
        for name in ("clients", "client_assignments", "case_notes"):
            ids[name] += size
        for name in ("service_sessions", "session_clients", "service_forms"):
            ids[name] += sessions
        ids["settlement_plans"] += plans
        ids["plan_goals"] += plans * goals
        ids["referrals"] += sum(s[2] for s in shape)
    return chunks


def chunk_rows(kit, seed, spec):
    """The rows of one chunk of clients (tuples in ``COLUMNS`` order; JSON columns as text),
    and the name words its clients add to the agency's dictionary. The same seed and chunk
    always give the same rows, whichever process builds them."""
    number, size, ids = spec
    ids = dict(ids)
    rng = random.Random(f"{seed}:{number}")
    draw = rng.random
    lists, agency, dates, iso, noon = kit.lists, kit.agency_id, kit.dates, kit.iso, kit.noon
    sites, staff, funders, needs = lists.sites, lists.staff, lists.funders, lists.needs
    partners, programs = lists.partners, lists.programs
    complete_forms, incomplete_forms = kit.forms
    rows = {name: [] for name in TABLES}
    clients, assignments, sessions = rows["clients"], rows["client_assignments"], rows["service_sessions"]
    session_funders_, attendees, forms = rows["session_funders"], rows["session_clients"], rows["service_forms"]
    yes_answers = rows["service_form_yes_answers"]
    notes, referrals, plans, goals = rows["case_notes"], rows["referrals"], rows["settlement_plans"], rows["plan_goals"]
    first_services, words = rows["client_first_services"], set()

    def pick(seq):
        return seq[int(draw() * len(seq))]

    for session_count, planned, referred, back in chunk_shape(seed, number, size):
        cid, ids["clients"] = ids["clients"], ids["clients"] + 1
        row, postal, named = client_tuple(kit, draw, pick, cid, back, words)
        clients.append(row)
        worker, program = pick(staff)
        assignments.append((ids["client_assignments"], agency, cid, worker))
        ids["client_assignments"] += 1
        firsts = {}
        for _ in range(session_count):
            sid, ids["service_sessions"] = ids["service_sessions"], ids["service_sessions"] + 1
            lead, lead_program = pick(staff)
            day = back - int(draw() * (min(back, ACTIVE_DAYS) + 1))  # in the year after registration, not after today
            use = incomplete_forms if incomplete_forms and draw() < INCOMPLETE else complete_forms
            data, complete, attended, yes = pick(use)
            data = data.replace("@DAY@", iso[day]).replace("@POSTAL@", postal)
            # one attendee with their own form in a direct session: complete (counted) with the form
            session = (sid, agency, "direct", dates[day], pick(sites), lead_program, lead, lead, int(draw() * 2))
            sessions.append(session + (pick(MINUTES), LANGUAGES, pick(DELIVERY), complete))
            session_funders_.append((sid, pick(funders)))
            attendees.append((ids["session_clients"], agency, sid, cid))
            ids["session_clients"] += 1
            form = (ids["service_forms"], agency, sid, cid, "io", lead_program, draw() < PRIVATE, lead, data, complete)
            forms.append(form + (noon[day] if complete else None,))
            yes_answers.extend((ids["service_forms"], agency, field) for field in yes)
            ids["service_forms"] += 1
            if named and complete and attended:  # a first service (models/first_services.py)
                for key in (AT_AGENCY, lead_program) if lead_program else (AT_AGENCY,):
                    if firsts.get(key, -1) < day:
                        firsts[key] = day
        first_services.extend((cid, agency, key, dates[day]) for key, day in firsts.items())
        notes.append((ids["case_notes"], agency, cid, worker, program if draw() < 0.5 else None, draw() < PRIVATE, pick(TEXT)))
        ids["case_notes"] += 1
        if planned:  # an active settlement plan with two goals
            plan, ids["settlement_plans"] = ids["settlement_plans"], ids["settlement_plans"] + 1
            start = dates[back]
            plans.append((plan, agency, cid, worker, worker, "active", start, pick(TEXT), start + timedelta(days=30)))
            for need in rng.sample(needs, k=kit.goals):
                goals.append((ids["plan_goals"], agency, plan, need, pick(TEXT), pick(GOAL_STATUSES)))
                ids["plan_goals"] += 1
        if referred:
            partner = pick(partners) if partners and draw() < 0.8 else None
            to_program = None if partner or not programs else pick(programs)
            referral = (ids["referrals"], agency, cid, worker, partner, to_program, pick(needs), dates[back])
            referrals.append(referral + (pick(REFERRAL_STATUSES), program))
            ids["referrals"] += 1
    return rows, words


def client_tuple(kit, draw, pick, cid, back, words):
    """One client's row, its postal code (the forms' answer) and whether it is named."""
    country, language, official, women, men, families = pick(kit.origins)
    female = draw() < 0.5
    creator = pick(kit.lists.staff)[0]
    head = (cid, kit.agency_id, "named", kit.dates[back], pick(kit.lists.sites), pick(STATUSES), creator)
    head += (draw() < ARCHIVED, "Female" if female else "Male", country, language, official)
    if draw() < ANONYMOUS:
        return (*head[:2], "anonymous", *head[3:5], None, *head[6:], ANONYMOUS_TEXT) + ANONYMOUS_TAIL, POSTAL[0], False
    street, street_type = pick(STREETS)
    first, last = pick(women if female else men), pick(families)
    name_text, name_words = kit.name_part(first, last)
    words |= name_words
    born = date(1950 + int(draw() * 59), 1 + int(draw() * 12), 1 + int(draw() * 28))
    exchange, line = 200 + int(draw() * 800), 1000 + int(draw() * 9000)
    email = f"{first.lower()}.{cid}@example.com" if draw() < 0.6 else None
    searched_email = (email if kit.email_ok(first) else normalise(email)) if email else ""
    digits, ircc = f"416{exchange}{line}", str(10**7 + cid)
    # client_search_text() of the row, from the name pair's words (tests compare the two)
    search = " " + " ".join(part for part in (name_text, searched_email, digits, ircc, born.isoformat()) if part) + " "
    postal = pick(POSTAL)
    tail = (search, first, last, born, f"+1 416-{exchange}-{line}", email, str(10 + int(draw() * 3990)), street, street_type)
    tail += ("Toronto", "Ontario", postal, country, kit.dates[back + int(draw() * 401)], IRCC_TYPE, ircc)
    tail += (kit.consent_at[back], 1, creator, email is not None, email, digits)
    return head + tail, postal, True


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


WITHOUT_IDS = {"session_funders": session_funders, "client_first_services": ClientFirstService.__table__}
WITHOUT_IDS["service_form_yes_answers"] = FormYesAnswer.__table__  # the reports' stored Yes answers


def table_of(name):
    return WITHOUT_IDS[name] if name in WITHOUT_IDS else MODELS[name].__table__


def is_json(column):
    return column.type.__class__.__name__ in ("JSON", "JSONB")


def defaults_of(table):
    """The columns the rows do not name that have a Python-side default (COPY applies none),
    with the value: computed once per load (timestamps are the load's)."""
    found = {}
    for column in table.columns:
        default = column.default
        if column.name in COLUMNS[table.name] or default is None or default.is_sequence:
            continue
        found[column.name] = default.arg(None) if default.is_callable else default.arg
    return found


def copy_rows(connection, table, rows):
    """PostgreSQL: ``COPY`` through psycopg (its C row formatting; JSON columns are already text)."""
    defaults = defaults_of(table)
    columns = COLUMNS[table.name] + tuple(defaults)
    tail = tuple(json.dumps(v) if is_json(table.c[name]) else v for name, v in defaults.items())
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        write = copy.write_row
        if tail:
            for row in rows:
                write(row + tail)
        else:
            for row in rows:
                write(row)


def insert_rows(connection, table, rows):
    """Core executemany (SQLite, or PostgreSQL under row-level security): dicts, JSON parsed."""
    defaults, columns = defaults_of(table), COLUMNS[table.name]
    parsed = [i for i, name in enumerate(columns) if is_json(table.c[name])]
    dicts = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        for i in parsed:
            values[columns[i]] = json.loads(row[i])
        dicts.append({**defaults, **values})
    connection.execute(table.insert(), dicts)


def may_copy(connection):
    """``COPY FROM`` is refused where row-level security applies (the application role): then
    executemany INSERTs, which the policies check row by row."""
    if connection.dialect.name != "postgresql":
        return False
    return not connection.scalar(sql("SELECT row_security_active('clients')"))


def skip_triggers(connection):
    """PostgreSQL, as a superuser: no trigger fires for the rest of the transaction
    (``session_replication_role = replica``): neither the foreign-key checks (five per form row;
    every id is one the generator took from the agency's own rows, and the tests check each
    reference) nor the name-word trigger, whose rows ``add_name_words`` writes instead."""
    if not connection.scalar(sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
        return False
    connection.execute(sql("SET LOCAL session_replication_role = replica"))
    return True


def add_name_words(connection, agency_id, words):
    """What the ``clients_name_words_insert`` trigger adds, for the words of the loaded names."""
    if words:
        connection.execute(
            sql(
                "INSERT INTO client_name_words (agency_id, word) SELECT :agency, unnest(CAST(:words AS text[])) "
                "ON CONFLICT DO NOTHING"
            ),
            {"agency": agency_id, "words": sorted(words)},
        )


def write_batch(connection, rows, copy):
    for name in TABLES:
        if rows[name]:
            (copy_rows if copy else insert_rows)(connection, table_of(name), rows[name])


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
        connection.execute(sql("SET LOCAL maintenance_work_mem = '1GB'"))
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


KNOWN_TRIGGERS = {"clients_kind_is_fixed", "clients_name_words_insert", "clients_name_words_update"}
_WORKER = {}  # the Kit the forked worker processes build chunks from


def other_triggers(connection):
    """Triggers on the loaded tables other than the foreign keys' and those ``skip_triggers``
    knows how to stand in for (a new one keeps every trigger firing: the load stays correct)."""
    return connection.scalars(
        sql(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = ANY(:tables) AND c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal"
        ),
        {"tables": list(TABLES)},
    ).all()


def _build(task):
    return chunk_rows(_WORKER["kit"], *task)


def built_chunks(kit, seed, chunks, workers):
    """Each chunk's rows in order: built here, or by ``workers`` forked processes (the rows
    depend only on the seed and the chunk, so they are the same either way)."""
    if workers <= 1 or len(chunks) < 2:
        for spec in chunks:
            yield chunk_rows(kit, seed, spec)
        return
    _WORKER["kit"] = kit
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_build, [(seed, spec) for spec in chunks])


def seed_scale(agency_id, clients, seed=7, progress=None, today=None, workers=1):
    """Add ``clients`` clients and their records to the agency; returns the rows written per table."""
    today = today or date.today()
    kit = Kit(agency_lists(agency_id), today)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sql("SELECT set_config('app.agency_id', :agency, true)"), {"agency": str(agency_id)})
    chunks = plan_chunks(seed, clients, IdCounter(connection).next, kit.goals)
    copy = may_copy(connection)
    triggers_off = copy and not set(other_triggers(connection)) - KNOWN_TRIGGERS and skip_triggers(connection)
    definitions = drop_secondary_indexes(connection) if copy and clients >= REBUILD_FROM else []
    written, words, started = dict.fromkeys(TABLES, 0), set(), time.monotonic()
    for rows, chunk_words in built_chunks(kit, seed, chunks, workers):
        write_batch(connection, rows, copy)
        words |= chunk_words
        for name in TABLES:
            written[name] += len(rows[name])
        if progress:
            progress(f"{written['clients']:,} of {clients:,} clients ({time.monotonic() - started:.0f} s)")
    if triggers_off:
        add_name_words(connection, agency_id, words)
    rebuild_indexes(connection, definitions, progress)
    finish(connection)
    return written
