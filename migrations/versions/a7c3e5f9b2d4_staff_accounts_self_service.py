"""staff accounts: single-use sign-in links (password reset, portal invitations), two-step
recovery codes, and the staff member's own default funder and program

Revision ID: a7c3e5f9b2d4
Revises: d4a7c2e9f1b6
Create Date: 2026-12-01 13:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

from models.tenancy import tenant_policy

# revision identifiers, used by Alembic.
revision = "a7c3e5f9b2d4"
down_revision = "d4a7c2e9f1b6"
branch_labels = None
depends_on = None

TABLES = ("sign_in_links", "staff_recovery_codes")
DEFAULT_COLUMNS = (("default_funder_id", "funders"), ("default_program_id", "programs"))


def upgrade():
    op.create_table(
        "sign_in_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("(staff_id IS NULL) <> (client_id IS NULL)", name=op.f("ck_sign_in_links_one_person")),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_sign_in_links_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_sign_in_links_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_sign_in_links_staff_id_staff"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_in_links_token_hash")),
    )
    op.create_index(op.f("ix_sign_in_links_agency_id"), "sign_in_links", ["agency_id"], unique=False)
    op.create_index(op.f("ix_sign_in_links_client_id"), "sign_in_links", ["client_id"], unique=False)
    op.create_index(op.f("ix_sign_in_links_staff_id"), "sign_in_links", ["staff_id"], unique=False)
    op.create_table(
        "staff_recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_staff_recovery_codes_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_recovery_codes_staff_id_staff"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_recovery_codes")),
        sa.UniqueConstraint("staff_id", "code_hash", name=op.f("uq_staff_recovery_codes_staff_id_code_hash")),
    )
    op.create_index(op.f("ix_staff_recovery_codes_agency_id"), "staff_recovery_codes", ["agency_id"], unique=False)
    op.create_index(op.f("ix_staff_recovery_codes_staff_id"), "staff_recovery_codes", ["staff_id"], unique=False)
    add_default_columns()
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            for statement in tenant_policy(table):
                op.execute(statement)


def add_default_columns():
    """The staff member's own default funder and program. SQLite adds a column with an inline,
    named REFERENCES (a rebuild of ``staff`` with foreign keys on would cascade into every table
    that points at it); a column the SQLite downgrade left behind is kept."""
    existing = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("staff")}
    for column, table in DEFAULT_COLUMNS:
        if column in existing:
            continue
        if op.get_bind().dialect.name == "sqlite":
            op.execute(
                f"ALTER TABLE staff ADD COLUMN {column} INTEGER CONSTRAINT fk_staff_{column}_{table} REFERENCES {table} (id)"
            )
        else:
            op.add_column("staff", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(f"fk_staff_{column}_{table}", "staff", table, [column], ["id"])
        op.create_index(f"ix_staff_{column}", "staff", [column], unique=False)


def downgrade():
    """SQLite cannot drop a column named in a foreign key without rebuilding ``staff`` (which,
    with foreign keys on, would cascade): there the two empty columns stay, unused."""
    if op.get_bind().dialect.name != "sqlite":
        for column, table in DEFAULT_COLUMNS:
            op.drop_index(f"ix_staff_{column}", table_name="staff")
            op.drop_constraint(f"fk_staff_{column}_{table}", "staff", type_="foreignkey")
            op.drop_column("staff", column)
    for table in reversed(TABLES):
        op.drop_table(table)
