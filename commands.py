"""Flask CLI commands: ``flask --app app init-db | seed-demo | create-admin | apply-retention |
archive-audit | send-notifications | reports | report | icare-export | import-template |
import-clients | seed-scale``."""

import re
from datetime import date
from pathlib import Path

import click
import flask_migrate
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import MultiDict

from demo import DEMO_LOGINS, DEMO_PASSWORD, PORTAL_LOGINS, seed_demo
from exports.audit_archive import archive_agency
from exports.icare_files import export_month
from exports.imports import check_file, import_columns, template_bytes
from exports.reports import report_csv, report_workbook
from extensions import db
from models import ALL_AGENCIES, Agency, Staff, tenant_scope
from models.audit_archive import KEPT_MONTHS, ArchiveMismatch, ArchiveRefused, archive_cutoff
from models.base import utcnow
from models.client_import import IMPORT, import_clients
from models.clients import registration_number
from models.icare_templates import template as icare_template
from models.icare_templates import templates as icare_templates
from models.notification_sending import run_for_agency
from models.principal import Declaration
from models.reference import sync_reference_values
from models.retention import apply_retention
from reports import REPORT_LIST, REPORTS, read_criteria, run_report
from reports.scope import allowed_choices
from validation import password_problem

ICARE_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def agency_by_code(code):
    """``(id, code)`` of the agency with this short code, or a usage error."""
    with tenant_scope(ALL_AGENCIES):
        found = db.session.execute(select(Agency.id, Agency.code).where(Agency.code == code.strip().upper())).first()
    if found is None:
        raise click.BadParameter(f"no agency with the code {code!r}", param_hint="--agency")
    return found


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
    for email, who in DEMO_LOGINS:
        click.echo(f"  {email:24} {who}")
    click.echo("Client portal (http://127.0.0.1:5000/portal/), same password:")
    for email, who in PORTAL_LOGINS:
        click.echo(f"  {email:24} {who}")


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
    if problem := password_problem(password, (email, first_name, last_name)):
        raise click.BadParameter(problem, param_hint="--password")
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


@click.command("apply-retention")
@click.option("--dry-run", is_flag=True, help="List the clients that would be anonymised; change nothing.")
@click.option("--agency", "agency_code", help="Only this agency (its short code).")
@with_appcontext
def apply_retention_command(dry_run, agency_code):
    """Anonymise clients inactive for longer than their agency's retention period (one
    transaction per agency; agencies with no period are left alone)."""
    with tenant_scope(ALL_AGENCIES):
        query = select(Agency).order_by(Agency.code)
        if agency_code:
            query = query.where(Agency.code == agency_code.strip().upper())
        agencies = [(agency.id, agency.code, agency.retention_months) for agency in db.session.scalars(query)]
    if agency_code and not agencies:
        raise click.BadParameter(f"no agency with the code {agency_code!r}", param_hint="--agency")
    for agency_id, code, months in agencies:
        if not months or months < 1:
            click.echo(f"{code}: no retention period set, nothing done.")
            continue
        with tenant_scope(agency_id):
            result = apply_retention(db.session.get(Agency, agency_id), current_app.config["UPLOAD_FOLDER"], dry_run=dry_run)
        click.echo(retention_report(result, dry_run))


def retention_report(result, dry_run):
    """What one agency's run did (or, in a dry run, would do)."""
    numbers = ", ".join(f"{registration_number(client_id)} (id {client_id})" for client_id in result.client_ids)
    head = f"{result.agency_code}: period {result.months} months, no activity since before {result.cutoff.isoformat()}: "
    if dry_run:
        return head + f"{len(result.client_ids)} client(s) would be anonymised" + (f": {numbers}" if numbers else ".")
    counts = ", ".join(f"{count} {what}" for what, count in result.counts.items() if what != "clients")
    return head + f"{len(result.client_ids)} client(s) anonymised" + (f": {numbers}. Redacted: {counts}." if numbers else ".")


