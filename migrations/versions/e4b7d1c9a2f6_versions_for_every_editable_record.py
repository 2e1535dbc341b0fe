"""a version (optimistic locking) on every editable record

Revision ID: e4b7d1c9a2f6
Revises: 5c1e0a7d2b94
Create Date: 2026-12-02 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b7d1c9a2f6'
down_revision = '5c1e0a7d2b94'
branch_labels = None
depends_on = None

# ``clients`` has had its version since it was created.
TABLES = (
    'agencies', 'sites', 'funders', 'programs', 'staff', 'agency_questions', 'group_activity_names',
    'service_sessions', 'service_forms', 'case_notes', 'client_files',
)


# Plain ALTER TABLE on both databases (no batch rebuild on SQLite: it would fail, or cascade,
# through the foreign keys); existing rows start at version 1.
def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
