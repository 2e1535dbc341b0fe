"""client portal: training opportunities, CaMS reference numbers, Employment Action Plans
(plans, sub-goals, items, outcomes), and the portal account's chosen language

Revision ID: b4e8c2d6f0a1
Revises: c5e2a8d4f7b1
Create Date: 2026-12-01 17:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = "b4e8c2d6f0a1"
down_revision = "c5e2a8d4f7b1"
branch_labels = None
depends_on = None

TABLES = (
    "training_opportunities",
    "client_cams_numbers",
    "employment_action_plans",
    "eap_sub_goals",
    "eap_items",
    "eap_outcomes",
)


def enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False)


def agency(table):
    return (
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f(f"fk_{table}_agency_id_agencies")),
    )


def client(table):
    return (
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f(f"fk_{table}_client_id_clients"), ondelete="CASCADE"),
    )


def staff_fk(table, column):
    return sa.ForeignKeyConstraint([column], ["staff.id"], name=op.f(f"fk_{table}_{column}_staff"), ondelete="SET NULL")


def stamps():
    return (sa.Column("created_at", sa.DateTime(), nullable=False), sa.Column("updated_at", sa.DateTime(), nullable=False))


def version():
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def indexes(table, *columns):
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade():
    with op.batch_alter_table("portal_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
    create_training()
    create_cams()
    create_plans()
    create_parts()
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            for statement in tenant_policy(table):
                op.execute(statement)


def create_training():
    table = "training_opportunities"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        *client(table),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("kind", enum("training_kind", "course", "certificate", "workshop", "apprenticeship", "other"), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("cost", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("added_by", enum("training_side", "staff", "client"), nullable=False),
        sa.Column("recommended_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            enum("training_status", "recommended", "interested", "enrolled", "in_progress", "completed", "dropped"),
            nullable=False,
        ),
        sa.Column("progress_percent", sa.Integer(), nullable=False),
        version(),
        *stamps(),
        *agency(table),
        staff_fk(table, "recommended_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    indexes(table, "agency_id", "client_id")


def create_cams():
    table = "client_cams_numbers"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        *client(table),
        sa.Column("cams_number", sa.String(length=12), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        *stamps(),
        *agency(table),
        staff_fk(table, "added_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("client_id", name=op.f(f"uq_{table}_client_id")),
        sa.UniqueConstraint("agency_id", "cams_number", name=op.f(f"uq_{table}_agency_id_cams_number")),
    )
    indexes(table, "agency_id")


def create_plans():
    table = "employment_action_plans"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        *client(table),
        sa.Column("case_number", sa.String(length=12), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("status", enum("eap_status", "active", "on_hold", "closed"), nullable=False),
        sa.Column("caseworker", sa.String(length=200), nullable=False),
        sa.Column("employment_goal", sa.Text(), nullable=False),
        sa.Column("source", enum("eap_source", "staff", "import"), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=True),
        version(),
        *stamps(),
        *agency(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("agency_id", "case_number", name=op.f(f"uq_{table}_agency_id_case_number")),
    )
    indexes(table, "agency_id", "client_id")


def plan_fk(table):
    return (
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["employment_action_plans.id"], name=op.f(f"fk_{table}_plan_id_employment_action_plans"), ondelete="CASCADE"
        ),
    )


def create_parts():
    item_status = enum("eap_item_status", "not_started", "in_progress", "completed", "cancelled")
    outcome = enum(
        "eap_outcome_type",
        "employed_full_time",
        "employed_part_time",
        "self_employed",
        "education",
        "training",
        "volunteer",
        "unemployed",
        "other",
    )
    columns = {
        "eap_sub_goals": (sa.Column("position", sa.Integer(), nullable=False), sa.Column("description", sa.Text(), nullable=False)),
        "eap_items": (
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("description", sa.Text(), nullable=False),
            sa.Column("responsible", sa.String(length=200), nullable=False),
            sa.Column("target_date", sa.Date(), nullable=True),
            sa.Column("status", item_status, nullable=False),
        ),
        "eap_outcomes": (
            sa.Column("kind", outcome, nullable=False),
            sa.Column("outcome_date", sa.Date(), nullable=False),
            sa.Column("employer", sa.String(length=200), nullable=False),
            sa.Column("notes", sa.Text(), nullable=False),
        ),
    }
    for table, own in columns.items():
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            *plan_fk(table),
            *own,
            *agency(table),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        indexes(table, "agency_id", "plan_id")


def downgrade():
    for table in reversed(TABLES):
        op.drop_table(table)
    with op.batch_alter_table("portal_accounts", schema=None) as batch_op:
        batch_op.drop_column("language")