@click.command("archive-audit")
@click.option("--before", "month", required=True, help="Archive the rows older than the first day of this month (YYYY-MM).")
@click.option("--agency", "agency_code", help="Only this agency (its short code).")
@click.option("--out", "folder", type=click.Path(file_okay=False), help="Folder for the files (default: instance/audit-archive).")
@click.option("--dry-run", is_flag=True, help="Count the rows each agency would archive; change nothing.")
@click.option("--force", is_flag=True, help=f"Allow a month within the last {KEPT_MONTHS} months.")
@with_appcontext
def archive_audit_command(month, agency_code, folder, dry_run, force):
    """Move audit rows older than a month to one compressed file per agency (verified before
    the rows are removed; one transaction per agency; safe to run again)."""
    try:
        cutoff = archive_cutoff(month, force=force)
    except ArchiveRefused as error:
        raise click.BadParameter(str(error), param_hint="--before") from None
    with tenant_scope(ALL_AGENCIES):
        query = select(Agency.id, Agency.code).order_by(Agency.code)
        agencies = db.session.execute(query.where(Agency.code == agency_code.strip().upper()) if agency_code else query).all()
    if agency_code and not agencies:
        raise click.BadParameter(f"no agency with the code {agency_code!r}", param_hint="--agency")
    folder = Path(folder or Path(current_app.instance_path) / "audit-archive")
    failed = []
    for agency_id, code in agencies:
        try:
            click.echo(archive_agency(agency_id, code, cutoff, folder, dry_run, echo=click.echo).summary(dry_run))
        except (ArchiveMismatch, OSError, SQLAlchemyError) as error:
            failed.append(code)
            click.echo(f"{code}: archiving failed, no row removed: {error}", err=True)
    if failed:
        raise click.ClickException(f"archiving failed for {', '.join(failed)} (nothing removed there)")


# --- notifications ---
@click.command("send-notifications")
@click.option("--dry-run", is_flag=True, help="Count the reminders due and the messages that would be sent; change nothing.")
@click.option("--agency", "agency_code", help="Only this agency (its short code).")
@with_appcontext
def send_notifications_command(dry_run, agency_code):
    """Queue every reminder due, then send every message due and not yet sent (per agency; safe
    from cron and when two runs overlap: each message is claimed before it is sent)."""
    with tenant_scope(ALL_AGENCIES):
        query = select(Agency.id, Agency.code).order_by(Agency.code)
        agencies = db.session.execute(query.where(Agency.code == agency_code.strip().upper()) if agency_code else query).all()
    if agency_code and not agencies:
        raise click.BadParameter(f"no agency with the code {agency_code!r}", param_hint="--agency")
    failed = []
    for agency_id, code in agencies:
        try:
            result = run_for_agency(agency_id, dry_run=dry_run)
        except SQLAlchemyError as error:  # this agency's run stops; the others still run
            db.session.rollback()
            failed.append(code)
            click.echo(f"{code}: sending stopped: {error}", err=True)
            continue
        click.echo(result.summary(dry_run))
        for error in result.errors:
            click.echo(f"  {error}", err=True)
        for subject in result.due:
            click.echo(f"  would send: {subject}")
    if failed:
        raise click.ClickException(f"sending stopped for {', '.join(failed)}")


# --- reports ---
# A report run from the CLI counts as the agency admin's would: the whole agency, restricted
# records counted (reports never select their content), so it declares no restricted reads.
REPORTING = Declaration.of("report export")


@click.command("reports")
def reports_command():
    """List the report catalogue: one line per report, its key then its title."""
    for item in REPORT_LIST:
        click.echo(f"{item.key}\t{item.title}")


@click.command("report")
@click.argument("key")
@click.option("--agency", "agency_code", required=True, help="The agency's short code.")
@click.option("--from", "date_from", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--site", "site_ids", multiple=True, help="A site id (repeat for several).")
@click.option("--format", "file_format", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, writable=True), help="The file to write.")
@with_appcontext
def report_command(key, agency_code, date_from, date_to, site_ids, file_format, out_file):
    """Write one report for one agency as its agency admin would see it."""
    if key not in REPORTS:
        raise click.BadParameter(f"no report {key!r}; `flask --app app reports` lists them", param_hint="KEY")
    with tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == agency_code.strip().upper()))
    if agency_id is None:
        raise click.BadParameter(f"no agency with the code {agency_code!r}", param_hint="--agency")
    args = MultiDict([("from", date_from), ("to", date_to)] + [("site", s) for s in site_ids])
    with tenant_scope(agency_id, REPORTING):
        allowed = allowed_choices()
        criteria, problems = read_criteria(args, allowed, date.today())
        if problems:
            raise click.UsageError(" ".join(problems))
        result = run_report(REPORTS[key], criteria)
        if file_format == "csv":
            content = report_csv(result).encode()
        else:
            content = report_workbook(result, "flask report", utcnow(), allowed)
    Path(out_file).write_bytes(content)
    click.echo(f"{key}: {len(result.rows)} rows written to {out_file}")


# --- end reports ---


