"""clients: an indexed lower-case email for find-a-client; search text recomputed for
Arabic-script names (long vowels kept) and two-letter name skeletons; PostgreSQL: the
agency's name words (the typo pass's dictionary) and one trigram lookup for several words

Revision ID: e5f8a1c3b7d9
Revises: e9a4c7b2d1f8
Create Date: 2026-12-01 13:40:00.000000

"""

from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from models.search_text import client_search_text
from models.tenancy import tenant_policy

revision = "e5f8a1c3b7d9"
down_revision = "e9a4c7b2d1f8"
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


AGENCY_RULE = (
    "agency_id = NULLIF(current_setting('app.agency_id', true), '')::int OR current_setting('app.all_agencies', true) = 'on'"
)
QUOTED_RULE = AGENCY_RULE.replace("'", "''")
# The words of named clients' search text, once per agency (a few thousand where clients
# number a million): the typo pass finds the spellings close to a misspelt word here, then
# looks those up as whole words. Statement triggers with transition tables keep it current,
# bulk inserts included; words no client holds any longer stay (they only widen a search).
NAME_WORDS = """
CREATE TABLE client_name_words (
    agency_id integer NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    word varchar(100) NOT NULL,
    PRIMARY KEY (agency_id, word)
);
CREATE INDEX ix_client_name_words_trgm ON client_name_words USING gin (word gin_trgm_ops);
CREATE FUNCTION client_name_words_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO client_name_words (agency_id, word)
    SELECT DISTINCT c.agency_id, w FROM changed_clients c, regexp_split_to_table(c.search_text, ' ') AS w
    WHERE c.kind = 'named' AND w ~ '^[a-z][a-z-]{2,99}$'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER clients_name_words_insert AFTER INSERT ON clients REFERENCING NEW TABLE AS changed_clients
    FOR EACH STATEMENT EXECUTE FUNCTION client_name_words_add();
CREATE TRIGGER clients_name_words_update AFTER UPDATE ON clients REFERENCING NEW TABLE AS changed_clients
    FOR EACH STATEMENT EXECUTE FUNCTION client_name_words_add();
CREATE FUNCTION client_name_words_like(token text, cap integer) RETURNS SETOF text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT SET pg_trgm.similarity_threshold = 0.18 AS $$
BEGIN
    RETURN QUERY EXECUTE
        'SELECT word::text FROM client_name_words WHERE word % $1 AND (RULE) '
        'ORDER BY similarity(word, $1) DESC, word LIMIT $2'
        USING token, cap;
END
$$;
""".replace("RULE", QUOTED_RULE)
# ``client_ids_matching`` for several conditions at once: each element of ``groups`` is
# patterns joined by "|" (search text never holds one); a row must match a pattern of every
# group. The index answers them together (a bitmap AND), so a common word on its own
# (mohammed) no longer returns thousands of ids to the query that asked for two words.
MATCHING_ALL = """
CREATE FUNCTION client_ids_matching_all(groups text[], cap integer) RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    conditions text;
BEGIN
    SELECT string_agg('(' || (
        SELECT string_agg('search_text LIKE ' || quote_literal(p) || ' ESCAPE ''/''', ' OR ')
        FROM unnest(string_to_array(g, '|')) AS p
    ) || ')', ' AND ') INTO conditions FROM unnest(groups) AS g;
    IF conditions IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE 'SELECT id FROM clients WHERE ' || conditions || ' AND (RULE) LIMIT $1' USING cap;
END
$$;
""".replace("RULE", QUOTED_RULE)


def upgrade():
    op.add_column("clients", sa.Column("email_key", sa.String(length=254), nullable=True))
    op.execute("UPDATE clients SET email_key = lower(trim(email)) WHERE email IS NOT NULL AND trim(email) <> ''")
    op.create_index("ix_clients_agency_email_key", "clients", ["agency_id", "email_key", "is_archived"], unique=False)
    recompute_search_text(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        create_postgresql_search(op.get_bind())


def create_postgresql_search(connection):
    """The name-word dictionary (filled from the clients there are) and the lookup functions."""
    connection.exec_driver_sql(NAME_WORDS.replace("%", "%%"))
    connection.exec_driver_sql(MATCHING_ALL.replace("%", "%%"))
    for statement in tenant_policy("client_name_words"):
        connection.exec_driver_sql(statement)
    connection.exec_driver_sql(
        "INSERT INTO client_name_words (agency_id, word) "
        "SELECT DISTINCT agency_id, w FROM clients, regexp_split_to_table(search_text, ' ') AS w "
        "WHERE kind = 'named' AND w ~ '^[a-z][a-z-]{2,99}$' ON CONFLICT DO NOTHING"
    )


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
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("clients_name_words_insert", "clients_name_words_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON clients")
        op.execute("DROP FUNCTION IF EXISTS client_name_words_add()")
        op.execute("DROP FUNCTION IF EXISTS client_name_words_like(text, integer)")
        op.execute("DROP FUNCTION IF EXISTS client_ids_matching_all(text[], integer)")
        op.execute("DROP TABLE IF EXISTS client_name_words")
    op.drop_index("ix_clients_agency_email_key", table_name="clients")
    op.drop_column("clients", "email_key")
