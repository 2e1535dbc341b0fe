"""language courses: a course of its own (name, levels, instructor, schedule, dates), one per
session holding a Training Open form; existing courses are moved over, named after their
course code (or the date they were opened), never after a session's note

Revision ID: a7c3e5b9d2f4
Revises: c3d9e5a1f7b2
Create Date: 2026-12-01 13:50:00.000000

"""

import json

import sqlalchemy as sa
from alembic import op

from models.tenancy import tenant_policy

# revision identifiers, used by Alembic.
revision = "a7c3e5b9d2f4"
down_revision = "c3d9e5a1f7b2"
branch_labels = None
depends_on = None

OPENING_KINDS = ("lt_course",)  # service_forms.session_types.course_opening_kinds() today


def upgrade():
    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("levels", sa.String(length=100), nullable=False),
        sa.Column("instructor_id", sa.Integer(), nullable=True),
        sa.Column("schedule", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_courses_agency_id_agencies")),
        sa.ForeignKeyConstraint(["instructor_id"], ["staff.id"], name=op.f("fk_courses_instructor_id_staff")),
        sa.ForeignKeyConstraint(
            ["session_id"], ["service_sessions.id"], name=op.f("fk_courses_session_id_service_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    op.create_index(op.f("ix_courses_agency_id"), "courses", ["agency_id"], unique=False)
    op.create_index(op.f("ix_courses_instructor_id"), "courses", ["instructor_id"], unique=False)
    op.create_index(op.f("ix_courses_session_id"), "courses", ["session_id"], unique=True)
    move_existing_courses()
    if op.get_bind().dialect.name == "postgresql":
        for statement in tenant_policy("courses"):
            op.execute(statement)


def move_existing_courses():
    """One course per session holding an opening form: named by its course code, else its date."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT f.session_id, f.agency_id, f.data, s.service_date, s.lead_staff_id FROM service_forms f "
            "JOIN service_sessions s ON s.id = f.session_id WHERE f.kind IN :kinds AND f.client_id IS NULL"
        ).bindparams(sa.bindparam("kinds", expanding=True)),
        {"kinds": list(OPENING_KINDS)},
    ).all()
    courses = sa.table(
        "courses",
        *(sa.column(name) for name in ("session_id", "agency_id", "name", "levels", "schedule", "instructor_id")),
        sa.column("start_date", sa.Date()),
        sa.column("version"),
        sa.column("created_at", sa.DateTime()),
        sa.column("updated_at", sa.DateTime()),
    )
    seen = set()
    for session_id, agency_id, data, service_date, lead in rows:
        if session_id in seen:
            continue
        seen.add(session_id)
        answers = json.loads(data) if isinstance(data, str) else (data or {})
        day = service_date if not isinstance(service_date, str) else sa.func.date(service_date)
        name = answers.get("course_cd") or f"Course from {service_date}"
        now = sa.func.current_timestamp()
        bind.execute(
            courses.insert().values(
                session_id=session_id,
                agency_id=agency_id,
                name=str(name)[:200],
                levels="",
                schedule="",
                instructor_id=lead,
                start_date=day,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )


def downgrade():
    op.drop_index(op.f("ix_courses_session_id"), table_name="courses")
    op.drop_index(op.f("ix_courses_instructor_id"), table_name="courses")
    op.drop_index(op.f("ix_courses_agency_id"), table_name="courses")
    op.drop_table("courses")
