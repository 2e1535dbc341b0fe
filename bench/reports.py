"""Every report of the catalogue over a large agency on PostgreSQL, against the bare SQL of
its main aggregate, in the same run.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bench_reports"
    .venv/bin/python bench/reports.py --database-url postgresql://postgres@127.0.0.1:5432/bench_reports --reset --forms 1000000

Loads (with ``INSERT ... SELECT generate_series``, as the tables' owner) one agency with
``--forms`` service forms: half the sessions direct services, in date order, (one client, an I&O and a
Needs Assessment form), the rest spread over job development, finance, language training
(enrolment, attendance, exit) and group activities (a group form and three attendees, one
absent); 5% of sessions incomplete; 10% of forms Private; two years of dates; and a second
agency with 2% as much. Then, as a system job of the first agency (the agency admin's view),
times each report for the last full month of data (a month of about 1/24 of the forms):

- **report**: ``run_report()``: the one statement (GROUPING SETS for the totals, every
  measure) through the ORM session, the tenancy hook, and the result built into the table;
- **bare SQL**: the main aggregate alone: the same facts and measures grouped by the report's
  dimensions, with no totals (no GROUPING SETS), compiled to SQL text and run on a raw
  connection (no ORM, no tenancy hook: the agency is written into the SQL).

Both are medians of ``--repeat`` runs after a warm-up, interleaved (load on the shared
machine falls on both alike). Prints one line per report and the worst ratio.
``bench(url, size, repeat)`` is the entry point ``bench/run.py`` (``make bench``) calls
(PostgreSQL only: the loader is ``generate_series`` SQL).
"""

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import flask_migrate
from sqlalchemy import select, text

from app import create_app
from bench.result import Result
from extensions import db
from models import (
    Client,
    Declaration,
    FormYesAnswer,
    IcareUpload,
    IcareUploadItem,
    PlanGoal,
    Referral,
    ServiceForm,
    ServiceSession,
    SessionClient,
    SettlementPlan,
    Task,
    tenant_scope,
)
from models.first_services import refresh_all
from reports import REPORTS, Criteria, run_report
from reports.query import filtered, grain_name, indicator_statement, report_viewer, stored_indicators

OWN_TABLES = {
    "plan": (SettlementPlan,),
    "goal_achieved": (SettlementPlan, PlanGoal),
    "referral": (Referral,),
    "referral_follow_up": (Referral,),
    "task": (Task,),
    "icare_item": (IcareUploadItem, IcareUpload),
}

