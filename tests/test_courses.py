"""Language courses of their own: name, level(s), instructor, schedule; shown by name (never a
session's note) in the register, the Course drop-down and the LT forms; the register opens from
any class; the drop-down lists current courses by name; existing courses are migrated."""

import re
from datetime import date, timedelta

import flask_migrate
import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from app import create_app
from extensions import db
from models import ALL_AGENCIES, Course, ServiceSession, tenant_scope
from tests.conftest import demo_agency, text
from tests.sessions_helpers import add_client, add_form, complete_answers, form_id, new_session
from tests.test_migrations import SEED

pytestmark = pytest.mark.usefixtures("demo")


def course_row(app, session_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        course = db.session.scalar(select(Course).where(Course.session_id == session_id))
        if course is not None:
            db.session.expunge(course)
        return course


def open_course(app, worker, me, code="LINC-4", notes="Room 12 key is under the mat"):
    course = new_session(app, worker, me.id, session_type="language_training", notes=notes)
    add_form(worker, course, "lt_course")
    worker.post(
        f"/admin/sessions/{course}/forms/{form_id(app, course, 'lt_course')}/",
        data={**complete_answers("lt_course"), "course_cd": code},
    )
    return course


def details(worker, session_id, **changes):
    page = text(worker.get(f"/admin/sessions/{session_id}/course/"))
    version = re.search(r'name="expected_version" type="hidden" value="(\d+)"', page).group(1)
    data = {"name": "Evening English", "levels": "CLB 3-4", "schedule": "Mon and Wed, 6-8 pm", "expected_version": version}
    return worker.post(f"/admin/sessions/{session_id}/course/", data={**data, **changes})


def test_a_course_opens_with_its_training_open_form_and_is_named_by_its_code(app, worker, me):
    course = open_course(app, worker, me)
    row = course_row(app, course)
    assert row.name == "LINC-4" and row.instructor_id == me.id and row.start_date == date.today()


def test_the_register_and_forms_show_the_course_name_never_the_note(app, worker, me, make):
    course = open_course(app, worker, me)
    assert details(worker, course, instructor_id=str(me.id)).status_code == 302
    day = (date.today() - timedelta(days=3)).isoformat()
    worker.post(f"/admin/sessions/{course}/register/dates/", data={"class_date": day, "hours": "2"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        lesson = db.session.scalar(select(ServiceSession.id).where(ServiceSession.course_session_id == course))
    register = text(worker.get(f"/admin/sessions/{lesson}/register/"))  # from a class, not only the first session
    assert "Attendance register · Evening English" in register and "CLB 3-4" in register and "Mon and Wed" in register
    assert "Room 12" not in register
    student = make.client(demo_agency(app, "DEMO"), first_name="Lea", last_name="Student")
    add_client(worker, course, student.id)
    add_form(worker, course, "lt_enrolment", student.id)
    enrolment = text(worker.get(f"/admin/sessions/{course}/forms/{form_id(app, course, 'lt_enrolment', student.id)}/"))
    assert "Course: Evening English (CLB 3-4)" in enrolment and "Room 12" not in enrolment
    wizard = text(worker.get("/admin/sessions/new/"))  # the Course drop-down asks the courses look-up
    assert 'data-lookup="/admin/lookup/courses/"' in wizard and "Evening English" not in wizard and "Room 12" not in wizard
    found = worker.get("/admin/lookup/courses/", query_string={"q": "evening"}).get_json()["results"]
    assert found == [{"value": str(course), "text": "Evening English (CLB 3-4)"}]  # no dates given: none shown
    assert "Attendance register of the course: Evening English" in text(worker.get(f"/admin/sessions/edit/?id={lesson}"))


def courses_found(worker, q):
    return [
        (int(r["value"]), r["text"]) for r in worker.get("/admin/lookup/courses/", query_string={"q": q}).get_json()["results"]
    ]


def test_the_course_look_up_offers_current_courses_running_first(app, worker, me):
    zulu, alpha, ended, later = (open_course(app, worker, me, code=f"{c} course") for c in ("Zulu", "Alpha", "Old", "Later"))
    details(worker, ended, name="Old course", end_date=(date.today() - timedelta(days=1)).isoformat())
    details(worker, later, name="Later course", start_date=(date.today() + timedelta(days=7)).isoformat())
    listed = [i for i, _ in courses_found(worker, "course")]
    assert [i for i in listed if i in (zulu, alpha, ended, later)] == [alpha, zulu, later]  # running by name, then to start
    assert [i for i, _ in courses_found(worker, "alp")] == [alpha] and courses_found(worker, "old") == []
    lesson = new_session(app, worker, me.id, session_type="language_training", course_session_id=str(alpha))
    details(worker, alpha, name="Alpha course", end_date=(date.today() - timedelta(days=1)).isoformat())
    page = text(worker.get(f"/admin/sessions/edit/?id={lesson}"))
    assert (
        f'<option selected value="{alpha}">Alpha course (CLB 3-4) · ' in page and "(ended)</option>" in page
    )  # its own still shows


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Give the course a name."),
        ({"start_date": "2026-05-01", "end_date": "2026-04-01"}, "The course cannot end before it starts."),
        ({"start_date": "soon"}, "“soon” is not a date: write it as YYYY-MM-DD"),
        ({"instructor_id": "999999"}, "Choose from the list: this choice is not one you may use."),
    ],
)
def test_bad_course_details_are_refused_on_the_field(app, worker, me, changes, message):
    course = open_course(app, worker, me)
    response = details(worker, course, **changes)
    assert response.status_code == 200 and message in text(response)
    assert course_row(app, course).name == "LINC-4"


def test_a_session_that_is_no_course_has_no_course_page(app, worker, me):
    direct = new_session(app, worker, me.id)
    assert worker.get(f"/admin/sessions/{direct}/course/").status_code == 404
    assert worker.get(f"/admin/sessions/{direct}/register/").status_code == 404


def test_existing_courses_are_moved_to_courses_by_the_migration(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'courses.sqlite3'}"})
    with app.app_context():
        flask_migrate.upgrade(revision="d4a7c2e9f1b6")
        with db.engine.begin() as connection:
            for statement in SEED:
                connection.execute(sql(statement), {"now": "2026-01-05 10:00:00"})
            connection.execute(
                sql(
                    "INSERT INTO service_forms (id, session_id, kind, is_private, author_id, data, is_complete, agency_id,"
                    " version, created_at, updated_at) VALUES (2, 1, 'lt_course', 0, 1, :data, 0, 1, 1, :now, :now)"
                ),
                {"data": '{"course_cd": "LINC-1"}', "now": "2026-01-05 10:00:00"},
            )
        flask_migrate.upgrade(revision="a7c3e5b9d2f4")
        with db.engine.connect() as connection:
            rows = connection.execute(sql("SELECT session_id, agency_id, name, instructor_id, start_date FROM courses")).all()
        assert [tuple(r) for r in rows] == [(1, 1, "LINC-1", 1, "2026-01-05")]
        flask_migrate.downgrade(revision="d4a7c2e9f1b6")
        db.engine.dispose()
