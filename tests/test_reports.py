"""Every report against the hand-built agency of ``tests/reports_dataset.py``: known answers,
counting rules, role scopes, criteria and the other agency."""

from datetime import date

import pytest

from extensions import db
from models import Principal, Staff, acting_as
from reports import REPORTS, run_report
from reports.criteria import Criteria
from tests.conftest import csv_file_text
from tests.reports_dataset import FROM, TO, build


@pytest.fixture
def data(app, make):
    return build(app, make)


def run(app, data, key, staff=None, **criteria):
    staff = staff or data.admin
    with app.test_request_context(), acting_as(Principal.staff(staff)):
        result = run_report(REPORTS[key], Criteria(FROM, TO, **criteria))
        return result


def table(result):
    return {result.label("row", r): result.cell(r) for r in result.rows}


def test_every_report_runs(app, data):
    for key in REPORTS:
        run(app, data, key)


def dump(app, data, staff=None):
    out = {}
    for key, rep in REPORTS.items():
        result = run(app, data, key, staff)
        if rep.indicators:
            out[key] = {label: [result.cell(measure=m) for _, m in cells] for label, cells in rep.indicators}
            out[key] = {k: v for k, v in out[key].items() if any(v)}
        elif rep.columns:
            out[key] = {
                (result.label("row", r), result.label("column", c)): result.cell(r, c)
                for r in result.rows
                for c in result.columns
            }
        else:
            out[key] = {result.label("row", r): [result.cell(r, measure=m.key) for m in rep.measures] for r in result.rows}
        out[key]["TOTAL"] = [result.cell(measure=m.key) for m in rep.measures]
    return out


