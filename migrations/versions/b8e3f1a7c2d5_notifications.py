"""notifications: message templates, the outbox, opt-outs, recorded text messages; the agency's
reminder delay for incomplete sessions and the staff member's client-safe reply-to address

Revision ID: b8e3f1a7c2d5
Revises: e4b7d1c9a2f6
Create Date: 2026-12-01 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = 'b8e3f1a7c2d5'
down_revision = 'e4b7d1c9a2f6'
branch_labels = None
depends_on = None

TABLES = ('message_templates', 'notifications', 'notification_opt_outs', 'sms_messages')



def upgrade():
    op.add_column('agencies', sa.Column('incomplete_session_reminder_days', sa.Integer(), nullable=True))
    op.add_column('staff', sa.Column('reply_to_email', sa.String(length=254), nullable=True))
    op.create_table(
        'message_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_message_templates_agency_id_agencies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_templates')),
        sa.UniqueConstraint('agency_id', 'kind', 'language', name=op.f('uq_message_templates_agency_id_kind_language')),
    )
    op.create_index(op.f('ix_message_templates_agency_id'), 'message_templates', ['agency_id'], unique=False)
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.Enum('email', 'sms', name='notification_channel', native_enum=False), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('client_id', sa.Integer(), nullable=True),
        sa.Column('sender_staff_id', sa.Integer(), nullable=True),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('reply_to', sa.String(length=254), nullable=True),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column(
            'status',
            sa.Enum('queued', 'sending', 'sent', 'failed', 'cancelled', 'not_sent', name='notification_status', native_enum=False),
            nullable=False,
        ),
        sa.Column('reason', sa.String(length=40), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_notifications_agency_id_agencies')),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_notifications_client_id_clients'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sender_staff_id'], ['staff.id'], name=op.f('fk_notifications_sender_staff_id_staff'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_notifications_staff_id_staff'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('agency_id', 'dedupe_key', name=op.f('uq_notifications_agency_id_dedupe_key')),
    )
    op.create_index('ix_notifications_due', 'notifications', ['agency_id', 'status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_notifications_agency_id'), 'notifications', ['agency_id'], unique=False)
    op.create_index(op.f('ix_notifications_client_id'), 'notifications', ['client_id'], unique=False)
    op.create_index(op.f('ix_notifications_staff_id'), 'notifications', ['staff_id'], unique=False)
    op.create_table(
        'notification_opt_outs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('client_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.CheckConstraint('(staff_id IS NULL) <> (client_id IS NULL)', name=op.f('ck_notification_opt_outs_one_recipient')),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_notification_opt_outs_agency_id_agencies')),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_notification_opt_outs_client_id_clients'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_notification_opt_outs_staff_id_staff'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_opt_outs')),
        sa.UniqueConstraint('agency_id', 'kind', 'staff_id', 'client_id', name=op.f('uq_notification_opt_outs_agency_id_kind_staff_id_client_id')),
    )
    op.create_index(op.f('ix_notification_opt_outs_agency_id'), 'notification_opt_outs', ['agency_id'], unique=False)
    op.create_index(op.f('ix_notification_opt_outs_client_id'), 'notification_opt_outs', ['client_id'], unique=False)
    op.create_index(op.f('ix_notification_opt_outs_staff_id'), 'notification_opt_outs', ['staff_id'], unique=False)
    op.create_table(
        'sms_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notification_id', sa.Integer(), nullable=True),
        sa.Column('to_number', sa.String(length=30), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_sms_messages_agency_id_agencies')),
        sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_sms_messages_notification_id_notifications'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_messages')),
    )
    op.create_index(op.f('ix_sms_messages_agency_id'), 'sms_messages', ['agency_id'], unique=False)
    op.create_index(op.f('ix_sms_messages_notification_id'), 'sms_messages', ['notification_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            for statement in tenant_policy(table):
                op.execute(statement)


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    op.execute("ALTER TABLE staff DROP COLUMN reply_to_email")
    op.execute("ALTER TABLE agencies DROP COLUMN incomplete_session_reminder_days")
