"""reports: a partial index of the absent attendees (PostgreSQL), so the attendance check of
every counted attendee (and of every earlier service New/Returning asks about) is one
index-only probe that finds nothing, not a read of the attendee's form

Revision ID: d4a7c2e9f1b6
Revises: f1c2d3e4a5b6
Create Date: 2026-12-01 12:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d4a7c2e9f1b6"
down_revision = "f1c2d3e4a5b6"
branch_labels = None
depends_on = None

# ``models.completeness.attendance_fields()`` in its order (a test checks it): the index is used
# only while its condition is the one ``attended_clause`` writes.
ATTENDANCE_FIELDS = ("attended", "client_attended")
ABSENT = " OR ".join(f"(data ->> '{name}') = 'No'" for name in ATTENDANCE_FIELDS)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_reports_absent_attendees ON service_forms (session_id, client_id) WHERE {ABSENT}")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_reports_absent_attendees")
