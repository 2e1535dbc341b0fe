"""session types as data: service_sessions.session_type becomes a plain string

Revision ID: 12fb5415b486
Revises: 9b69158972a9
Create Date: 2026-11-23 08:10:00.000000

The column was a non-native Enum (VARCHAR(17)); it becomes VARCHAR(40) with the server default
'direct', so a session type added to service_forms/session_types.py needs no migration (the
model validates the key instead). The enum's CHECK constraint is dropped where there is one
(SQLAlchemy >= 1.4 creates none for a non-native Enum, so usually there is none). Rows are kept.

SQLite: the table is not rebuilt (batch "recreate"): with foreign keys on, dropping the old
table would cascade-delete every session's forms and attendees. The column is swapped in place
instead (ADD, copy, DROP COLUMN, RENAME COLUMN; SQLite >= 3.35), which leaves it last.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "12fb5415b486"
down_revision = "9b69158972a9"
branch_labels = None
depends_on = None

TABLE, COLUMN, SPARE = "service_sessions", "session_type", "session_type_swap"


def checks_on_column():
    """The CHECK constraints that mention the column (the enum's, if it ever got one)."""
    checks = sa.inspect(op.get_bind()).get_check_constraints(TABLE)
    return [check for check in checks if COLUMN in check["sqltext"]]


def swap_sqlite_column(length, default):
    """Replace the column by one of another length, keeping every value (no table rebuild)."""
    if checks_on_column():  # before any change: DROP COLUMN refuses a column a table CHECK names
        raise RuntimeError(f"{TABLE}.{COLUMN} has a CHECK constraint: drop it by rebuilding the table first.")
    op.add_column(TABLE, sa.Column(SPARE, sa.String(length), nullable=False, server_default=default))
    op.execute(f"UPDATE {TABLE} SET {SPARE} = {COLUMN}")
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN {COLUMN}")
    op.execute(f"ALTER TABLE {TABLE} RENAME COLUMN {SPARE} TO {COLUMN}")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        swap_sqlite_column(40, "direct")
        return
    for check in checks_on_column():
        op.drop_constraint(check["name"], TABLE, type_="check")
    op.alter_column(
        TABLE, COLUMN, existing_type=sa.String(17), type_=sa.String(40), existing_nullable=False, server_default="direct"
    )


def downgrade():
    """Back to VARCHAR(17) (a longer key stored since then makes PostgreSQL refuse, as it should).
    On SQLite the column keeps a server default: a NOT NULL column cannot be added without one."""
    if op.get_bind().dialect.name == "sqlite":
        swap_sqlite_column(17, "direct")
        return
    op.alter_column(
        TABLE, COLUMN, existing_type=sa.String(40), type_=sa.String(17), existing_nullable=False, server_default=None
    )
