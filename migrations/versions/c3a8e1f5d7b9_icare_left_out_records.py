"""iCARE final files: how many records a file left out, each once (the problems' counts added
up counted a record with five problems five times)

Revision ID: c3a8e1f5d7b9
Revises: b1d4f7a2c8e6
Create Date: 2026-12-03 14:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "c3a8e1f5d7b9"
down_revision = "b1d4f7a2c8e6"
branch_labels = None
depends_on = None


def upgrade():
    # Files made before: unknown (their problems' counts cannot say how many records they were).
    op.add_column("icare_uploads", sa.Column("left_out_records", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("icare_uploads", "left_out_records")
