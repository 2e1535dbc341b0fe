"""referral partners, referrals, tasks, trusted partnerships and what they share

The agency-owned tables get ``tenant_policy``; the two tables shared between two agencies get
``partnership_policy`` with the rule of their models' ``party_clause`` (models/partnerships.py).

Revision ID: d6ca9ce6c03e
Revises: b8e2c4d6f1a3
Create Date: 2026-12-01 10:25:48.694234

"""

from alembic import op
import sqlalchemy as sa

from models.tenancy import partnership_policy, tenant_policy


# revision identifiers, used by Alembic.
revision = "d6ca9ce6c03e"
down_revision = "b8e2c4d6f1a3"
branch_labels = None
depends_on = None


OWNED = ("referral_partners", "referrals", "tasks")
PARTIES = "inviting_agency_id = :agency OR invited_agency_id = :agency"
ACCEPTED = "EXISTS (SELECT 1 FROM partnerships p WHERE p.id = partnership_id AND p.status = 'accepted')"
SHARED = f"from_agency_id = :agency OR (to_agency_id = :agency AND {ACCEPTED})"


def row_level_security():
    """The same rules as the ORM hook: an agency's own rows; a partnership to its two agencies;
    a shared referral to its sender, and to its receiver while the partnership is accepted."""
    if op.get_bind().dialect.name != "postgresql":
        return
    statements = [s for table in OWNED for s in tenant_policy(table)]
    statements += [*partnership_policy("partnerships", PARTIES), *partnership_policy("shared_referrals", SHARED)]
    for statement in statements:
        op.execute(statement)


