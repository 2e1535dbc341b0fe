"""clients, PostgreSQL only: the words of each client's search text as a text[] (a stored
generated column) with a GIN index, and ``client_ids_matching_words()``, which answers
whole-word patterns from that index and substrings from the trigram one (find-a-client's
whole-word, sounds-alike and typo levels: issue 18). SQLite is unchanged.

Revision ID: f7a2c9d4e1b8
Revises: c6f2a9d4e8b1
Create Date: 2026-12-01 20:30:00.000000

"""

from alembic import op

revision = "f7a2c9d4e1b8"
down_revision = "c6f2a9d4e8b1"
branch_labels = None
depends_on = None

AGENCY_RULE = (
    "agency_id = NULLIF(current_setting('app.agency_id', true), '')::int OR current_setting('app.all_agencies', true) = 'on'"
)
# ``search_text`` is its words, one space apart and padded with a space at each end, so
# ``search_text LIKE '% word %'`` holds exactly when ``word`` is an element of this array.
# Adding a stored generated column rewrites the table once (existing rows computed in that
# pass, every index rebuilt once), which costs less than an UPDATE of every row (a second
# version of each row, and of its entry in every index) and leaves no dead rows.
COLUMN = "ALTER TABLE clients ADD COLUMN name_words text[] GENERATED ALWAYS AS (string_to_array(btrim(search_text), ' ')) STORED"
INDEX = "CREATE INDEX ix_clients_name_words ON clients USING gin (name_words)"
# Like ``client_ids_matching_all()`` (migration e5f8a1c3b7d9): each element of ``groups`` is
# patterns joined by "|", and a row must hold a pattern of every group. Here a pattern is a
# plain word: padded with a space at each end (" hd "), a whole word, looked up in
# ``name_words``'s GIN index (one posting list, where the trigram index ANDs three or more);
# otherwise a substring, looked up by trigrams (``search_text LIKE``, escaped here). Array
# operators are not leakproof either, so under row-level security the planner would not use
# the index on ``clients``: this function runs with its owner's rights and applies the
# policy's agency rule itself; the caller's ORM statement applies tenancy and visibility again.
MATCHING_WORDS = """
CREATE FUNCTION client_ids_matching_words(groups text[], cap integer) RETURNS SETOF integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    g text;
    p text;
    words text[];
    parts text[];
    conditions text[] := '{}';
BEGIN
    FOREACH g IN ARRAY coalesce(groups, '{}') LOOP
        words := '{}';
        parts := '{}';
        FOREACH p IN ARRAY string_to_array(coalesce(g, ''), '|') LOOP
            IF p ~ '^ [^ ]+ $' THEN
                words := words || btrim(p, ' ');
            ELSIF p <> '' THEN
                parts := parts || ('search_text LIKE '
                    || quote_literal('%' || replace(replace(replace(p, '/', '//'), '%', '/%'), '_', '/_') || '%')
                    || ' ESCAPE ''/''');
            END IF;
        END LOOP;
        IF cardinality(words) > 0 THEN
            parts := parts || ('name_words && ' || quote_literal(words::text) || '::text[]');
        END IF;
        IF cardinality(parts) = 0 THEN
            RETURN;
        END IF;
        conditions := conditions || ('(' || array_to_string(parts, ' OR ') || ')');
    END LOOP;
    IF cardinality(conditions) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE 'SELECT id FROM clients WHERE ' || array_to_string(conditions, ' AND ')
        || ' AND (RULE) LIMIT $1' USING cap;
END
$$;
""".replace("RULE", AGENCY_RULE.replace("'", "''"))


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the index builds, in this transaction only
    op.execute(COLUMN)
    op.execute(INDEX)
    op.get_bind().exec_driver_sql(MATCHING_WORDS.replace("%", "%%"))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS client_ids_matching_words(text[], integer)")
    op.execute("DROP INDEX IF EXISTS ix_clients_name_words")
    op.execute("ALTER TABLE clients DROP COLUMN IF EXISTS name_words")
