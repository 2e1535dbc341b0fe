"""``seed-scale``: the bulk generator (demo/scale.py) on a small N, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql

from app import create_app
from demo import scale
from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    Client,
    ClientAssignment,
    Funder,
    Program,
    ServiceForm,
    ServiceSession,
    SessionClient,
    Site,
    Staff,
    tenant_scope,
)
from models.clients import CaseNote
from models.completeness import is_complete_clause
from models.first_services import ClientFirstService, first_services_select
from models.form_answers import FormYesAnswer, yes_rows_select
from models.plans import PlanGoal, SettlementPlan
from models.referrals import Referral, ReferralPartner
from models.search_text import client_search_text
from models.service_sessions import session_funders
from models.tenancy import unscoped_options

pytestmark = pytest.mark.usefixtures("demo")
MODELS = (Client, ClientAssignment, ServiceSession, SessionClient, ServiceForm, CaseNote, Referral, SettlementPlan, PlanGoal)


def agency_id(app, code):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(Agency.id).where(Agency.code == code))


def counts(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return {
            (m.__tablename__, a): db.session.scalar(select(func.count()).select_from(m).where(m.agency_id == a))
            for m in MODELS
            for a in db.session.scalars(select(Agency.id))
        }


def seed(runner, *args):
    result = runner.invoke(args=["seed-scale", *args])
    assert result.exit_code == 0, result.output
    return result.output


def foreign_rows(agency):
    """Rows of the agency pointing at another agency's site, staff, program, client, session..."""
    mine = lambda model: select(model.id).where(model.agency_id == agency)  # noqa: E731
    checks = [
        select(Client.id).where(Client.agency_id == agency, Client.registration_site_id.not_in(mine(Site))),
        select(ServiceSession.id).where(
            ServiceSession.agency_id == agency,
            ServiceSession.site_id.not_in(mine(Site)) | ServiceSession.lead_staff_id.not_in(mine(Staff)),
        ),
        select(ServiceSession.id).where(ServiceSession.agency_id == agency, ServiceSession.program_id.not_in(mine(Program))),
        select(session_funders.c.session_id).where(
            session_funders.c.session_id.in_(mine(ServiceSession)), session_funders.c.funder_id.not_in(mine(Funder))
        ),
        select(SessionClient.id).where(SessionClient.agency_id == agency, SessionClient.client_id.not_in(mine(Client))),
        select(ServiceForm.id).where(
            ServiceForm.agency_id == agency,
            ServiceForm.session_id.not_in(mine(ServiceSession)) | ServiceForm.client_id.not_in(mine(Client)),
        ),
        select(ServiceForm.id).where(ServiceForm.agency_id == agency, ServiceForm.author_id.not_in(mine(Staff))),
        select(CaseNote.id).where(CaseNote.agency_id == agency, CaseNote.author_id.not_in(mine(Staff))),
        select(ClientAssignment.id).where(ClientAssignment.agency_id == agency, ClientAssignment.staff_id.not_in(mine(Staff))),
        select(Referral.id).where(Referral.agency_id == agency, Referral.partner_id.not_in(mine(ReferralPartner))),
        select(Referral.id).where(Referral.agency_id == agency, Referral.client_id.not_in(mine(Client))),
        select(SettlementPlan.id).where(SettlementPlan.agency_id == agency, SettlementPlan.client_id.not_in(mine(Client))),
        select(PlanGoal.id).where(PlanGoal.agency_id == agency, PlanGoal.plan_id.not_in(mine(SettlementPlan))),
    ]
    return [db.session.scalars(check).all() for check in checks]


