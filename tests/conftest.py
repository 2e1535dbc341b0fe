"""Fixtures: a migrated database (SQLite, or PostgreSQL with TEST_DATABASE=postgresql),
cleaned after every test; ``app``, ``client``, ``runner``; the demo agencies; factories
and a sign-in helper."""

import codecs
import os
import re
from datetime import date
from pathlib import Path

import flask_migrate
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, make_url, select
from sqlalchemy import text as sql
from sqlalchemy.exc import SQLAlchemyError

import config
from app import create_app
from config import database_url as app_database_url  # the hooks' argument is named config
from demo import DEMO_PASSWORD
from demo.agencies import seed_agencies
from demo.clients import seed_clients
from demo.jobs import seed_jobs
from demo.notifications import seed_templates
from demo.referrals import seed_referrals_demo
from extensions import db
from models import ALL_AGENCIES, Agency, Client, Funder, GroupActivityName, Program, Site, Staff, tenant_scope
from models.reference import sync_reference_values

KEPT_TABLES = {"alembic_version", "reference_values"}
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def pytest_report_header(config):
    return f"database: {os.environ.get('TEST_DATABASE', 'sqlite')}"


def postgres_problem():
    """Why the PostgreSQL test database cannot be used, or ``None``."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return "TEST_DATABASE_URL is not set"
    engine = create_engine(config.database_url(url), connect_args={"connect_timeout": 10})
    try:
        with engine.connect():
            return None
    except SQLAlchemyError as error:
        return str(error.orig if getattr(error, "orig", None) else error).strip().splitlines()[0]
    finally:
        engine.dispose()


def pytest_configure(config):
    """Under pytest-xdist (``make test`` runs two workers), each worker's PostgreSQL run has a
    database of its own beside ``TEST_DATABASE_URL``'s, ``<name>_gw0``, ``<name>_gw1``..., created
    when missing (the test role needs CREATEDB): the suite drops and recreates its schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    url = os.environ.get("TEST_DATABASE_URL")
    if not (worker and url and os.environ.get("TEST_DATABASE") == "postgresql"):
        return
    given = make_url(app_database_url(url))
    mine = given.set(database=f"{given.database}_{worker}")
    # the worker's own database, even when it cannot be made: never the one the other worker uses
    # (pytest_sessionstart then stops or skips the run with the reason)
    os.environ["TEST_DATABASE_URL"] = mine.render_as_string(hide_password=False)
    engine = create_engine(given, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as connection:
            if not connection.scalar(sql("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": mine.database}):
                connection.execute(sql(f'CREATE DATABASE "{mine.database}"'))
    except SQLAlchemyError:
        pass  # unreachable, no right to create databases, or made at this moment by another run
    finally:
        engine.dispose()


def pytest_sessionstart(session):
    """A PostgreSQL run (``TEST_DATABASE=postgresql``) that cannot connect stops the whole run as
    a failure when ``REQUIRE_POSTGRES`` is set (CI); otherwise every test is skipped with the reason."""
    if os.environ.get("TEST_DATABASE") != "postgresql":
        return
    problem = postgres_problem()
    if problem and os.environ.get("REQUIRE_POSTGRES"):
        pytest.exit(f"REQUIRE_POSTGRES is set but the PostgreSQL test database cannot be used: {problem}", returncode=1)
    session.config.postgres_problem = problem


APP_ROLE = "ocms_app"  # PostgreSQL: the app connects as a role that does not own the tables


@pytest.fixture(scope="session")
def owner_database_url(tmp_path_factory, pytestconfig):
    """A freshly migrated test database for the whole run, as its owner (who migrates). On
    PostgreSQL the suite drops and recreates the ``public`` schema of ``TEST_DATABASE_URL``: give
    it a database of its own."""
    if os.environ.get("TEST_DATABASE") == "postgresql":
        if getattr(pytestconfig, "postgres_problem", None):
            pytest.skip(f"PostgreSQL test database cannot be used: {pytestconfig.postgres_problem}")
        url = os.environ["TEST_DATABASE_URL"]
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        drop_everything()
        flask_migrate.upgrade()
        sync_reference_values()
        if db.engine.dialect.name == "postgresql":
            grant_app_role()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(owner_database_url):
    """What the app connects with: on PostgreSQL the application role, under row-level security."""
    if not owner_database_url.startswith("postgresql"):
        return owner_database_url
    return make_url(config.database_url(owner_database_url)).set(username=APP_ROLE).render_as_string(hide_password=False)


def grant_app_role():
    """The application role may read and write rows, never own or alter the tables."""
    with db.engine.begin() as connection:
        # roles belong to the cluster: two workers' runs may create it at the same moment
        connection.execute(
            sql(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN "
                f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; END IF; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
        )
        connection.execute(sql(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}"))
        connection.execute(sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"))
        connection.execute(sql(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}"))


def drop_everything():
    """Start from an empty database (a previous run may have left tables behind)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(sql("DROP TABLE IF EXISTS alembic_version"))


def clean_tables():
    """Delete every row the test wrote, children first; reference lists stay. (DELETE beats
    TRUNCATE for a handful of rows; ids are not reset and no test depends on them.)"""
    with tenant_scope(ALL_AGENCIES), db.engine.begin() as connection:
        for table in reversed(seeded_tables()):
            connection.execute(table.delete())


def engine_options(url):
    """On PostgreSQL, tests need not wait for each commit to reach the disk."""
    if url.startswith("postgresql"):
        return {"pool_pre_ping": True, "connect_args": {"options": "-c synchronous_commit=off"}}
    return {"pool_pre_ping": True}


def compile_catalogues():
    """Compile each .po newer than its .mo, as ``make translations`` does, so that a plain
    pytest run (a fresh clone, or a .po just edited) shows the current translations. Written
    aside and moved into place: two runs at once never read half a file."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        partial = mo.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        partial.replace(mo)


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    """One app for the run: building Flask-Admin and compiling its templates costs ~0.2 s."""
    compile_catalogues()
    app = create_app(
        {
            "TESTING": True,
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app, monkeypatch):
    """The app, with an empty database after the test; change config via ``monkeypatch``."""
    yield shared_app
    with shared_app.app_context():
        db.session.remove()
        clean_tables()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_snapshot():
    """The demo's rows, taken the first time it is seeded, to be inserted again (fast) later."""
    return {}


@pytest.fixture
def demo(app, demo_snapshot):
    """The demo agencies (DEMO: admin, coordinator, worker, worker2; OTHER: admin), each with a
    named and an anonymous client and a small session (the full demo is too slow per test).
    Seeded through the models once, then restored from a snapshot of its rows."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        if demo_snapshot:
            restore_rows(demo_snapshot)
            return
        seed_agencies()
        for agency in db.session.scalars(select(Agency)):
            seed_clients(agency.code, target=2, seed=agency.id)
            seed_small_session(agency)
            with tenant_scope(agency.id):
                seed_templates()  # the agency's email templates (demo/notifications.py)
                db.session.commit()
            seed_jobs(agency.code)  # job lists and postings (demo/jobs.py; portal clients: tests/portal_helpers.py)
        seed_referrals_demo()  # partners, referrals, tasks and the DEMO-OTHER partnership
        demo_snapshot.update(snapshot_rows())


def seeded_tables():
    return [t for t in db.metadata.sorted_tables if t.name not in KEPT_TABLES]


def snapshot_rows():
    with tenant_scope(ALL_AGENCIES), db.engine.connect() as connection:
        # in primary-key order: PostgreSQL returns an updated row after the others, and a row pointing
        # at one of its own table (a staff member's manager) must come after the row it points at
        ordered = {t.name: t.select().order_by(*t.primary_key.columns) for t in seeded_tables()}
        return {name: [dict(row._mapping) for row in connection.execute(query)] for name, query in ordered.items()}


def restore_rows(snapshot):
    """Insert the rows again, parents first; on PostgreSQL move each id sequence past them."""
    with tenant_scope(ALL_AGENCIES), db.engine.begin() as connection:
        for table in seeded_tables():
            if snapshot[table.name]:
                connection.execute(table.insert(), snapshot[table.name])
            if db.engine.dialect.name == "postgresql" and "id" in table.c and snapshot[table.name]:
                top = max(row["id"] for row in snapshot[table.name])
                connection.execute(sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {top})"))


def seed_small_session(agency):
    """One direct session with one client and an I&O form, a group activity name, a question and
    an inactive mentor."""
    from models import AgencyQuestion, GroupActivityName, Mentor, ServiceForm, ServiceSession, SessionClient

    client = db.session.scalar(select(Client).where(Client.agency_id == agency.id, Client.kind == "named"))
    staff = db.session.scalar(select(Staff).where(Staff.agency_id == agency.id).order_by(Staff.id))
    site = db.session.scalar(select(Site).where(Site.agency_id == agency.id).order_by(Site.id))
    session = ServiceSession(
        agency_id=agency.id,
        service_date=date.today(),
        site_id=site.id,
        lead_staff_id=staff.id,
        created_by_id=staff.id,
        minutes=30,
        languages=["English"],
    )
    session.attendees = [SessionClient(agency_id=agency.id, client_id=client.id)]
    form = ServiceForm(agency_id=agency.id, kind="io", client_id=client.id, author_id=staff.id)
    form.save_answers({})
    session.forms = [form]
    db.session.add_all(
        [
            session,
            GroupActivityName(agency_id=agency.id, name=f"{agency.code} coffee club"),
            AgencyQuestion(agency_id=agency.id, target="io", label=f"{agency.code}: how did you hear about us?"),
            Mentor(agency_id=agency.id, name=f"{agency.code} retired tutor", is_active=False),
        ]
    )
    db.session.commit()


def sign_in(client, email, password=DEMO_PASSWORD, follow_redirects=False):
    return client.post("/login", data={"email": email, "password": password}, follow_redirects=follow_redirects)


@pytest.fixture
def login(client):
    """``login(email)`` signs the test client in and checks it worked."""

    def _login(email, password=DEMO_PASSWORD):
        response = sign_in(client, email, password)
        assert response.status_code == 302 and "/login" not in response.location, response.get_data(as_text=True)
        return client

    return _login


def csrf_token_from(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


class Factory:
    """``make.site(agency=..., **overrides)``: rows with sensible defaults, committed."""

    def __init__(self, app):
        self.app = app
        self.counter = 0

    def _save(self, obj):
        with self.app.app_context(), tenant_scope(ALL_AGENCIES):
            db.session.add(obj)
            db.session.commit()
            db.session.refresh(obj)
            db.session.expunge(obj)
        return obj

    def _next(self):
        self.counter += 1
        return self.counter

    def agency(self, **overrides):
        n = self._next()
        return self._save(Agency(**{"name": f"Agency {n}", "code": f"AG{n}", **overrides}))

    def site(self, agency, **overrides):
        return self._save(Site(**{"agency_id": agency.id, "name": f"Site {self._next()}", "kind": "non_school", **overrides}))

    def funder(self, agency, **overrides):
        n = self._next()
        return self._save(Funder(**{"agency_id": agency.id, "name": f"Funder {n}", "code": f"F{n}", **overrides}))

    def program(self, agency, **overrides):
        return self._save(Program(**{"agency_id": agency.id, "name": f"Program {self._next()}", **overrides}))

    def client(self, agency, **overrides):
        """A named client (``kind="anonymous"`` for an anonymous one, without the named fields)."""
        n = self._next()
        named = {
            "first_name": f"Client{n}",
            "last_name": "Tester",
            "date_of_birth": date(1990, 1, 1 + n % 28),
            "gender": "Female",
        }
        values = {
            "agency_id": agency.id,
            "kind": "named",
            **(named if overrides.get("kind") != "anonymous" else {"gender": "Male"}),
        }
        return self._save(Client(**{**values, **overrides}))

    def staff(self, agency, password=DEMO_PASSWORD, **overrides):
        n = self._next()
        values = {
            "agency_id": agency.id,
            "email": f"staff{n}@example.org",
            "first_name": "Staff",
            "last_name": f"Member {n}",
            "role": "worker",
        }
        with self.app.app_context():
            staff = Staff(**{**values, **overrides})
            staff.set_password(password)
        return self._save(staff)


@pytest.fixture
def upload_folder(app, tmp_path, monkeypatch):
    """A folder of this test's own for uploaded files."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    return tmp_path


@pytest.fixture
def make(app):
    return Factory(app)


@pytest.fixture
def activity(app):
    """The id of the demo agency's group activity name "DEMO coffee club"."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(GroupActivityName.id).where(GroupActivityName.name == "DEMO coffee club"))


def demo_agency(app, code):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.query(Agency).filter_by(code=code).one()
        db.session.expunge(agency)
        return agency


def demo_staff(app, email):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = db.session.query(Staff).filter_by(email=email).one()
        db.session.expunge(staff)
        return staff


def text(response):
    """A response body as text."""
    return response.get_data(as_text=True)


def csv_file_text(data):
    """A CSV file's text as a spreadsheet reads it: UTF-8 after the byte-order mark it must start
    with (Excel reads a file without it in the machine's old code page)."""
    assert data.startswith(codecs.BOM_UTF8), "a CSV file starts with UTF-8's byte-order mark"
    return data[len(codecs.BOM_UTF8) :].decode()


def csv_body(response):
    """A CSV download's text (``csv_file_text``)."""
    return csv_file_text(response.get_data())


def field_tag(page, field_id):
    """The HTML tag of the input (or select) whose id is ``field_id``."""
    return re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', page).group(0)


def shown_with_its_error(page, field_id, message):
    """The field is marked invalid, described by its error block, which holds ``message``."""
    tag = field_tag(page, field_id)
    assert 'aria-invalid="true"' in tag and f'aria-describedby="{field_id}-error"' in tag
    assert message in page.split(f'id="{field_id}-error"')[1].split("</div></div>")[0]


@pytest.fixture
def me(app):
    """The demo worker, Wei Zhang (worker@demo.org)."""
    return demo_staff(app, "worker@demo.org")


@pytest.fixture
def worker(client, login):
    """The test client, signed in as the demo worker."""
    return login("worker@demo.org")


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server (aiosmtpd) on a free port, receiving the app's mail (``tests/smtp_server.py``)."""
    from tests.smtp_server import SmtpServer, route_mail_to

    server = SmtpServer()
    server.start()
    route_mail_to(app, monkeypatch, server)
    yield server
    server.stop()
