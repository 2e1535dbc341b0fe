"""clients: an indexed lower-case email for find-a-client; search text recomputed for
Arabic-script names (long vowels kept) and two-letter name skeletons

Revision ID: e5f8a1c3b7d9
Revises: d4a7c2e9f1b6
Create Date: 2026-12-01 13:40:00.000000

"""

from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from models.search_text import client_search_text

revision = "e5f8a1c3b7d9"
down_revision = "d4a7c2e9f1b6"
branch_labels = None
depends_on = None

BATCH = 5000
SEARCHED = (
    "kind",
    "first_name",
    "last_name",
    "preferred_name",
    "email",
    "phone",
    "ircc_id_value",
    "family_code",
    "date_of_birth",
    "comments",
)


def upgrade():
    op.add_column("clients", sa.Column("email_key", sa.String(length=254), nullable=True))
    op.execute("UPDATE clients SET email_key = lower(trim(email)) WHERE email IS NOT NULL AND trim(email) <> ''")
    op.create_index("ix_clients_agency_email_key", "clients", ["agency_id", "email_key"], unique=False)
    recompute_search_text(op.get_bind())


def recompute_search_text(connection):
    """Every client's search text as ``client_search_text`` now writes it, in batches by id."""
    clients = sa.table("clients", sa.column("id"), sa.column("search_text"), *map(sa.column, SEARCHED))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(clients.c.id, clients.c.search_text, *(clients.c[name] for name in SEARCHED))
            .where(clients.c.id > last)
            .order_by(clients.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [
            {"row_id": row.id, "text": text}
            for row in rows
            if (text := client_search_text(SimpleNamespace(**row._mapping))) != row.search_text
        ]
        if changed:
            update = clients.update().where(clients.c.id == sa.bindparam("row_id")).values(search_text=sa.bindparam("text"))
            connection.execute(update, changed)
        last = rows[-1].id


def downgrade():
    op.drop_index("ix_clients_agency_email_key", table_name="clients")
    op.drop_column("clients", "email_key")
