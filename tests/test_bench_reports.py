"""bench/reports.py's loader at a small size on a scratch PostgreSQL database (no timing is
asserted): every report of the catalogue has rows in the benchmarked month, and what the loader
writes keeps the rules the application keeps (each row's agency is its parents', one target per
referral, a match's status is its last update's...)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from reports import REPORTS

ROOT = Path(__file__).resolve().parents[1]
BROKEN = {  # rule: rows breaking it
    "referral of another agency's client, staff, partner or program": """
        SELECT count(*) FROM referrals r JOIN clients c ON c.id = r.client_id JOIN staff s ON s.id = r.referring_staff_id
        LEFT JOIN referral_partners p ON p.id = r.partner_id LEFT JOIN programs t ON t.id = r.to_program_id
        LEFT JOIN programs m ON m.id = r.program_id LEFT JOIN service_forms f ON f.id = r.service_form_id
        WHERE c.agency_id <> r.agency_id OR s.agency_id <> r.agency_id OR p.agency_id <> r.agency_id
           OR t.agency_id <> r.agency_id OR m.agency_id <> r.agency_id OR f.client_id <> r.client_id""",
    "referral with no target or two, or followed up before it was made": """
        SELECT count(*) FROM referrals WHERE (partner_id IS NULL) = (to_program_id IS NULL) OR follow_up_date < referral_date""",
    "task of another agency, or for nobody, or done without a date": """
        SELECT count(*) FROM tasks t LEFT JOIN staff a ON a.id = t.assigned_to_id JOIN referrals r ON r.id = t.referral_id
        WHERE a.agency_id <> t.agency_id OR r.agency_id <> t.agency_id OR (t.assignee_kind = 'staff') <> (a.id IS NOT NULL)
           OR (t.status = 'done') <> (t.done_date IS NOT NULL)""",
    "plan of another agency's client or worker, or of an anonymous client": """
        SELECT count(*) FROM settlement_plans p JOIN clients c ON c.id = p.client_id JOIN staff w ON w.id = p.worker_id
        WHERE c.agency_id <> p.agency_id OR w.agency_id <> p.agency_id OR c.kind <> 'named'""",
    "goal not of its plan's agency, achieved without a date, or not 2 to 4 a plan": """
        SELECT count(*) FROM plan_goals g JOIN settlement_plans p ON p.id = g.plan_id
        WHERE g.agency_id <> p.agency_id OR (g.status = 'achieved') <> (g.achieved_date IS NOT NULL)
           OR p.id IN (SELECT plan_id FROM plan_goals GROUP BY plan_id HAVING count(*) NOT BETWEEN 2 AND 4)""",
    "match with another agency's mentor, an unmatchable mentor or another client's form": """
        SELECT count(*) FROM mentor_matches m JOIN mentors t ON t.id = m.mentor_id JOIN service_forms f ON f.id = m.form_id
        WHERE t.agency_id <> m.agency_id OR f.client_id <> m.client_id OR f.data ->> 'mentor_id' <> m.mentor_id::text
           OR NOT t.is_active OR t.screening_expires_on < m.started_on""",
    "update of another client's match": """
        SELECT count(*) FROM mentor_updates u JOIN mentor_matches m ON m.id = u.match_id JOIN service_forms f ON f.id = u.form_id
        WHERE f.client_id <> m.client_id OR f.data ->> 'match_id' <> m.id::text OR u.agency_id <> m.agency_id""",
    "match whose status is not its last update's": """
        SELECT count(*) FROM mentor_matches m JOIN LATERAL (SELECT f.data ->> 'match_status' AS status FROM mentor_updates u
          JOIN service_forms f ON f.id = u.form_id WHERE u.match_id = m.id ORDER BY u.updated_on DESC LIMIT 1) last ON true
        WHERE last.status <> m.status""",
    "iCARE record of another agency or another month's file": """
        SELECT count(*) FROM icare_upload_items i JOIN icare_uploads u ON u.id = i.upload_id
        LEFT JOIN service_forms f ON f.id = i.form_id LEFT JOIN service_sessions s ON s.id = f.session_id
        WHERE u.agency_id <> i.agency_id OR f.agency_id <> i.agency_id OR to_char(s.service_date, 'YYYY-MM') <> u.month
           OR u.record_count <> (SELECT count(*) FROM icare_upload_items o WHERE o.upload_id = u.id)""",
    "session with another agency's program, site or group activity": """
        SELECT count(*) FROM service_sessions s LEFT JOIN programs p ON p.id = s.program_id JOIN sites t ON t.id = s.site_id
        LEFT JOIN group_activity_names g ON g.id = s.group_activity_id
        WHERE p.agency_id <> s.agency_id OR t.agency_id <> s.agency_id OR g.agency_id <> s.agency_id""",
}
OTHER_AGENCY = ("referrals", "tasks", "settlement_plans", "mentor_matches", "icare_upload_items")


@pytest.fixture
def scratch_url(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0] != "postgresql":
        pytest.skip("PostgreSQL only")
    url = make_url(os.environ["TEST_DATABASE_URL"])
    scratch = url.set(database=f"{url.database}_rbench")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    yield scratch.render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    server.dispose()


def test_the_report_loader_fills_every_report_with_valid_rows(scratch_url):
    command = [sys.executable, ROOT / "bench" / "reports.py", "--database-url", scratch_url, "--reset"]
    run = subprocess.run([*command, "--forms", "20000", "--repeat", "1"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    printed = {line.split()[0] for line in run.stdout.splitlines() if " bare SQL " in line}
    assert printed == set(REPORTS)
    assert "every report has rows in the range" in run.stdout, run.stdout[-3000:]
    engine = create_engine(scratch_url)
    with engine.connect() as connection:
        broken = {rule: connection.scalar(text(sql)) for rule, sql in BROKEN.items()}
        other = {table: connection.scalar(text(f"SELECT count(*) FROM {table} WHERE agency_id = 2")) for table in OTHER_AGENCY}
    engine.dispose()
    assert broken == dict.fromkeys(BROKEN, 0)
    assert all(other.values()), other  # the other agency has some of each
