"""clients: the grid's name and registration-date indexes end with the id, so a page sorted by
name (last, first, then id) or by registration date (then id) is read in index order, not
sorted over every client of the same name or day (grids: every chosen sort ends with the
primary key, so that pages neither repeat nor skip a row)

Revision ID: b1d4f7a2c8e6
Revises: a3e7c1f9d2b5
Create Date: 2026-12-03 09:10:00.000000

"""

from alembic import op

revision = "b1d4f7a2c8e6"
down_revision = "a3e7c1f9d2b5"
branch_labels = None
depends_on = None

TABLE = "clients"
INDEXES = (
    ("ix_clients_agency_name", ("last_name", "first_name")),
    ("ix_clients_agency_registered", ("registration_date",)),
)


def upgrade():
    for name, columns in INDEXES:
        op.drop_index(name, table_name=TABLE)
        op.create_index(name, TABLE, ["agency_id", *columns, "id"])


def downgrade():
    for name, columns in INDEXES:
        op.drop_index(name, table_name=TABLE)
        op.create_index(name, TABLE, ["agency_id", *columns])
