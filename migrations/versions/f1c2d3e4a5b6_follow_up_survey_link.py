"""the agency's follow-up survey link, sent to clients after a referral is attended or closed

Revision ID: f1c2d3e4a5b6
Revises: a9c3e5f7b1d2
Create Date: 2026-12-01 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f1c2d3e4a5b6"
down_revision = "a9c3e5f7b1d2"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("agencies", sa.Column("follow_up_survey_url", sa.String(length=500), nullable=True))


def downgrade():
    op.execute("ALTER TABLE agencies DROP COLUMN follow_up_survey_url")
