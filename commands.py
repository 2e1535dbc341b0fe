"""Flask CLI commands: ``flask --app app init-db | seed-demo | create-admin``."""

import click
import flask_migrate
from flask.cli import with_appcontext
from sqlalchemy import select

from demo import DEMO_PASSWORD, seed_demo
from extensions import db
from models import ALL_AGENCIES, Agency, Staff, tenant_scope
from models.reference import sync_reference_values
from validation import MIN_PASSWORD_LENGTH


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Upgrade the database to the newest migration and load the reference lists."""
    flask_migrate.upgrade()
    sync_reference_values()
    click.echo("Database is up to date.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no agency yet.")
@with_appcontext
def seed_demo_command(if_empty):
    """Create (or complete) the demo agencies; safe to run again."""
    with tenant_scope(ALL_AGENCIES):
        if if_empty and db.session.scalar(select(Agency.id).limit(1)) is not None:
            click.echo("Database already has data: demo not loaded.")
            return
        seed_demo()
    click.echo(f"Demo agencies ready. Sign in with any of these, password {DEMO_PASSWORD!r}:")
    for email in ("admin@demo.org", "coordinator@demo.org", "worker@demo.org", "worker2@demo.org", "admin@other.org"):
        click.echo(f"  {email}")


@click.command("create-admin")
@click.option("--agency-name", prompt="Agency name")
@click.option("--agency-code", prompt="Agency short code (e.g. ACME)")
@click.option("--email", prompt="Admin email")
@click.option("--first-name", prompt="Admin first name")
@click.option("--last-name", prompt="Admin last name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin_command(agency_name, agency_code, email, first_name, last_name, password):
    """Create an agency (or reuse the one with this code) and an agency admin for it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="--password")
    with tenant_scope(ALL_AGENCIES):
        if db.session.scalar(select(Staff.id).where(Staff.email == email.lower())):
            raise click.BadParameter("a staff account with this email exists", param_hint="--email")
        code = agency_code.strip().upper()
        agency = db.session.scalar(select(Agency).where(Agency.code == code))
        agency = agency or Agency(name=agency_name.strip(), code=code)
        admin = Staff(agency=agency, email=email.strip().lower(), first_name=first_name, last_name=last_name, role="agency_admin")
        admin.set_password(password)
        db.session.add(admin)
        db.session.commit()
    click.echo(f"Agency admin {admin.email} created for {agency.name} ({agency.code}).")


def register(app):
    for command in (init_db_command, seed_demo_command, create_admin_command):
        app.cli.add_command(command)