# --- iCARE ---
@click.command("icare-export")
@click.option("--agency", "agency_code", required=True, help="The agency's short code.")
@click.option("--month", required=True, help="The month of the services (YYYY-MM).")
@click.option("--out", "folder", required=True, type=click.Path(file_okay=False), help="Folder for the files.")
@click.option("--template", "template_name", help="Only this template (e.g. 'Client Profile' or client-profile).")
@click.option("--draft", is_flag=True, help="Draft files: nothing is marked uploaded.")
@with_appcontext
def icare_export_command(agency_code, month, folder, template_name, draft):
    """Write the month's iCARE files and error report; without --draft, final files (kept, and
    their records marked uploaded, as on the check page). Fails only when no file was written."""
    if not ICARE_MONTH.match(month):
        raise click.BadParameter("use YYYY-MM", param_hint="--month")
    chosen = list(icare_templates())
    if template_name:
        chosen = [found] if (found := icare_template(template_name)) else []
        if not chosen:
            raise click.BadParameter(f"no iCARE template {template_name!r}", param_hint="--template")
    agency_id = agency_by_code(agency_code).id
    lines, written = export_month(agency_id, month, chosen, Path(folder), draft)
    for line in lines:
        click.echo(line)
    if not written:
        raise click.ClickException(f"no iCARE file written for {month}")


# --- client import (issue 11, item 8) ---
@click.command("import-template")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.option("--agency", "agency_code", help="Offer this agency's sites, staff and profile questions.")
@with_appcontext
def import_template_command(out, agency_code):
    """Write the client import template (.xlsx) to OUT."""
    if agency_code:
        with tenant_scope(agency_by_code(agency_code).id, IMPORT):
            data = template_bytes()
    else:
        data = template_bytes(import_columns(site_rows=[], staff_rows=[], questions=False))
    Path(out).write_bytes(data)
    click.echo(f"Import template written to {out}.")


@click.command("import-clients")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--agency", "agency_code", required=True, help="The agency the clients join (its short code).")
@click.option("--dry-run", is_flag=True, help="Check the file and list problems and likely duplicates; import nothing.")
@click.option("--skip-duplicates", is_flag=True, help="Leave out the rows that look like duplicates.")
@with_appcontext
def import_clients_command(file, agency_code, dry_run, skip_duplicates):
    """Import named clients from an xlsx or CSV file made from the import template: every row
    or none (exits non-zero when the file has problems)."""
    agency_id, code = agency_by_code(agency_code)
    with tenant_scope(agency_id, IMPORT):
        check = check_file(Path(file).read_bytes(), Path(file).name)
        for problem in check.problems:
            click.echo(str(problem), err=True)
        for duplicate in check.duplicates:
            like = duplicate.registration_number if duplicate.client_id else f"row {duplicate.other_row}"
            click.echo(f"Row {duplicate.row}: {duplicate.name} looks like {like} ({', '.join(map(str, duplicate.reasons))})")
        summary = f"{code}: {check.total} rows, {len(check.rows)} ready, {len(check.problems)} problems"
        summary += f", {len(check.duplicates)} likely duplicates"
        if not check.is_valid:
            raise click.ClickException(f"{summary}; nothing imported.")
        if dry_run:
            click.echo(f"{summary}; dry run, nothing imported.")
            return
        skipped = {d.row for d in check.duplicates} if skip_duplicates else set()
        ids = import_clients([row.values for row in check.rows if row.number not in skipped], filename=Path(file).name)
        db.session.commit()
    click.echo(f"{summary}; {len(ids)} clients imported" + (f", {len(skipped)} duplicate rows left out." if skipped else "."))


@click.command("seed-scale")
@click.option("--clients", "count", type=click.IntRange(min=1), required=True, help="How many clients to add.")
@click.option("--agency", "agency_code", default="DEMO", show_default=True, help="The agency (its short code).")
@click.option("--seed", default=7, show_default=True, help="Random seed (the same seed gives the same rows).")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(min=1), help="Processes building the rows (same rows)."
)
@with_appcontext
def seed_scale_command(count, agency_code, seed, workers):
    """Add N synthetic clients with about five sessions and forms each, notes and referrals
    (demo/scale.py), in bulk; for benchmarks, never on a real agency's database."""
    from demo.scale import seed_scale

    agency_id, code = agency_by_code(agency_code)

    def progress(message):
        click.echo(f"{code}: {message}")

    with tenant_scope(agency_id):
        try:
            written = seed_scale(agency_id, count, seed=seed, progress=progress, workers=workers)
        except ValueError as problem:
            raise click.ClickException(str(problem)) from problem
        db.session.commit()
    click.echo(", ".join(f"{rows:,} {table}" for table, rows in written.items()) + " written.")


def register(app):
    commands = (init_db_command, seed_demo_command, create_admin_command, apply_retention_command, archive_audit_command)
    commands += (send_notifications_command,)
    commands += (reports_command, report_command)
    commands += (icare_export_command,)
    commands += (import_template_command, import_clients_command)
    commands += (seed_scale_command,)
    for command in commands:
        app.cli.add_command(command)