SEED = """
INSERT INTO agencies (id, name, code, privacy_statement_en, privacy_statement_fr, privacy_statement_version,
  two_step_for_admins, version, created_at, updated_at)
VALUES (1, 'Bench agency', 'BENCH', '', '', 1, false, 1, now(), now()),
       (2, 'Other agency', 'OTHERB', '', '', 1, false, 1, now(), now());
INSERT INTO sites (id, agency_id, name, kind, address, city, postal_code, is_active, version, created_at, updated_at)
SELECT g, CASE WHEN g <= 5 THEN 1 ELSE 2 END, 'Site ' || g, 'non_school', '', '', '', true, 1, now(), now()
FROM generate_series(1, 6) g;
INSERT INTO programs (id, agency_id, name, description, is_active, version, created_at, updated_at)
SELECT g, 1, 'Program ' || g, '', true, 1, now(), now() FROM generate_series(1, 3) g;
INSERT INTO funders (id, agency_id, name, code, version, created_at, updated_at)
SELECT g, 1, 'Funder ' || g, 'F' || g, 1, now(), now() FROM generate_series(1, 2) g;
INSERT INTO staff (id, agency_id, email, first_name, last_name, title, phone, role, is_active, password_hash,
  session_token, version, created_at, updated_at)
SELECT g, CASE WHEN g <= 20 THEN 1 ELSE 2 END, 'staff' || g || '@bench.org', 'Staff', 'Member ' || g, '', '',
  CASE WHEN g = 1 THEN 'agency_admin' ELSE 'worker' END, true, 'x', md5(g::text), 1, now(), now()
FROM generate_series(1, 21) g;
INSERT INTO clients (id, agency_id, kind, first_name, last_name, date_of_birth, gender, immigration_status,
  country_of_birth, first_language, arrival_year, postal_code, family_code, other_languages, registration_date,
  is_archived, search_text, answers, needs_profile, version, created_at, updated_at)
SELECT g, CASE WHEN g % 50 = 0 THEN 2 ELSE 1 END,
  CASE WHEN g % 10 = 0 THEN 'anonymous' ELSE 'named' END,
  CASE WHEN g % 10 = 0 THEN NULL ELSE 'First' || g END, CASE WHEN g % 10 = 0 THEN NULL ELSE 'Last' || g END,
  CASE WHEN g % 10 = 0 THEN NULL ELSE date '1950-01-01' + (g * 7919) % 25000 END,
  (ARRAY['Female', 'Male', 'Another gender'])[1 + g % 3],
  (ARRAY['Permanent resident', 'Refugee', 'Citizen', 'Temporary resident'])[1 + g % 4],
  (ARRAY['Syria', 'India', 'Philippines', 'China', 'Ukraine', 'Nigeria'])[1 + g % 6],
  (ARRAY['Arabic', 'Hindi', 'Tagalog', 'Mandarin', 'Ukrainian', 'English'])[1 + g % 6],
  2010 + g % 15, 'M' || (g % 9) || 'V 1A1', CASE WHEN g % 4 = 0 THEN 'FAM' || (g / 4) END, '[]',
  date '2023-01-01', false, '', '{}', false, 1, now(), now()
FROM generate_series(1, :clients) g;
INSERT INTO service_sessions (id, agency_id, session_type, service_date, site_id, program_id, delivery_method,
  at_point_of_entry, interpreter_present, interpreters, hours, minutes, languages, lead_staff_id, created_by_id,
  group_activity_id, version, created_at, updated_at)
SELECT g, CASE WHEN g % 50 = 0 THEN 2 ELSE 1 END,
  CASE WHEN g % 10 < 5 THEN 'direct' WHEN g % 10 = 5 THEN 'job_development' WHEN g % 10 = 6 THEN 'finance'
       WHEN g % 10 = 7 THEN 'language_training' WHEN g % 10 = 8 THEN 'io_group' ELSE 'cc_group' END,
  date '2024-01-01' + (g::bigint * 730 / :sessions)::int, CASE WHEN g % 50 = 0 THEN 6 ELSE 1 + g % 5 END,
  CASE WHEN g % 4 = 0 THEN NULL ELSE 1 + g % 3 END,
  (ARRAY['In Person', 'Phone', 'Email', 'Online'])[1 + g % 4], g % 17 = 0, g % 13 = 0,
  CASE WHEN g % 13 = 0 THEN 1 ELSE 0 END, g % 2, 15 + (g % 3) * 15,
  (CASE WHEN g % 5 = 0 THEN '["English", "French"]' ELSE '["English"]' END)::json,
  CASE WHEN g % 50 = 0 THEN 21 ELSE 2 + g % 19 END, CASE WHEN g % 50 = 0 THEN 21 ELSE 2 + g % 19 END,
  NULL, 1, now(), now()
FROM generate_series(1, :sessions) g;
INSERT INTO session_funders (session_id, funder_id)
SELECT id, 1 + id % 2 FROM service_sessions WHERE agency_id = 1 AND id % 3 > 0;
INSERT INTO session_clients (agency_id, session_id, client_id)
SELECT s.agency_id, s.id, CASE
  WHEN s.agency_id = 2 THEN 50 * (1 + (s.id / 50 + k) % (:clients / 50))
  WHEN ((s.id * 7 + k * 104729) % :clients) % 50 = 49 THEN ((s.id * 7 + k * 104729) % :clients)
  ELSE ((s.id * 7 + k * 104729) % :clients) + 1 END
FROM service_sessions s
CROSS JOIN LATERAL generate_series(0, CASE WHEN s.session_type IN ('io_group', 'cc_group') THEN 2 ELSE 0 END) k
ON CONFLICT DO NOTHING;
"""
FORMS = """
ANALYZE;
INSERT INTO service_forms (agency_id, session_id, client_id, kind, program_id, is_private, author_id, data,
  is_complete, version, created_at, updated_at)
SELECT sc.agency_id, sc.session_id, sc.client_id, k.kind, s.program_id, sc.id % 10 = 0, s.lead_staff_id,
  json_build_object('topic_overview_given_ind', CASE WHEN sc.id % 3 = 0 THEN 'Yes' ELSE 'No' END,
    'knwl_life_needs_ind', CASE WHEN sc.id % 4 = 0 THEN 'Yes' ELSE 'No' END,
    'childminding_ind', CASE WHEN sc.id % 5 = 0 THEN 'Yes' ELSE 'No' END,
    'client_attended', CASE WHEN k.n = 2 THEN 'No' ELSE 'Yes' END, 'attended', CASE WHEN sc.id % 6 = 0 THEN 'No' ELSE 'Yes' END,
    'training_status_id', (ARRAY['Completed the course', 'Exited the course before completing'])[1 + sc.id % 2],
    'intervention_received_id', 'Mentoring', 'placement_type_id', 'Paid'),
  s.id % 20 <> 0, 1, now(), now()
FROM (SELECT sc.*, row_number() OVER (PARTITION BY sc.session_id ORDER BY sc.id) AS n FROM session_clients sc) sc
JOIN service_sessions s ON s.id = sc.session_id
CROSS JOIN LATERAL (
  SELECT kind, sc.n AS n FROM unnest(CASE s.session_type
    WHEN 'direct' THEN ARRAY['io', 'needs_assessment'] WHEN 'job_development' THEN ARRAY['job_placement', 'jd_update']
    WHEN 'finance' THEN ARRAY['finance'] WHEN 'language_training' THEN ARRAY['lt_enrolment', 'lt_attendance', 'lt_exit']
    WHEN 'io_group' THEN ARRAY['io_attendee'] ELSE ARRAY['cc_attendee'] END) kind
) k;
INSERT INTO service_forms (agency_id, session_id, client_id, kind, program_id, is_private, author_id, data,
  is_complete, version, created_at, updated_at)
SELECT s.agency_id, s.id, NULL, s.session_type, s.program_id, false, s.lead_staff_id,
  json_build_object('topic', (ARRAY['Housing', 'Health', 'Taxes', 'Jobs'])[1 + s.id % 4], 'participants', '3'),
  true, 1, now(), now()
FROM service_sessions s WHERE s.session_type IN ('io_group', 'cc_group');
"""


