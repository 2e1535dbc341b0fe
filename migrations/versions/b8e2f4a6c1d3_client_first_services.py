"""client_first_services: each named client's first counted service, at the agency and in each
program (New/Returning reads it instead of searching the client's history); filled from the
existing sessions

Revision ID: b8e2f4a6c1d3
Revises: a7d3f9c1e2b4
Create Date: 2026-12-01 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from models.first_services import refresh_first_services
from models.tenancy import tenant_policy

revision = "b8e2f4a6c1d3"
down_revision = "a7d3f9c1e2b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "client_first_services",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("program_key", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_client_first_services_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_first_services_client_id_clients"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", "program_key", name=op.f("pk_client_first_services")),
    )
    op.create_index(op.f("ix_client_first_services_agency_id"), "client_first_services", ["agency_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in tenant_policy("client_first_services"):
            op.execute(statement)
        op.execute("SELECT set_config('app.all_agencies', 'on', true)")
    refresh_first_services(bind)


def downgrade():
    op.drop_index(op.f("ix_client_first_services_agency_id"), table_name="client_first_services")
    op.drop_table("client_first_services")
