"""Every row that points at a client, found through the foreign keys to ``clients.id`` in the
metadata, and what a merge of two profiles does with each (``models/client_merges.py``).

``CLIENT_LINKS`` names every (table, column) with a foreign key to ``clients.id``;
``tests/test_client_merge.py`` fails when a table gains one that is not named here, so a new
table cannot be forgotten by the merge. What a link does:

- ``MOVE``: the row moves to the kept profile. Where a unique constraint would be broken (the
  kept profile already has the same staff assignment, the same opt-out, a portal account or an
  open settlement plan of its own...), the duplicate is left on the retired profile, where
  undoing finds it unchanged.
- ``REFUSE_ON_CONFLICT``: the row moves, but a conflict refuses the whole merge (both profiles
  attended the same session: one of them must be taken off it first).
- ``HISTORY``: the row records what happened to that profile (the audit trail, break-glass
  openings, the merge records themselves) and stays.
- ``DERIVED``: the row is computed from rows that move (a client's stored first services,
  ``models/first_services.py``): the merge's own writes compute it again for both profiles.
"""

from sqlalchemy import func, inspect, select

from extensions import db

MOVE, REFUSE_ON_CONFLICT, HISTORY, DERIVED = "move", "refuse_on_conflict", "history", "derived"

CLIENT_LINKS = {
    ("case_notes", "client_id"): MOVE,
    ("client_files", "client_id"): MOVE,
    ("consent_records", "client_id"): MOVE,
    ("emergency_contacts", "client_id"): MOVE,
    ("safety_flags", "client_id"): MOVE,
    ("referrals", "client_id"): MOVE,
    ("tasks", "client_id"): MOVE,
    ("notifications", "client_id"): MOVE,
    ("icare_amendments", "profile_client_id"): MOVE,
    ("icare_upload_items", "profile_client_id"): MOVE,
    ("client_assignments", "client_id"): MOVE,
    ("client_activity", "client_id"): MOVE,
    ("notification_opt_outs", "client_id"): MOVE,
    ("client_follows", "client_id"): MOVE,
    ("client_skills", "client_id"): MOVE,
    ("job_leads", "client_id"): MOVE,
    ("training_opportunities", "client_id"): MOVE,
    ("career_documents", "client_id"): MOVE,  # resumes and cover letters: the author stays who wrote them
    ("client_cams_numbers", "client_id"): MOVE,  # one per client: the kept profile's own number wins
    ("employment_action_plans", "client_id"): MOVE,
    ("mentor_matches", "client_id"): MOVE,
    ("portal_accounts", "client_id"): MOVE,  # one per client: the kept profile's own account wins
    ("portal_uploads", "client_id"): MOVE,
    ("settlement_plans", "client_id"): MOVE,  # one open plan per client: the kept profile's wins
    ("sign_in_links", "client_id"): HISTORY,  # emailed to the retired profile: never opens the kept one's account
    ("session_clients", "client_id"): REFUSE_ON_CONFLICT,
    ("service_forms", "client_id"): REFUSE_ON_CONFLICT,
    ("audit_events", "client_id"): HISTORY,
    ("break_glass_grants", "client_id"): HISTORY,
    ("client_merges", "kept_client_id"): HISTORY,
    ("client_merges", "retired_client_id"): HISTORY,
    ("client_first_services", "client_id"): DERIVED,
}


def client_foreign_keys(metadata=None):
    """Every (table, column) of the metadata with a foreign key to ``clients.id``."""
    metadata = metadata if metadata is not None else db.metadata
    return {
        (table.name, fk.parent.name)
        for table in metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "clients" and fk.column.name == "id"
    }


def unhandled_links(metadata=None):
    """The client foreign keys the merge does not know what to do with (should be none)."""
    return sorted(client_foreign_keys(metadata) - set(CLIENT_LINKS))


def mapped_class(table_name):
    for mapper in db.Model.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table_name:
            return mapper.class_
    raise LookupError(f"no mapped class for {table_name}")


class Link:
    """One (table, column) pointing at clients: its class, attribute and unique keys."""

    def __init__(self, table_name, column_name):
        self.key = f"{table_name}.{column_name}"
        self.cls = mapped_class(table_name)
        mapper = inspect(self.cls)
        column = mapper.local_table.c[column_name]
        self.attribute = mapper.get_property_by_column(column).key
        self.column = getattr(self.cls, self.attribute)
        self.unique_keys = unique_column_sets(mapper.local_table, column_name)  # [] : one row per client
        self.mapper = mapper

    def rows_of(self, client_id):
        query = select(self.cls).where(self.column == client_id)
        return db.session.scalars(query.order_by(*self.mapper.primary_key)).all()

    def count_of(self, client_id):
        return db.session.scalar(select(func.count()).select_from(self.cls).where(self.column == client_id))

    def identity(self, row):
        return list(inspect(row).identity)

    def conflicts(self, row, client_id):
        """Whether ``client_id`` already has a row with the same values of a unique key."""
        for others in self.unique_keys:
            values = [getattr(row, self.mapper.get_property_by_column(c).key) for c in others]
            if others and any(v is None for v in values):
                continue
            query = select(self.cls).where(self.column == client_id, *[c == v for c, v in zip(others, values, strict=True)])
            if db.session.scalars(query.limit(1)).first() is not None:
                return True
        return False

    def get(self, identity):
        return db.session.get(self.cls, tuple(identity))


def unique_column_sets(table, column_name):
    """For each unique constraint or index holding ``column_name``: its other columns."""
    sets = [list(c.columns) for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"]
    sets += [list(i.columns) for i in table.indexes if i.unique]
    return [[c for c in cols if c.name != column_name] for cols in sets if column_name in {c.name for c in cols}]


def links(strategy=None):
    """The ``Link`` of every handled foreign key (of one strategy, or every one that moves)."""
    wanted = (MOVE, REFUSE_ON_CONFLICT) if strategy is None else (strategy,)
    return [Link(table, column) for (table, column), how in sorted(CLIENT_LINKS.items()) if how in wanted]