def upgrade():
    op.create_table(
        "partnerships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inviting_agency_id", sa.Integer(), nullable=False),
        sa.Column("invited_agency_id", sa.Integer(), nullable=False),
        sa.Column("inviting_agency_name", sa.String(length=200), nullable=False),
        sa.Column("invited_agency_name", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum("invited", "accepted", "declined", "ended", name="partnership_status", native_enum=False),
            nullable=False,
        ),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("invited_by_name", sa.String(length=200), nullable=False),
        sa.Column("answered_by_name", sa.String(length=200), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by_agency_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["invited_agency_id"], ["agencies.id"], name=op.f("fk_partnerships_invited_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["inviting_agency_id"], ["agencies.id"], name=op.f("fk_partnerships_inviting_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partnerships")),
    )
    op.create_index("ix_partnerships_invited_agency_id", "partnerships", ["invited_agency_id"], unique=False)
    op.create_index("ix_partnerships_inviting_agency_id", "partnerships", ["inviting_agency_id"], unique=False)

    op.create_table(
        "referral_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.Enum("external", "agency", name="partner_kind", native_enum=False), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("need_areas", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("languages", sa.String(length=300), nullable=False),
        sa.Column("eligibility_notes", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_referral_partners_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["partnership_id"], ["partnerships.id"], name=op.f("fk_referral_partners_partnership_id_partnerships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_partners")),
        sa.UniqueConstraint("agency_id", "name", name=op.f("uq_referral_partners_agency_id_name")),
    )
    op.create_index("ix_referral_partners_agency_id", "referral_partners", ["agency_id"], unique=False)
    op.create_index("ix_referral_partners_partnership_id", "referral_partners", ["partnership_id"], unique=False)

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("referring_staff_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("to_program_id", sa.Integer(), nullable=True),
        sa.Column("need_area", sa.String(length=80), nullable=False),
        sa.Column("referral_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("made", "accepted", "attended", "declined", "no_show", "closed", name="referral_status", native_enum=False),
            nullable=False,
        ),
        sa.Column("follow_up_date", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("is_private", sa.Boolean(), nullable=False),
        sa.Column("service_form_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_referrals_agency_id_agencies")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_referrals_client_id_clients"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["partner_id"], ["referral_partners.id"], name=op.f("fk_referrals_partner_id_referral_partners")),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], name=op.f("fk_referrals_program_id_programs")),
        sa.ForeignKeyConstraint(["referring_staff_id"], ["staff.id"], name=op.f("fk_referrals_referring_staff_id_staff")),
        sa.ForeignKeyConstraint(
            ["service_form_id"],
            ["service_forms.id"],
            name=op.f("fk_referrals_service_form_id_service_forms"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["service_sessions.id"], name=op.f("fk_referrals_session_id_service_sessions"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["to_program_id"], ["programs.id"], name=op.f("fk_referrals_to_program_id_programs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    op.create_index("ix_referrals_agency_follow_up", "referrals", ["agency_id", "status", "follow_up_date"], unique=False)
    op.create_index("ix_referrals_agency_id", "referrals", ["agency_id"], unique=False)
    op.create_index("ix_referrals_client_id", "referrals", ["client_id"], unique=False)
    op.create_index("ix_referrals_partner_id", "referrals", ["partner_id"], unique=False)
    op.create_index("ix_referrals_program_id", "referrals", ["program_id"], unique=False)
    op.create_index("ix_referrals_referring_staff_id", "referrals", ["referring_staff_id"], unique=False)
    op.create_index("ix_referrals_service_form_id", "referrals", ["service_form_id"], unique=False)
    op.create_index("ix_referrals_session_id", "referrals", ["session_id"], unique=False)
    op.create_index("ix_referrals_to_program_id", "referrals", ["to_program_id"], unique=False)

    op.create_table(
        "shared_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("from_agency_id", sa.Integer(), nullable=False),
        sa.Column("to_agency_id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("consent_record_id", sa.Integer(), nullable=True),
        sa.Column("consent_summary", sa.String(length=300), nullable=False),
        sa.Column("shared_fields", sa.JSON(), nullable=False),
        sa.Column("need_area", sa.String(length=80), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("from_agency_name", sa.String(length=200), nullable=False),
        sa.Column("referred_by_name", sa.String(length=200), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("sent", "accepted", "declined", "attended", "no_show", name="shared_referral_status", native_enum=False),
            nullable=False,
        ),
        sa.Column("answer_note", sa.Text(), nullable=False),
        sa.Column("answered_by_name", sa.String(length=200), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_record_id"],
            ["consent_records.id"],
            name=op.f("fk_shared_referrals_consent_record_id_consent_records"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["from_agency_id"], ["agencies.id"], name=op.f("fk_shared_referrals_from_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["partnership_id"], ["partnerships.id"], name=op.f("fk_shared_referrals_partnership_id_partnerships")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name=op.f("fk_shared_referrals_referral_id_referrals"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["to_agency_id"], ["agencies.id"], name=op.f("fk_shared_referrals_to_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_referrals")),
    )
    op.create_index("ix_shared_referrals_from_agency_id", "shared_referrals", ["from_agency_id"], unique=False)
    op.create_index("ix_shared_referrals_partnership_id", "shared_referrals", ["partnership_id"], unique=False)
    op.create_index("ix_shared_referrals_referral_id", "shared_referrals", ["referral_id"], unique=True)
    op.create_index("ix_shared_referrals_to_agency_id", "shared_referrals", ["to_agency_id"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("assignee_kind", sa.Enum("staff", "client", name="task_assignee", native_enum=False), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("priority", sa.Enum("low", "normal", "high", name="task_priority", native_enum=False), nullable=False),
        sa.Column(
            "status", sa.Enum("open", "in_progress", "done", "cancelled", name="task_status", native_enum=False), nullable=False
        ),
        sa.Column("done_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_tasks_agency_id_agencies")),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["staff.id"], name=op.f("fk_tasks_assigned_to_id_staff")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_tasks_client_id_clients"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff.id"], name=op.f("fk_tasks_created_by_id_staff")),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name=op.f("fk_tasks_referral_id_referrals"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["service_sessions.id"], name=op.f("fk_tasks_session_id_service_sessions"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index("ix_tasks_agency_due", "tasks", ["agency_id", "status", "due_date"], unique=False)
    op.create_index("ix_tasks_agency_id", "tasks", ["agency_id"], unique=False)
    op.create_index("ix_tasks_assigned_to_id", "tasks", ["assigned_to_id"], unique=False)
    op.create_index("ix_tasks_client_id", "tasks", ["client_id"], unique=False)
    op.create_index("ix_tasks_created_by_id", "tasks", ["created_by_id"], unique=False)
    op.create_index("ix_tasks_referral_id", "tasks", ["referral_id"], unique=False)
    op.create_index("ix_tasks_session_id", "tasks", ["session_id"], unique=False)

    row_level_security()


def downgrade():
    op.drop_index("ix_tasks_session_id", table_name="tasks")
    op.drop_index("ix_tasks_referral_id", table_name="tasks")
    op.drop_index("ix_tasks_created_by_id", table_name="tasks")
    op.drop_index("ix_tasks_client_id", table_name="tasks")
    op.drop_index("ix_tasks_assigned_to_id", table_name="tasks")
    op.drop_index("ix_tasks_agency_id", table_name="tasks")
    op.drop_index("ix_tasks_agency_due", table_name="tasks")

    op.drop_table("tasks")
    op.drop_index("ix_shared_referrals_to_agency_id", table_name="shared_referrals")
    op.drop_index("ix_shared_referrals_referral_id", table_name="shared_referrals")
    op.drop_index("ix_shared_referrals_partnership_id", table_name="shared_referrals")
    op.drop_index("ix_shared_referrals_from_agency_id", table_name="shared_referrals")

    op.drop_table("shared_referrals")
    op.drop_index("ix_referrals_to_program_id", table_name="referrals")
    op.drop_index("ix_referrals_session_id", table_name="referrals")
    op.drop_index("ix_referrals_service_form_id", table_name="referrals")
    op.drop_index("ix_referrals_referring_staff_id", table_name="referrals")
    op.drop_index("ix_referrals_program_id", table_name="referrals")
    op.drop_index("ix_referrals_partner_id", table_name="referrals")
    op.drop_index("ix_referrals_client_id", table_name="referrals")
    op.drop_index("ix_referrals_agency_id", table_name="referrals")
    op.drop_index("ix_referrals_agency_follow_up", table_name="referrals")

    op.drop_table("referrals")
    op.drop_index("ix_referral_partners_partnership_id", table_name="referral_partners")
    op.drop_index("ix_referral_partners_agency_id", table_name="referral_partners")

    op.drop_table("referral_partners")
    op.drop_index("ix_partnerships_inviting_agency_id", table_name="partnerships")
    op.drop_index("ix_partnerships_invited_agency_id", table_name="partnerships")

    op.drop_table("partnerships")
