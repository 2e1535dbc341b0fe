"""init-db, seed-demo and create-admin."""

from sqlalchemy import func, select

from extensions import db
from models import ALL_AGENCIES, Agency, Program, Site, Staff, tenant_scope
from models.reference import ReferenceValue
from tests.conftest import sign_in


def counts(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in (Agency, Site, Program, Staff)}


def test_init_db_is_safe_to_run_again(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
    with app.app_context():
        languages = db.session.scalar(select(func.count()).where(ReferenceValue.list_name == "languages"))
    assert languages > 200


def test_seed_demo_is_idempotent(runner, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "worker@demo.org" in first.output and "demo-password" in first.output
    before = counts(app)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(app) == before
    assert before["Agency"] == 2 and before["Staff"] == 6


def test_seed_demo_if_empty_leaves_existing_data_alone(runner, app, make):
    make.agency(name="Real Agency", code="REAL")
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not loaded" in result.output
    assert counts(app)["Agency"] == 1


def test_demo_roles_and_programs(app, demo):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = {s.email: s for s in db.session.scalars(select(Staff))}
        assert staff["admin@demo.org"].role == "agency_admin"
        assert staff["coordinator@demo.org"].role == "coordinator"
        workers = [staff["worker@demo.org"], staff["worker2@demo.org"]]
        assert all(w.manager.email == "coordinator@demo.org" for w in workers)
        assert {p.name for p in workers[0].programs}.isdisjoint({p.name for p in workers[1].programs})
        assert {p.name for p in staff["worker3@demo.org"].programs} == {p.name for p in workers[0].programs}
        assert staff["admin@other.org"].agency.code == "OTHER"


CREATE_ADMIN = [
    "create-admin",
    "--agency-name",
    "Maple Newcomer Centre",
    "--agency-code",
    "maple",
    "--email",
    "Boss@Maple.org",
    "--first-name",
    "Mira",
    "--last-name",
    "Khan",
]


def test_create_admin_makes_an_agency_and_its_admin(runner, client):
    result = runner.invoke(args=[*CREATE_ADMIN, "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    assert "MAPLE" in result.output
    assert sign_in(client, "boss@maple.org", "a-long-password").location == "/admin/"
    assert "Maple Newcomer Centre" in client.get("/admin/").get_data(as_text=True)


def test_create_admin_prompts_for_a_hidden_password(runner):
    result = runner.invoke(args=CREATE_ADMIN, input="a-long-password\na-long-password\n")
    assert result.exit_code == 0, result.output
    assert "a-long-password" not in result.output


def test_create_admin_refuses_a_short_password_or_a_taken_email(runner, demo):
    assert "at least 10 characters" in runner.invoke(args=[*CREATE_ADMIN, "--password", "short"]).output
    taken = [
        *CREATE_ADMIN[:-6],
        "--email",
        "worker@demo.org",
        "--first-name",
        "A",
        "--last-name",
        "B",
        "--password",
        "a-long-password",
    ]
    result = runner.invoke(args=taken)
    assert result.exit_code != 0 and "exists" in result.output
