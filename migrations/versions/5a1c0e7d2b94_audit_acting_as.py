"""Audit rows name the principal (a job's declaration included)

Revision ID: 5a1c0e7d2b94
Revises: 12fb5415b486
Create Date: 2026-12-01 08:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5a1c0e7d2b94"
down_revision = "12fb5415b486"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("audit_events", sa.Column("acting_as", sa.String(length=200), nullable=False, server_default=""))


def downgrade():
    op.execute("ALTER TABLE audit_events DROP COLUMN acting_as")
