"""staff interface language (empty: follow the browser)

Revision ID: 5c1e0a7d2b94
Revises: 9b69158972a9
Create Date: 2026-12-01 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a7d2b94'
down_revision = '9b69158972a9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interface_language', sa.Enum('en', 'fr_CA', name='interface_language', native_enum=False), nullable=True))


def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('interface_language')
