"""staff interface language (empty: follow the browser)

Revision ID: 5c1e0a7d2b94
Revises: c7d4e2a91f30
Create Date: 2026-12-01 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a7d2b94'
down_revision = 'c7d4e2a91f30'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases: a batch rebuild of ``staff`` on SQLite (foreign keys on)
# would fail, or cascade, through the tables that refer to it.
def upgrade():
    op.add_column('staff', sa.Column('interface_language', sa.Enum('en', 'fr_CA', name='interface_language', native_enum=False), nullable=True))


def downgrade():
    op.execute("ALTER TABLE staff DROP COLUMN interface_language")
