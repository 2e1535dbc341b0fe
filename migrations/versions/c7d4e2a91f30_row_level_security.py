"""PostgreSQL row-level security on every agency-owned table and on agencies; the client
search's trigram lookup as a function that applies the same rule

Revision ID: c7d4e2a91f30
Revises: 5a1c0e7d2b94
Create Date: 2026-12-01 08:10:00

A table added later that carries ``agency_id`` needs the same: ``tenant_policy(table)`` from
models/tenancy.py in its migration (tests/test_row_level_security.py checks every table).
"""

import sqlalchemy as sa
from alembic import op

from models.tenancy import tenant_policy

revision = "c7d4e2a91f30"
down_revision = "5a1c0e7d2b94"
branch_labels = None
depends_on = None

OWNED_TABLES = sa.text(
    "SELECT table_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND column_name = 'agency_id' ORDER BY table_name"
)


# Under a policy PostgreSQL evaluates a non-leakproof condition such as LIKE only after the
# policy's, so it cannot use the trigram index for ``search_text LIKE``: find-a-client would
# scan every client. This function, run with its owner's rights (the owner is not under the
# policies), applies the policy's rule itself and lets the index answer the LIKE.
CLIENT_IDS_MATCHING = """
CREATE FUNCTION client_ids_matching(pattern text) RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY EXECUTE
        'SELECT id FROM clients WHERE search_text LIKE $1 ESCAPE ''/'' AND ('
        'agency_id = NULLIF(current_setting(''app.agency_id'', true), '''')::int '
        'OR current_setting(''app.all_agencies'', true) = ''on'')'
        USING pattern;
END
$$
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in op.get_bind().execute(OWNED_TABLES).scalars().all():
        for statement in tenant_policy(table):
            op.execute(statement)
    for statement in tenant_policy("agencies", column="id"):
        op.execute(statement)
    op.execute(CLIENT_IDS_MATCHING)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS client_ids_matching(text)")
    for table in [*op.get_bind().execute(OWNED_TABLES).scalars().all(), "agencies"]:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