EXPECTED = {  # (clients, attendances, sessions) and the like, by row label; "TOTAL" from the database
    "clients_served": {"2026-01": [4, 6, 6], "TOTAL": [4, 6, 6]},
    "new_returning": {"New": [3], "Returning": [1], "TOTAL": [4]},
    "named_anonymous": {"Anonymous": [2, 2, 2], "Named": [2, 4, 4], "TOTAL": [4, 6, 6]},
    "clients_by_site": {"S1": [1, 3, 3], "S2": [3, 3, 3], "TOTAL": [4, 6, 6]},
    "clients_by_worker": {"Walter Two": [3, 3, 3], "Wanda One": [1, 3, 3], "TOTAL": [4, 6, 6]},
    "clients_by_program": {"No program": [3, 4, 4], "P1": [2, 2, 2], "TOTAL": [4, 6, 6]},
    "age_bands": {"13-17": [1, 1, 1], "35-44": [1, 3, 3], "Unknown": [2, 2, 2], "TOTAL": [4, 6, 6]},
    "genders": {"Female": [1, 3, 3], "Male": [3, 3, 3], "TOTAL": [4, 6, 6]},
    "postal_areas": {"M5V": [1, 3, 3], "Unknown": [3, 3, 3], "TOTAL": [4, 6, 6]},
    "families": {"FAM1": [2, 4, 4], "TOTAL": [2, 4, 4]},
    "contact_list": {"First, Nadia": [1, 3, 3], "Second, Noor": [1, 1, 1], "TOTAL": [2, 4, 4]},
    "forms_by_kind": {
        "Group Activity Attendee (I&O)": [1, 1],
        "Information & Orientation": [3, 2],
        "Information & Orientation (group)": [1, 0],
        "Non-Specified": [2, 2],
        "TOTAL": [7, 4],
    },
    "group_attendance": {"Housing circle": [1, 1, 1], "TOTAL": [1, 1, 1]},
    "incomplete_by_worker": {"Wanda One": [1, FROM.replace(day=15)], "TOTAL": [1, FROM.replace(day=15)]},
    "visits_by_site": {"S1": [3, 2.0], "S2": [3, 1.5], "TOTAL": [6, 3.5]},
    "visits_by_type": {"Direct Service": [5, 3.0], "Information & Orientation group activity": [1, 0.5], "TOTAL": [6, 3.5]},
    "visits_by_funder": {"F1": [1], "No funder": [5], "TOTAL": [6]},
    "visits_by_language": {"English": [6], "French": [1], "TOTAL": [6]},
    "workshop_participants": {"Housing": [1, 2], "TOTAL": [1, 2]},
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_known_answers(app, data, key):
    """Incomplete s3 and the absent attendee never count; N1 (served three times) counts once
    where unique; anonymous X counts twice; W2's Private form counts; agency B never does."""
    assert rows_of(run(app, data, key), REPORTS[key]) == EXPECTED[key]


def rows_of(result, report):
    found = {result.label("row", r): [result.cell(r, measure=m.key) for m in report.measures] for r in result.rows}
    return {**found, "TOTAL": [result.cell(measure=m.key) for m in report.measures]}


def test_indicators_count_the_private_form(app, data):
    result = run(app, data, "io_topics")
    assert result.cell(measure="topic_overview_given_ind") == 2  # s1 and W2's Private s7
    assert result.cell(measure="topic_overview_referral_ind") == 0


def test_cross_tab_totals(app, data):
    result = run(app, data, "service_hours")
    assert [result.label("column", c) for c in result.columns] == ["Direct Service", "Information & Orientation group activity"]
    assert result.cell(result.rows[0], result.columns[0]) == 3.0
    assert result.cell() == 3.5


@pytest.mark.parametrize(
    "who, served",
    [("admin", [4, 6, 6]), ("coordinator", [2, 4, 4]), ("w1", [1, 3, 3]), ("w2", [3, 3, 3])],
)
def test_role_scopes(app, data, who, served):
    """A worker reports on their own sessions; the coordinator on W1's (team) and P1's (s7,
    W2's, in P1); the admin on the agency."""
    result = run(app, data, "clients_served", getattr(data, who))
    assert [result.cell(measure=m) for m in ("clients", "attendances", "sessions")] == served


@pytest.mark.parametrize(
    "criteria, clients",
    [
        ({"site": "s1"}, 1),
        ({"worker": "w2"}, 3),
        ({"program": "program"}, 2),
        ({"funder": "funder"}, 1),
        ({"session_type": ("io_group",)}, 1),
        ({"gender": "Male"}, 3),
        ({"age_min": 30}, 1),
        ({"age_max": 17}, 1),
        ({"country_of_birth": "Syria"}, 1),
        ({"first_language": "Arabic"}, 1),
        ({"arrival_year": 2020}, 1),
        ({"postal_prefix": "m5v"}, 1),
        ({"immigration_status": "Permanent resident"}, 1),
    ],
)
def test_criteria_and_additional_options(app, data, criteria, clients):
    ids = ("site", "worker", "program", "funder")
    resolved = {k: (getattr(data, v).id,) if k in ids else v for k, v in criteria.items()}
    assert run(app, data, "clients_served", **resolved).cell() == clients


def test_new_returning_across_the_range_boundary(app, data):
    """N1's first service is in December: Returning in January, New in a range holding December."""
    with app.test_request_context(), acting_as(Principal.staff(data.admin)):
        wide = run_report(REPORTS["new_returning"], Criteria(FROM.replace(year=2025, month=12), TO))
        assert {wide.label("row", r): wide.cell(r) for r in wide.rows} == {"New": 4}
        in_program = run_report(REPORTS["new_returning"], Criteria(FROM, TO, program=(data.program.id,)))
        assert {in_program.label("row", r): in_program.cell(r) for r in in_program.rows} == {"New": 2}


def test_language_attendance_rate_counts_the_absent_classes(app, data):
    """Three classes recorded (N1 twice attended, N2 absent once): 2 of 3 attended, 66.7 %, not
    100 % (the absent class is in the denominator); still no other report counts N2's absence."""
    from models import ALL_AGENCIES, tenant_scope
    from tests.reports_dataset import form, session

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        for day, attended in ((date(2026, 1, 5), {data.n1: "Yes", data.n2: "No"}), (date(2026, 1, 6), {data.n1: "Yes"})):
            forms = [form(data.agency, "lt_attendance", data.w1, c, attended=a) for c, a in attended.items()]
            session(data.agency, day, data.s1, data.w1, list(attended), forms, session_type="language_training")
        db.session.commit()
    result = run(app, data, "language_attendance")
    assert [result.cell(measure=m) for m in ("forms", "attended")] == [3, 2]
    assert round(result.cell(measure="rate"), 1) == 66.7
    assert run(app, data, "clients_served").cell(measure="attendances") == 6 + 2  # N1's two classes, not N2's


def test_deactivated_worker_keeps_their_work(app, data):
    from models import ALL_AGENCIES, tenant_scope

    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.get(Staff, data.w2.id).is_active = False
        db.session.commit()
    assert rows_of(run(app, data, "clients_by_worker"), REPORTS["clients_by_worker"])["Walter Two"] == [3, 3, 3]


def test_the_catalogue_has_thirty_reports_with_unique_keys():
    assert len(REPORTS) >= 30
    assert all(key == key.lower() and " " not in key for key in REPORTS)


def test_cli_lists_the_catalogue(runner):
    lines = runner.invoke(args=["reports"]).output.splitlines()
    assert len(lines) == len(REPORTS) and lines[0] == "clients_served\tClients served by month"


def test_cli_writes_a_report_as_the_agency_admin(app, data, runner, tmp_path):
    import openpyxl

    out = tmp_path / "served.xlsx"
    code = data.agency.code
    result = runner.invoke(
        args=["report", "clients_by_site", "--agency", code, "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(out)["Report"].values)
    assert rows == [
        ("Site", "Clients (unique)", "Attendances", "Sessions (unique)"),
        ("S1", 1, 3, 3),
        ("S2", 3, 3, 3),
        ("Total", 4, 6, 6),
    ]
    one_site = tmp_path / "s1.xlsx"
    args = ["report", "clients_by_site", "--agency", code, "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(one_site)]
    assert runner.invoke(args=[*args, "--site", str(data.s1.id)]).exit_code == 0
    assert ("Site", "S1") in list(openpyxl.load_workbook(one_site)["Criteria"].values)  # named, not its id
    csv_out = tmp_path / "served.csv"
    args = [
        "report",
        "clients_by_site",
        "--agency",
        code,
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--site",
        str(data.s2.id),
    ]
    result = runner.invoke(args=args + ["--format", "csv", "--out", str(csv_out)])
    assert result.exit_code == 0, result.output
    lines = csv_file_text(csv_out.read_bytes()).splitlines()
    assert lines == ["Site,Clients (unique),Attendances,Sessions (unique)", "S2,3,3,3", "Total,3,3,3"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["nope"], "no report 'nope'"),
        (["clients_served", "--to", "2026-01-01"], "reversed"),
        (["clients_served", "--site", "999999"], "is not one you can report on"),
    ],
)
def test_cli_refuses_bad_input(app, data, runner, tmp_path, args, message):
    base = ["--agency", data.agency.code, "--from", "2026-01-31", "--out", str(tmp_path / "x.xlsx")]
    extra = [] if "--to" in args else ["--to", "2026-02-28"]
    result = runner.invoke(args=["report", *args, *base, *extra])
    assert result.exit_code != 0 and message in result.output


def test_every_grouped_answer_has_its_index():
    """The answers reports group by are indexed (PostgreSQL) by the reports migration."""
    import importlib.util
    from pathlib import Path

    path = next(Path("migrations/versions").glob("*_report_indexes_on_form_answers.py"))
    spec = importlib.util.spec_from_file_location("report_indexes", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    grouped = {d.answer_field for r in REPORTS.values() for d in r.dimensions if getattr(d, "answer_field", None)}
    assert grouped and grouped <= set(migration.ANSWER_FIELDS)


def test_the_user_guide_lists_every_report():
    """docs/REPORTS.md (the catalogue section is generated from REPORT_LIST)."""
    from pathlib import Path

    guide = Path("docs/REPORTS.md").read_text(encoding="utf-8")
    assert [key for key in REPORTS if f"| `{key}` | {REPORTS[key].title} |" not in guide] == []


def test_the_absent_attendee_index_matches_the_attendance_check():
    """The partial index (PostgreSQL) is used only while its condition is ``attended_clause``'s."""
    import importlib.util
    from pathlib import Path

    from models.completeness import attendance_fields

    path = next(Path("migrations/versions").glob("*_report_index_on_absent_attendees.py"))
    spec = importlib.util.spec_from_file_location("absent_index", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert list(migration.ATTENDANCE_FIELDS) == list(attendance_fields())


def test_rows_and_columns_read_their_numbers_as_numbers_and_letters_without_accents():
    """Hours a week 1, 7, 8, 10+ (not 1, 10+, 7, 8); CLB levels 2 before 10; Émile beside Emma."""
    from types import SimpleNamespace

    from reports.results import ordered

    labels = {"a": "10+", "b": "7", "c": "1", "d": "8"}
    assert ordered(SimpleNamespace(order="label"), list(labels), labels) == ["c", "b", "d", "a"]
    assert ordered(SimpleNamespace(order="value"), ["10", "2", None, "Pre-CLB"], {}) == ["2", "10", "Pre-CLB", None]
    names = {1: "Zoë", 2: "Émile", 3: "Emma"}
    assert ordered(SimpleNamespace(order="label"), list(names), names) == [2, 3, 1]
