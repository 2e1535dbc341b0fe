"""PostgreSQL row-level security, the second tenancy layer: the app connects as a role that
does not own the tables, and a statement that escapes the ORM hook (raw SQL, Core) still sees
one agency's rows at most."""

import psycopg
import pytest
from sqlalchemy import insert, make_url, select
from sqlalchemy import text as sql

from extensions import db
from models import ALL_AGENCIES, Agency, Client, tenant_scope

pytestmark = [pytest.mark.usefixtures("demo")]
OWNED_TABLES = "SELECT table_name FROM information_schema.columns WHERE column_name = 'agency_id' AND table_schema = 'public'"


@pytest.fixture(autouse=True)
def postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row-level security is PostgreSQL's")


def agency_ids(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return {code: db.session.scalar(select(Agency.id).where(Agency.code == code)) for code in ("DEMO", "OTHER")}


def raw_agencies_of_clients(app, scope):
    with app.app_context(), scope, db.engine.connect() as connection:
        return set(connection.execute(sql("SELECT DISTINCT agency_id FROM clients")).scalars())


def test_every_agency_owned_table_is_under_a_policy(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES), db.engine.connect() as connection:
        owned = set(connection.execute(sql(OWNED_TABLES)).scalars())
        protected = set(
            connection.execute(
                sql(
                    "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
                    "WHERE c.relrowsecurity AND p.polname = 'tenant_isolation'"
                )
            ).scalars()
        )
    assert owned and owned | {"agencies"} <= protected, sorted(owned | {"agencies"} - protected)


def test_the_app_role_neither_owns_the_tables_nor_bypasses_the_policies(app):
    with app.app_context(), db.engine.connect() as connection:
        role = connection.execute(sql("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owners = set(connection.execute(sql("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")).scalars())
        me = connection.scalar(sql("SELECT current_user"))
    assert role == (False, False) and me not in owners


def test_a_raw_select_sees_only_the_current_agency(app):
    ids = agency_ids(app)
    assert raw_agencies_of_clients(app, tenant_scope(ids["DEMO"])) == {ids["DEMO"]}
    assert raw_agencies_of_clients(app, tenant_scope(ids["OTHER"])) == {ids["OTHER"]}
    assert raw_agencies_of_clients(app, tenant_scope(ALL_AGENCIES)) == set(ids.values())


def test_with_nobody_acting_a_raw_select_sees_nothing(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.scalar(sql("SELECT count(*) FROM clients")) == 0
        assert connection.scalar(sql("SELECT count(*) FROM agencies")) == 0


def test_a_core_statement_outside_the_orm_hook_is_still_scoped(app):
    ids = agency_ids(app)
    with app.app_context(), tenant_scope(ids["DEMO"]):
        rows = db.session.connection().execute(select(Client.__table__.c.agency_id).distinct()).scalars().all()
    assert rows == [ids["DEMO"]]


def test_a_raw_write_into_another_agency_is_refused(app):
    ids = agency_ids(app)
    with app.app_context(), tenant_scope(ids["DEMO"]), db.engine.connect() as connection:
        with pytest.raises(Exception, match="row-level security"):
            connection.execute(insert(Client.__table__).values(agency_id=ids["OTHER"], kind="anonymous", gender="Male"))


def test_a_plain_connection_as_the_app_role_under_one_agency_sees_none_of_another(app):
    """What an operator (or an injected statement) gets with psql as the app role."""
    ids = agency_ids(app)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, dbname=url.database) as connection:
        assert connection.execute("SELECT count(*) FROM clients").fetchone() == (0,)
        connection.execute("SELECT set_config('app.agency_id', %s, false)", (str(ids["DEMO"]),))
        agencies = {row[0] for row in connection.execute("SELECT agency_id FROM clients UNION SELECT agency_id FROM staff")}
        assert agencies == {ids["DEMO"]}
