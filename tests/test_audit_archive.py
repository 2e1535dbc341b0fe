"""archive-audit: rows older than the month leave the table only once they are in a file that
reads back (gzip + JSON Lines) with the same ids; one agency at a time, a dry run, a failed
check, a second run, two runs at once (PostgreSQL), refused months and the grid's notice."""

import gzip
import json
import threading
from datetime import date, datetime

import pytest
from sqlalchemy import insert, select

import exports.audit_archive as archive_module
from extensions import db
from models import ALL_AGENCIES, AuditEvent, tenant_scope
from models.audit_archive import ArchiveRefused, archive_cutoff
from models.base import utcnow
from tests.conftest import demo_agency, text

CUTOFF = "2020-01"
OLD = [datetime(2019, 3, 5, 10, 0), datetime(2019, 12, 31, 23, 59, 59)]
KEPT = [datetime(2020, 1, 1, 0, 0), datetime(2021, 6, 1, 12, 0)]
TRICKY = {"note": ["-1", "@x"], "name": [None, "Zoë"]}  # kept exactly: nothing is prefixed in JSON Lines


def add_events(agency, moments, detail="", changes=None):
    """Audit rows of ``agency`` at the given times (through the table: ``at`` is set by hand)."""
    rows = [
        dict(
            agency_id=agency.id,
            at=moment,
            action="update",
            record_type="client",
            record_id=number,
            changes=changes if changes is not None else {"first_name": ["Laila", f"Layla {number}"], "data.reason": [None, 3]},
            detail=detail,
            remote_addr="10.0.0.1",
            source="clients.edit_view",
            acting_as="staff 1 (worker)",
        )
        for number, moment in enumerate(moments, start=1)
    ]
    with tenant_scope(ALL_AGENCIES), db.engine.begin() as connection:
        connection.execute(insert(AuditEvent.__table__), rows)