def test_seed_scale_writes_realistic_volumes_inside_the_agency(app, runner):
    before = counts(app)
    output = seed(runner, "--clients", "200")
    assert "200 of 200 clients" in output and "written" in output
    demo, other = agency_id(app, "DEMO"), agency_id(app, "OTHER")
    after = counts(app)
    added = {table: after[table, demo] - before[table, demo] for table, a in after if a == demo}
    assert added["clients"] == 200 and added["client_assignments"] == 200 and added["case_notes"] == 200
    assert 800 <= added["service_sessions"] <= 1200  # about five per client
    assert added["service_forms"] == added["session_clients"] == added["service_sessions"]
    assert 30 <= added["referrals"] <= 100
    assert 15 <= added["settlement_plans"] <= 70 and added["plan_goals"] == 2 * added["settlement_plans"]
    assert all(after[table, other] == before[table, other] for table, a in after if a == other)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert foreign_rows(demo) == [[]] * 13
        forms = db.session.execute(select(ServiceForm.is_complete, ServiceForm.is_private, ServiceForm.program_id)).all()
        assert 0.7 < sum(f.is_complete for f in forms) / len(forms) < 0.95
        assert 0.03 < sum(f.is_private for f in forms) / len(forms) < 0.2
        assert any(f.program_id for f in forms) and any(f.program_id is None for f in forms)
        assert db.session.scalar(select(func.count()).where(Client.kind == "anonymous", Client.agency_id == demo))
        emails = db.session.execute(select(Client.email, Client.email_key).where(Client.email.is_not(None))).all()
        assert emails and all(key == email.lower() for email, key in emails)  # found through the email index
        counted = select(func.count()).where(ServiceSession.is_counted != is_complete_clause())
        assert db.session.scalar(counted) == 0  # the stored completeness of the bulk rows (models/first_services.py)
        assert db.session.scalar(select(func.count()).select_from(ClientFirstService)) > 100
        assert_sessions_spread_over_the_last_year(demo)
    with app.app_context(), tenant_scope(other):  # tenancy (and row-level security on PostgreSQL)
        assert db.session.scalar(select(func.count()).select_from(Client)) == before["clients", other]


def assert_sessions_spread_over_the_last_year(agency):
    """The last 30 days hold about as many sessions as any 30 days of the last year: a monthly
    report or the home page's "this month" reads a normal month, as in an agency (spreading a
    client's sessions between registration and today gave the last month 2.5 times the year's
    average)."""
    today = date.today()
    days = db.session.scalars(select(ServiceSession.service_date).where(ServiceSession.agency_id == agency)).all()
    months = [sum(1 for day in days if 30 * m <= (today - day).days < 30 * (m + 1)) for m in range(12)]
    assert months[0] < 1.8 * sum(months) / 12 and min(months) > 0, months
    assert all(day <= today for day in days)


def test_seed_scale_into_another_agency_and_again(app, runner):
    other = agency_id(app, "OTHER")
    seed(runner, "--clients", "30", "--agency", "other")
    seed(runner, "--clients", "20", "--agency", "OTHER", "--seed", "8")  # ids go on after the first run
    seed(runner, "--clients", "10")  # then the demo agency: its ids come after the other's
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert foreign_rows(other) == [[]] * 13
        last = select(ServiceSession).where(ServiceSession.agency_id == other).order_by(ServiceSession.id.desc())
        session = db.session.scalars(last).first()
        assert session.attendees and session.forms and session.funders  # the ORM reads what the bulk insert wrote
    with app.app_context(), tenant_scope(other):
        assert db.session.scalar(select(func.count()).select_from(Client)) >= 50


def derived_data_problems(agency, after):
    """What the write hooks and triggers would have stored, compared with what the load stored:
    search text and email key (of the clients after id ``after``), stored completeness, first
    services, the forms' stored Yes answers and (PostgreSQL) name words."""
    clients = db.session.scalars(select(Client).where(Client.agency_id == agency, Client.id > after)).all()
    problems = [c.id for c in clients if c.search_text != client_search_text(c)]
    problems += [c.id for c in clients if c.email and c.email_key != c.email.strip().lower()]
    counted = select(func.count()).where(ServiceSession.agency_id == agency, ServiceSession.is_counted != is_complete_clause())
    problems += ["is_counted"] * db.session.scalar(counted)
    table = ClientFirstService.__table__
    columns = (table.c.client_id, table.c.agency_id, table.c.program_key, table.c.first_date)
    stored = set(db.session.execute(select(*columns).where(table.c.agency_id == agency)))
    problems += sorted(stored ^ set(db.session.execute(first_services_select(agency_id=agency))), key=str)
    yes = FormYesAnswer.__table__
    stored_yes = set(db.session.execute(select(yes.c.form_id, yes.c.agency_id, yes.c.field).where(yes.c.agency_id == agency)))
    problems += sorted(stored_yes ^ set(db.session.execute(yes_rows_select(db.session.connection(), agency_id=agency))), key=str)
    if db.engine.dialect.name == "postgresql":
        words = set(db.session.scalars(sql("SELECT word FROM client_name_words WHERE agency_id = :a"), {"a": agency}))
        named = {w for c in clients if c.kind == "named" for w in c.search_text.split() if scale.NAME_WORD.match(w)}
        problems += sorted(named - words)
    return problems


