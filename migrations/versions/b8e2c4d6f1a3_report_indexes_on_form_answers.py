"""reports: indexes on the form answers that reports group by (PostgreSQL), and on incomplete forms

Revision ID: b8e2c4d6f1a3
Revises: b8e3f1a7c2d5
Create Date: 2026-12-01 10:40:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b8e2c4d6f1a3'
down_revision = 'b8e3f1a7c2d5'
branch_labels = None
depends_on = None

# The answers reports group by (``answer_dimension`` in reports/catalogue.py; a test checks
# that each one has its index here). Expression indexes on ``data ->> 'name'`` within the
# agency and form kind; PostgreSQL only (SQLite matches no expression index against the
# bound JSON path SQLAlchemy sends, and is not the production database).
ANSWER_FIELDS = (
    'topic',
    'training_status_id',
    'certificate_listening_level_id',
    'certificate_speaking_level_id',
    'intervention_received_id',
    'placement_type_id',
)


# Completeness asks, for every session counted, whether it holds an incomplete form: a partial
# index of the few incomplete forms answers that without reading every form.
INCOMPLETE = "CREATE INDEX ix_reports_incomplete_forms ON service_forms (session_id) WHERE is_complete IS false"


def index_name(field):
    return f"ix_reports_answer_{field}"[:63]


def upgrade():
    op.execute(INCOMPLETE)
    if op.get_bind().dialect.name != 'postgresql':
        return
    for field in ANSWER_FIELDS:
        op.execute(f"CREATE INDEX {index_name(field)} ON service_forms (agency_id, kind, (data ->> '{field}'))")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_reports_incomplete_forms")
    if op.get_bind().dialect.name != 'postgresql':
        return
    for field in ANSWER_FIELDS:
        op.execute(f"DROP INDEX IF EXISTS {index_name(field)}")