def rows_of(app, agency):
    """``{id: row as a dict}`` of the agency's audit rows, ``at`` in ISO format."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        query = select(*AuditEvent.__table__.columns).where(AuditEvent.agency_id == agency.id)
        rows = [dict(row._mapping) for row in db.session.execute(query)]
    return {row["id"]: {**row, "at": row["at"].isoformat()} for row in rows}


def archived(path):
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return {row["id"]: row for row in map(json.loads, lines)}


def archive(runner, folder, *args):
    return runner.invoke(args=["archive-audit", "--before", CUTOFF, "--out", str(folder), *args])


@pytest.fixture
def agencies(app, make):
    """Two agencies, each with two rows before the cut-off and two from it on."""
    first, second = make.agency(), make.agency()
    with app.app_context():
        for agency in (first, second):
            add_events(agency, OLD + KEPT)
    return first, second


def old_ids(rows):
    return {row_id for row_id, row in rows.items() if row["at"] < "2020-01-01"}


def archive_events(app, agency):
    return [row for row in rows_of(app, agency).values() if row["action"] == "archive"]


def test_rows_before_the_cutoff_leave_and_are_in_the_file(app, runner, agencies, tmp_path):
    first, second = agencies
    with app.app_context():
        add_events(first, OLD[:1], detail='=HYPERLINK("http://evil.example")', changes=TRICKY)
    before = {agency.code: rows_of(app, agency) for agency in agencies}
    result = archive(runner, tmp_path)
    assert result.exit_code == 0, result.output
    for agency in agencies:
        path = tmp_path / f"audit-{agency.code}-before-2020-01.jsonl.gz"
        in_file, left = archived(path), rows_of(app, agency)
        gone = old_ids(before[agency.code])
        assert set(in_file) == gone and len(gone) == (3 if agency is first else 2)
        assert all(in_file[row_id] == before[agency.code][row_id] for row_id in gone)  # every column, exactly
        kept = {row_id: row for row_id, row in left.items() if row["action"] != "archive"}
        assert kept == {row_id: row for row_id, row in before[agency.code].items() if row_id not in gone}
        assert path.stat().st_mode & 0o777 == 0o600
        assert f"{agency.code}: audit rows from before 2020-01-01: {len(gone)} archived to {path.name}." in result.output
    formula = next(row for row in archived(tmp_path / f"audit-{first.code}-before-2020-01.jsonl.gz").values() if row["detail"])
    assert formula["detail"].startswith("=HYPERLINK") and formula["changes"] == TRICKY
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"audit-{a.code}-before-2020-01.jsonl.gz" for a in agencies)


def test_the_archiving_is_an_audit_event(app, runner, agencies, tmp_path):
    first, _ = agencies
    assert archive(runner, tmp_path, "--agency", first.code.lower()).exit_code == 0
    path = tmp_path / f"audit-{first.code}-before-2020-01.jsonl.gz"
    (event_row,) = archive_events(app, first)
    assert event_row["changes"]["before"] == [None, "2020-01-01"] and event_row["changes"]["rows"] == [None, 2]
    assert event_row["changes"]["file"] == [None, path.name]
    assert event_row["changes"]["sha256"] == [None, archive_module.file_sha256(path)]
    assert event_row["source"] == "cli:archive-audit"
    assert event_row["acting_as"] == "system: audit archiving (agency-wide records only)"
    assert event_row["detail"] == f"2 audit rows from before 2020-01-01 archived to {path.name}"
    with app.app_context(), tenant_scope(first.id):
        assert str(db.session.get(AuditEvent, event_row["id"]).action_label) == "Older rows archived to a file"


def test_other_agencies_are_untouched_with_agency(app, runner, agencies, tmp_path):
    first, second = agencies
    untouched = rows_of(app, second)
    result = archive(runner, tmp_path, "--agency", first.code)
    assert result.exit_code == 0, result.output
    assert rows_of(app, second) == untouched and second.code not in result.output
    assert not old_ids(rows_of(app, first))
    assert [p.name for p in tmp_path.iterdir()] == [f"audit-{first.code}-before-2020-01.jsonl.gz"]
    assert "no agency with the code 'NOPE'" in archive(runner, tmp_path, "--agency", "NOPE").output


def test_a_dry_run_changes_nothing(app, runner, agencies, tmp_path):
    before = [rows_of(app, agency) for agency in agencies]
    folder = tmp_path / "archive"
    result = archive(runner, folder, "--dry-run")
    assert result.exit_code == 0, result.output
    assert [rows_of(app, agency) for agency in agencies] == before and not folder.exists()
    code = agencies[0].code
    assert f"{code}: audit rows from before 2020-01-01: 2 would be archived to audit-{code}-before-2020-01.jsonl.gz." in (
        result.output
    )


def test_a_file_that_does_not_read_back_removes_nothing(app, runner, agencies, tmp_path, monkeypatch):
    write_rows = archive_module.write_rows

    def drop_one(path, rows, progress=None):
        return write_rows(path, (row for number, row in enumerate(rows) if number != 1), progress)

    monkeypatch.setattr(archive_module, "write_rows", drop_one)
    before = [rows_of(app, agency) for agency in agencies]
    result = archive(runner, tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "archiving failed, no row removed: the file holds 1 rows" in result.output
    assert [rows_of(app, agency) for agency in agencies] == before
    assert list(tmp_path.iterdir()) == []  # the partial file went too


def test_a_second_run_finds_nothing_older_then_only_what_is_new(app, runner, agencies, tmp_path, monkeypatch):
    first, _ = agencies
    monkeypatch.setattr(archive_module, "PROGRESS_EVERY", 1)
    assert "2 rows written" in archive(runner, tmp_path, "--agency", first.code).output
    again = archive(runner, tmp_path, "--agency", first.code)
    assert again.exit_code == 0 and "none to archive" in again.output
    with app.app_context():
        add_events(first, OLD[:1])  # e.g. a row restored from a backup
    third = archive(runner, tmp_path, "--agency", first.code)
    assert f"1 archived to audit-{first.code}-before-2020-01-2.jsonl.gz" in third.output
    assert len(archived(tmp_path / f"audit-{first.code}-before-2020-01.jsonl.gz")) == 2
    assert len(archive_events(app, first)) == 2


def test_archive_events_stay_in_the_table(app, runner, agencies, tmp_path):
    first, _ = agencies
    with app.app_context():
        assert archive_module.archive_agency(first.id, first.code, date(2020, 1, 1), tmp_path, echo=lambda line: None).rows == 2
    with app.app_context(), tenant_scope(ALL_AGENCIES):  # pretend that archiving was long ago
        db.session.connection().execute(
            AuditEvent.__table__.update().where(AuditEvent.action == "archive").values(at=datetime(2019, 1, 2))
        )
        db.session.commit()
    result = runner.invoke(args=["archive-audit", "--before", "2022-01", "--out", str(tmp_path), "--agency", first.code])
    assert "2 archived" in result.output  # the rows of 2020 and 2021, not the archive event
    assert len(archive_events(app, first)) == 2


@pytest.mark.parametrize(
    "month, message",
    [
        ("2020-13", "is not a month written YYYY-MM"),
        ("2020-1", "is not a month written YYYY-MM"),
        ("0000-01", "is not a month written YYYY-MM"),
        ("January", "is not a month written YYYY-MM"),
        ("", "is not a month written YYYY-MM"),
        ("2999-01", "is not in the past"),
        (f"{utcnow():%Y-%m}", "is not in the past"),
    ],
)
def test_a_month_that_cannot_be_archived_is_refused(app, runner, agencies, tmp_path, month, message):
    before = rows_of(app, agencies[0])
    result = runner.invoke(args=["archive-audit", "--before", month, "--out", str(tmp_path), "--force"])
    assert result.exit_code == 2 and "Invalid value for --before" in result.output and message in result.output
    assert "Traceback" not in result.output and rows_of(app, agencies[0]) == before


def test_the_last_twelve_months_need_force():
    today = date(2026, 11, 22)
    assert archive_cutoff("2025-11", today) == date(2025, 11, 1)
    with pytest.raises(ArchiveRefused, match="give 2025-11 or earlier, or add --force"):
        archive_cutoff("2025-12", today)
    assert archive_cutoff("2026-10", today, force=True) == date(2026, 10, 1)
    with pytest.raises(ArchiveRefused, match="not in the past"):
        archive_cutoff("2026-11", today, force=True)


def test_the_grid_says_before_when_rows_were_archived(app, runner, demo, login, tmp_path):
    with app.app_context():
        add_events(demo_agency(app, "DEMO"), OLD)
    admin = login("admin@demo.org")
    assert 'data-testid="audit-archived"' not in text(admin.get("/admin/audit/"))
    assert archive(runner, tmp_path, "--agency", "DEMO").exit_code == 0
    page = text(admin.get("/admin/audit/"))
    notice = f"Rows from before 2020-01-01 were archived on {utcnow():%Y-%m-%d} and are no longer listed here"
    assert notice in page and "audit-DEMO-before-2020-01.jsonl.gz" in page and "Older rows archived to a file" in page
    french = text(admin.get("/admin/audit/", headers={"Accept-Language": "fr-CA"}))
    assert "Les entrées antérieures au 2020-01-01 ont été archivées" in french
    admin.post("/logout")
    assert 'data-testid="audit-archived"' not in text(login("admin@other.org").get("/admin/audit/"))


def test_two_runs_at_once_archive_once(app, runner, agencies, tmp_path, monkeypatch):
    """The second run finds the agency claimed and skips it: PostgreSQL's advisory lock at once,
    SQLite's write lock after the driver's 5-second busy time-out."""
    first, _ = agencies
    write_rows, started, release, outcome = archive_module.write_rows, threading.Event(), threading.Event(), {}

    def slow(path, rows, progress=None):
        count = write_rows(path, rows, progress)
        started.set()
        release.wait(30)
        return count

    def first_run():
        with app.app_context():
            outcome["result"] = archive_module.archive_agency(first.id, first.code, date(2020, 1, 1), tmp_path, echo=print)

    monkeypatch.setattr(archive_module, "write_rows", slow)
    thread = threading.Thread(target=first_run)
    thread.start()
    assert started.wait(30)
    second = archive(runner, tmp_path, "--agency", first.code)
    release.set()
    thread.join(30)
    assert "another archiving run holds this agency; skipped" in second.output
    assert outcome["result"].rows == 2 and len(archive_events(app, first)) == 1
    assert [p.name for p in tmp_path.iterdir()] == [f"audit-{first.code}-before-2020-01.jsonl.gz"]
    assert "none to archive" in archive(runner, tmp_path, "--agency", first.code).output
