"""client merges: the record of each merge of two profiles (what moved, the kept profile's
values before), so that it can be undone; the agency's address and phone (on the receipt);
the street types whose spelling the bundled iCARE
list had wrong, corrected in the profiles that hold them

Revision ID: c3d9e5a1f7b2
Revises: c3d8e1f4a7b2
Create Date: 2026-12-01 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = 'c3d9e5a1f7b2'
down_revision = 'c3d8e1f4a7b2'
branch_labels = None
depends_on = None

# reference_data/icare_templates.json's street types, as they were misspelt and as they are now.
STREET_TYPES = {'ésplanade': 'Esplanade', 'Iceland': 'Island', 'Platau': 'Plateau'}


def upgrade():
    op.add_column('agencies', sa.Column('address', sa.String(length=300), server_default='', nullable=False))
    op.add_column('agencies', sa.Column('phone', sa.String(length=30), server_default='', nullable=False))
    op.create_table(
        'client_merges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kept_client_id', sa.Integer(), nullable=False),
        sa.Column('retired_client_id', sa.Integer(), nullable=False),
        sa.Column('merged_at', sa.DateTime(), nullable=False),
        sa.Column('merged_by_id', sa.Integer(), nullable=True),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('moved', sa.JSON(), nullable=False),
        sa.Column('left', sa.JSON(), nullable=False),
        sa.Column('retired_was_archived', sa.Boolean(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.Column('undone_by_id', sa.Integer(), nullable=True),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_client_merges_agency_id_agencies')),
        sa.ForeignKeyConstraint(['kept_client_id'], ['clients.id'], name=op.f('fk_client_merges_kept_client_id_clients')),
        sa.ForeignKeyConstraint(['merged_by_id'], ['staff.id'], name=op.f('fk_client_merges_merged_by_id_staff')),
        sa.ForeignKeyConstraint(['retired_client_id'], ['clients.id'], name=op.f('fk_client_merges_retired_client_id_clients')),
        sa.ForeignKeyConstraint(['undone_by_id'], ['staff.id'], name=op.f('fk_client_merges_undone_by_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_client_merges')),
    )
    op.create_index(op.f('ix_client_merges_agency_id'), 'client_merges', ['agency_id'], unique=False)
    op.create_index(op.f('ix_client_merges_kept_client_id'), 'client_merges', ['kept_client_id'], unique=False)
    op.create_index(op.f('ix_client_merges_retired_client_id'), 'client_merges', ['retired_client_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for statement in tenant_policy('client_merges'):
            op.execute(statement)
    rename_street_types(STREET_TYPES)


def rename_street_types(names):
    update = sa.text('UPDATE clients SET street_type = :new WHERE street_type = :old')
    for old, new in names.items():
        op.get_bind().execute(update, {'old': old, 'new': new})


def downgrade():
    rename_street_types({new: old for old, new in STREET_TYPES.items()})
    op.drop_column('agencies', 'phone')
    op.drop_column('agencies', 'address')
    op.drop_index(op.f('ix_client_merges_retired_client_id'), table_name='client_merges')
    op.drop_index(op.f('ix_client_merges_kept_client_id'), table_name='client_merges')
    op.drop_index(op.f('ix_client_merges_agency_id'), table_name='client_merges')
    op.drop_table('client_merges')