def load(app, forms):
    """Sessions sized so that the forms come to about ``forms`` (2.4 forms per session), in date
    order (as a live database fills up: one month's sessions sit together on disk)."""
    sessions = int(forms / 2.4)
    with app.app_context(), db.engine.begin() as connection:
        started = time.perf_counter()
        for statement in [s for s in (SEED + FORMS).split(";\n") if s.strip()]:
            step = time.perf_counter()
            connection.execute(text(statement), {"clients": max(1000, sessions // 4), "sessions": sessions})
            print(f"  {(statement.split() + [''] * 3)[2] or statement.strip()}: {time.perf_counter() - step:.1f} s", flush=True)
        for table in (
            "agencies",
            "sites",
            "programs",
            "funders",
            "staff",
            "clients",
            "service_sessions",
            "session_clients",
            "service_forms",
        ):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        count = connection.scalar(text("SELECT count(*) FROM service_forms"))
        print(f"loaded {count:,} service forms in {time.perf_counter() - started:.0f} s")
        step = time.perf_counter()
        refresh_all(connection)  # bulk rows: the backfill, as the migration does it
        print(f"  completeness and first services: {time.perf_counter() - step:.1f} s", flush=True)
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
        # Short reports over indexed rows gain nothing from JIT compilation (it cost ~0.2 s a
        # statement here): off for the database, for the reports and the bare SQL alike.
        connection.execute(text(f"ALTER DATABASE {connection.engine.url.database} SET jit = off"))


def bare_statement(report, criteria):
    """The main aggregate: the report's measures grouped by its dimensions, with no totals (no
    GROUPING SETS), the agency said in the SQL itself as the tenancy hook does for the report.
    An indicator report counting the stored Yes answers: its one grouped statement."""
    if stored_indicators(report):
        return indicator_statement(report, criteria, report_viewer(), [m.agency_id == 1 for m in agency_tables(report)])
    dims = [d.expr(criteria).label(f"d{i}") for i, d in enumerate(report.dimensions)]
    inputs = [fact().label(f"m{i}_{j}") for i, m in enumerate(report.measures) for j, fact in enumerate(m.facts)]
    query = filtered(report, criteria, report_viewer(), dims + inputs)
    sub = query.where(*(model.agency_id == 1 for model in agency_tables(report))).subquery("facts")
    aggregates = [m.agg(*(sub.c[f"m{i}_{j}"] for j in range(len(m.facts)))).label(m.key) for i, m in enumerate(report.measures)]
    groups = [sub.c[f"d{i}"] for i in range(len(dims))]
    return select(*groups, *aggregates).group_by(*groups) if groups else select(*aggregates).select_from(sub)


def agency_tables(report):
    """The agency-owned tables the facts read through inner joins."""
    grain = grain_name(report)
    if grain in OWN_TABLES:
        return OWN_TABLES[grain]
    if grain == "attendance":
        return (ServiceSession, SessionClient, Client)
    if grain == "form":
        return (ServiceSession, ServiceForm, FormYesAnswer) if stored_indicators(report) else (ServiceSession, ServiceForm)
    return (ServiceSession,)


def compiled(statement):
    return str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


def timed(run):
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def measure(app, criteria, repeat, only):
    rows = []
    with app.test_request_context(), tenant_scope(1, Declaration.of("benchmark")):
        for key, report in REPORTS.items():
            if only and key not in only:
                continue
            bare = compiled(bare_statement(report, criteria))
            with db.engine.connect() as raw:
                run_bare = lambda sql=bare, raw=raw: raw.exec_driver_sql(sql).all()  # noqa: E731 - the statement as it is
                run_full = lambda report=report: (run_report(report, criteria), db.session.rollback())  # noqa: E731
                run_full(), run_bare()
                times = [(timed(run_full), timed(run_bare)) for _ in range(repeat)]
            full, base = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
            rows.append((key, full, base, full / base if base else 0))
            print(f"{key:28} report {full:8.1f} ms   bare SQL {base:8.1f} ms   x{full / base if base else 0:5.2f}", flush=True)
    return rows


def loaded_app(url, reset, forms):
    """The app on its database, migrated and loaded with ``forms`` (unless loaded already)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    if reset:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    with app.app_context():
        flask_migrate.upgrade()
        with tenant_scope(1), db.engine.connect() as connection:
            loaded = connection.scalar(text("SELECT count(*) FROM agencies"))
    if not loaded:
        load(app, forms)
    return app


def bench(url, size, repeat):
    """``make bench``: about ``size`` forms in a new database (``url`` is reset); every report
    for November 2025 against its bare SQL."""
    app = loaded_app(url, True, size)
    gc.freeze()  # as a gunicorn worker does once it has loaded the app (gunicorn.conf.py)
    rows = measure(app, Criteria(date(2025, 11, 1), date(2025, 11, 30)), repeat, set())
    return [Result("reports", key, full, base) for key, full, base, _ratio in rows]


def history_served_before(criteria):
    """New/Returning's "served before the range" as it was before the stored first services: a
    search of the client's earlier complete, attended services (for the before/after figures)."""
    from sqlalchemy.orm import aliased

    from models.completeness import attended_clause, is_complete_clause

    earlier, attendee = aliased(ServiceSession), aliased(SessionClient)
    query = (
        select(attendee.id)
        .join(earlier, earlier.id == attendee.session_id)
        .where(attendee.client_id == Client.id, earlier.service_date < criteria.date_from)
        .where(is_complete_clause(earlier), attended_clause(attendee))
    )
    if criteria.program:
        query = query.where(earlier.program_id.in_(criteria.program))
    return query.exists()


def measure_history(app, criteria, repeat):
    """``new_returning`` with the history search, the same run and data as the stored dates."""
    import reports.catalogue as catalogue

    stored = catalogue.served_before
    catalogue.served_before = history_served_before
    try:
        return measure(app, criteria, repeat, {"new_returning"})
    finally:
        catalogue.served_before = stored


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--reset", action="store_true", help="drop schema public first (a scratch database only)")
    parser.add_argument("--forms", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--from", dest="date_from", default="2025-11-01")
    parser.add_argument("--to", dest="date_to", default="2025-11-30")
    parser.add_argument("--only", nargs="*", help="report keys to time (default: all)")
    parser.add_argument("--history", action="store_true", help="also time new_returning with the history search it replaced")
    args = parser.parse_args()
    app = loaded_app(args.database_url, args.reset, args.forms)
    gc.freeze()  # as a gunicorn worker does once it has loaded the app (gunicorn.conf.py)
    criteria = Criteria(date.fromisoformat(args.date_from), date.fromisoformat(args.date_to))
    rows = measure(app, criteria, args.repeat, set(args.only or ()))
    if args.history:
        print("new_returning with the history search (before the stored first services):")
        measure_history(app, criteria, args.repeat)
    worst = max(rows, key=lambda r: r[3])
    slowest = max(rows, key=lambda r: r[1])
    print(f"\n{len(rows)} reports; worst ratio {worst[3]:.2f} ({worst[0]}); slowest {slowest[1]:.0f} ms ({slowest[0]})")


if __name__ == "__main__":
    main()
