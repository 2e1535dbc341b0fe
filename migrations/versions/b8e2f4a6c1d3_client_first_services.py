"""reports: each session's completeness stored (service_sessions.is_counted, with a partial index
of the counted sessions by agency and date) and each named client's first counted service, at
the agency and in each program (client_first_services: New/Returning reads it instead of
searching the client's history); both filled from the existing sessions

Revision ID: b8e2f4a6c1d3
Revises: b4e8c2d6f0a1
Create Date: 2026-12-01 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from models.first_services import refresh_counted, refresh_first_services
from models.tenancy import tenant_policy

revision = "b8e2f4a6c1d3"
down_revision = "b4e8c2d6f0a1"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD/DROP COLUMN on SQLite too: a table rebuild would cascade-delete the forms and
    # attendees of every session (foreign keys are on).
    op.add_column("service_sessions", sa.Column("is_counted", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_index(
        "ix_service_sessions_counted_date",
        "service_sessions",
        ["agency_id", "service_date"],
        unique=False,
        postgresql_where=sa.text("is_counted"),
        sqlite_where=sa.text("is_counted"),
    )
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
    # not refresh_all(): it also fills tables of later migrations
    refresh_counted(bind)
    refresh_first_services(bind)


def downgrade():
    op.drop_index("ix_service_sessions_counted_date", table_name="service_sessions")
    op.execute("ALTER TABLE service_sessions DROP COLUMN is_counted")
    op.drop_index(op.f("ix_client_first_services_agency_id"), table_name="client_first_services")
    op.drop_table("client_first_services")