def last_client():
    return db.session.scalar(select(func.max(Client.id)).execution_options(**unscoped_options))


def test_seed_scale_stores_what_the_hooks_and_triggers_would(app, runner):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        after = last_client()
    seed(runner, "--clients", "150", "--seed", "11")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo = agency_id(app, "DEMO")
        assert derived_data_problems(demo, after) == []
        assert db.session.scalar(select(func.count()).select_from(ClientFirstService).where(ClientFirstService.agency_id == demo))
        assert db.session.scalar(select(func.count()).select_from(FormYesAnswer).where(FormYesAnswer.agency_id == demo)) > 150


def test_worker_processes_build_the_same_rows(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        kit = scale.Kit(scale.agency_lists(agency_id(app, "DEMO")), scale.NOW.date())
        chunks = scale.plan_chunks(3, 2 * scale.BATCH + 7, dict.fromkeys(scale.MODELS, 1), kit.goals)
        alone = list(scale.built_chunks(kit, 3, chunks, workers=1))
        assert list(scale.built_chunks(kit, 3, chunks, workers=2)) == alone
        ids = [row[0] for rows, _ in alone for row in rows["service_forms"]]
        assert ids == list(range(1, len(ids) + 1))  # every chunk's ids follow the one before


def test_seed_scale_refuses_an_unknown_agency(runner):
    result = runner.invoke(args=["seed-scale", "--clients", "5", "--agency", "NOPE"])
    assert result.exit_code != 0 and "no agency" in result.output


def index_names():
    return set(db.session.scalars(sql("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")))


def test_seed_scale_copies_and_rebuilds_indexes_as_the_owner_on_postgresql(app, owner_database_url, monkeypatch):
    """As the tables' owner (no row-level security): COPY, and the secondary indexes dropped
    for the load and built again after it (from ``REBUILD_FROM`` clients)."""
    if not owner_database_url.startswith("postgresql"):
        pytest.skip("COPY is PostgreSQL's")
    monkeypatch.setattr(scale, "REBUILD_FROM", 10)
    skipped = []
    skip_triggers = scale.skip_triggers
    monkeypatch.setattr(scale, "skip_triggers", lambda connection: skipped.append(skip_triggers(connection)) or skipped[-1])
    demo = agency_id(app, "DEMO")
    before = counts(app)
    owner = create_app({"SQLALCHEMY_DATABASE_URI": owner_database_url, "TESTING": True})
    with owner.app_context(), tenant_scope(demo):
        after = last_client()
        indexes = index_names()
        assert scale.may_copy(db.session.connection())
        superuser = db.session.scalar(sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        unknown = set(scale.other_triggers(db.session.connection())) - scale.KNOWN_TRIGGERS
        written = scale.seed_scale(demo, 40, workers=2)
        db.session.commit()
        assert index_names() == indexes
        db.engine.dispose()
    assert written["clients"] == 40 and counts(app)["clients", demo] == before["clients", demo] + 40
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert foreign_rows(demo) == [[]] * 13
        # as a superuser the load runs with no trigger (no foreign-key checks, no name-word
        # trigger): what they would have stored is there all the same
        assert derived_data_problems(demo, after) == []
    assert skipped == ([] if unknown else [superuser])  # triggers off unless one it does not know is there
