"""client portal: portal accounts, the client's own uploads, files shared with the client

Revision ID: a7d3f9c1e2b4
Revises: a7c3e5f9b2d4
Create Date: 2026-12-01 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = 'a7d3f9c1e2b4'
down_revision = 'a7c3e5f9b2d4'  # chained after wip-accounts' migration (merged into this branch)
branch_labels = None
depends_on = None

TABLES = ('portal_accounts', 'portal_uploads')


def agency_column(table):
    return (
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f(f'fk_{table}_agency_id_agencies')),
    )


def client_fk(table):
    return sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f(f'fk_{table}_client_id_clients'), ondelete='CASCADE')


def upgrade():
    with op.batch_alter_table('client_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_shared_with_client', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'portal_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('session_token', sa.String(length=64), nullable=False),
        sa.Column('invited_at', sa.DateTime(), nullable=True),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('accepted_at', sa.DateTime(), nullable=True),
        sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        *agency_column('portal_accounts'),
        client_fk('portal_accounts'),
        sa.ForeignKeyConstraint(['invited_by_id'], ['staff.id'], name=op.f('fk_portal_accounts_invited_by_id_staff'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_accounts')),
        sa.UniqueConstraint('client_id', name=op.f('uq_portal_accounts_client_id')),
        sa.UniqueConstraint('email', name=op.f('uq_portal_accounts_email')),
        sa.UniqueConstraint('session_token', name=op.f('uq_portal_accounts_session_token')),
    )
    op.create_index(op.f('ix_portal_accounts_agency_id'), 'portal_accounts', ['agency_id'], unique=False)
    op.create_table(
        'portal_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        *agency_column('portal_uploads'),
        client_fk('portal_uploads'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_uploads')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_portal_uploads_stored_name')),
    )
    op.create_index(op.f('ix_portal_uploads_agency_id'), 'portal_uploads', ['agency_id'], unique=False)
    op.create_index(op.f('ix_portal_uploads_client_id'), 'portal_uploads', ['client_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            for statement in tenant_policy(table):
                op.execute(statement)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    with op.batch_alter_table('client_files', schema=None) as batch_op:
        batch_op.drop_column('is_shared_with_client')
