"""mentors and tutors: the directory, matches and updates (each one service form), the agency's
"no update for N weeks" setting; files attached to a service form

Revision ID: c3d8e1f4a7b2
Revises: b8e21aa80ad7
Create Date: 2026-12-01 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = 'c3d8e1f4a7b2'
down_revision = 'b8e21aa80ad7'
branch_labels = None
depends_on = None

TABLES = ('mentors', 'mentor_matches', 'mentor_updates')


def upgrade():
    op.add_column('agencies', sa.Column('mentor_update_weeks', sa.Integer(), server_default='4', nullable=False))
    with op.batch_alter_table('client_files') as batch:
        batch.add_column(sa.Column('form_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_client_files_form_id'), ['form_id'], unique=False)
        batch.create_foreign_key(
            batch.f('fk_client_files_form_id_service_forms'), 'service_forms', ['form_id'], ['id'], ondelete='CASCADE'
        )
    op.create_table(
        'mentors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.Enum('volunteer', 'staff', name='mentor_kind', native_enum=False), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.Column('skills', sa.String(length=500), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('availability', sa.JSON(), nullable=False),
        sa.Column('areas', sa.String(length=500), nullable=False),
        sa.Column('screened_on', sa.Date(), nullable=True),
        sa.Column('screening_expires_on', sa.Date(), nullable=True),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_mentors_agency_id_agencies')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_mentors_staff_id_staff')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentors')),
    )
    op.create_index(op.f('ix_mentors_agency_id'), 'mentors', ['agency_id'], unique=False)
    op.create_index(op.f('ix_mentors_staff_id'), 'mentors', ['staff_id'], unique=False)
    op.create_table(
        'mentor_matches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mentor_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_mentor_matches_agency_id_agencies')),
        sa.ForeignKeyConstraint(
            ['client_id'], ['clients.id'], name=op.f('fk_mentor_matches_client_id_clients'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['form_id'], ['service_forms.id'], name=op.f('fk_mentor_matches_form_id_service_forms'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(['mentor_id'], ['mentors.id'], name=op.f('fk_mentor_matches_mentor_id_mentors')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_matches')),
        sa.UniqueConstraint('form_id', name=op.f('uq_mentor_matches_form_id')),
    )
    op.create_index(op.f('ix_mentor_matches_agency_id'), 'mentor_matches', ['agency_id'], unique=False)
    op.create_index(op.f('ix_mentor_matches_client_id'), 'mentor_matches', ['client_id'], unique=False)
    op.create_index(op.f('ix_mentor_matches_mentor_id'), 'mentor_matches', ['mentor_id'], unique=False)
    op.create_table(
        'mentor_updates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('match_id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.Integer(), nullable=False),
        sa.Column('updated_on', sa.Date(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_mentor_updates_agency_id_agencies')),
        sa.ForeignKeyConstraint(
            ['form_id'], ['service_forms.id'], name=op.f('fk_mentor_updates_form_id_service_forms'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['match_id'], ['mentor_matches.id'], name=op.f('fk_mentor_updates_match_id_mentor_matches'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_updates')),
        sa.UniqueConstraint('form_id', name=op.f('uq_mentor_updates_form_id')),
    )
    op.create_index(op.f('ix_mentor_updates_agency_id'), 'mentor_updates', ['agency_id'], unique=False)
    op.create_index(op.f('ix_mentor_updates_match_id'), 'mentor_updates', ['match_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            for statement in tenant_policy(table):
                op.execute(statement)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    with op.batch_alter_table('client_files') as batch:
        batch.drop_constraint(batch.f('fk_client_files_form_id_service_forms'), type_='foreignkey')
        batch.drop_index(batch.f('ix_client_files_form_id'))
        batch.drop_column('form_id')
    op.drop_column('agencies', 'mentor_update_weeks')
