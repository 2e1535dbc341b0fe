"""iCARE upload tracking (final files, their rows, amendments) and the iCARE uploader add-on

Revision ID: a9c3e5f7b1d2
Revises: d6ca9ce6c03e
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = 'a9c3e5f7b1d2'
down_revision = "d6ca9ce6c03e"
branch_labels = None
depends_on = None

TABLES = ('icare_uploads', 'icare_amendments', 'icare_upload_items')


def agency_column():
    return sa.Column('agency_id', sa.Integer(), sa.ForeignKey('agencies.id'), nullable=False, index=True)


def upgrade():
    op.add_column('staff', sa.Column('is_icare_uploader', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'icare_uploads',
        sa.Column('id', sa.Integer(), primary_key=True),
        agency_column(),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('sheet', sa.String(length=60), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('staff.id'), index=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('record_count', sa.Integer(), nullable=False),
        sa.Column('left_out', sa.JSON(), nullable=False),
        sa.Column('checksum', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('returned_at', sa.DateTime()),
    )
    op.create_index('ix_icare_uploads_agency_month', 'icare_uploads', ['agency_id', 'month'])
    op.create_table(
        'icare_amendments',
        sa.Column('id', sa.Integer(), primary_key=True),
        agency_column(),
        sa.Column('form_id', sa.Integer(), sa.ForeignKey('service_forms.id'), index=True),
        sa.Column('profile_client_id', sa.Integer(), sa.ForeignKey('clients.id'), index=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('update_record_id', sa.String(length=40), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=False),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('sent_upload_id', sa.Integer(), sa.ForeignKey('icare_uploads.id')),
    )
    op.create_table(
        'icare_upload_items',
        sa.Column('id', sa.Integer(), primary_key=True),
        agency_column(),
        sa.Column('upload_id', sa.Integer(), sa.ForeignKey('icare_uploads.id', ondelete='CASCADE'), nullable=False, index=True),
        sa.Column('row_number', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.Integer(), sa.ForeignKey('service_forms.id'), index=True),
        sa.Column('profile_client_id', sa.Integer(), sa.ForeignKey('clients.id'), index=True),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('message', sa.Text()),
        sa.Column('icare_record_id', sa.String(length=40)),
        sa.Column('amendment_id', sa.Integer(), sa.ForeignKey('icare_amendments.id')),
        sa.UniqueConstraint('form_id', 'attempt', name='uq_icare_items_form_attempt'),
        sa.UniqueConstraint('profile_client_id', 'attempt', name='uq_icare_items_profile_attempt'),
    )
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            for statement in tenant_policy(table):
                op.execute(statement)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    op.execute("ALTER TABLE staff DROP COLUMN is_icare_uploader")
