"""The client import's shortcuts give the same results as the plain way: the PostgreSQL bulk
insert (one JSON parameter per batch) stores what SQLAlchemy's own insert stores, a column's
remembered cell reader returns what its parser returns, the remembered name normalising what
the plain one does, and the garbage collector is left as it was found."""

import gc
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DataError

from exports.import_values import BadValue, cell_reader, parse
from exports.imports import import_columns
from extensions import db
from models import AuditEvent, Client, tenant_scope
from models import search_text as st
from models.bulk_insert import collector_paused, insert_rows, json_insert
from models.client_duplicates import reasons
from tests.conftest import demo_agency

pytestmark = pytest.mark.usefixtures("demo")

AWKWARD = ['Zoë "Z" \\ O\'Brien', "new\nline\ttab", "{braces}, commas; NULL", "حداد", "Мельник 🙂", "", "  padded  "]


def client_row(agency_id, n, text):
    return {
        "kind": "named",
        "agency_id": agency_id,
        "first_name": text or "Empty",
        "last_name": f"Bulk{n}",
        "date_of_birth": date(1980, 1, 1 + n),
        "phone": "+1 416-555-0142",
        "comments": text,
        "other_languages": ["English", text],
        "answers": {"q1": text, "q2": ["a", None], "q3": 1.5, "q4": None} if n % 2 else None,  # None: JSON null
        "registration_date": date(2024, 5, 6),
        "privacy_consent_at": datetime(2024, 5, 6, 7, 8, 9, 123456),
        "is_archived": bool(n % 2),
        "needs_profile": False,
        "version": 1,
        "created_at": datetime(2026, 1, 2, 3, 4, 5, 678901),
        "updated_at": datetime(2026, 1, 2, 3, 4, 5, 678901),
        "search_text": f" {text} ",
    }


def stored(table, ids):
    rows = db.session.execute(select(table).where(table.c.id.in_(ids)).order_by(table.c.id)).mappings()
    return [{key: value for key, value in row.items() if key != "id"} for row in rows]


def on_postgresql():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the JSON bulk insert is PostgreSQL's (SQLite inserts with executemany)")


def test_the_json_bulk_insert_stores_what_the_plain_insert_stores(app):
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        on_postgresql()
        agency_id = demo_agency(app, "DEMO").id
        table = Client.__table__
        rows = [client_row(agency_id, n, text) for n, text in enumerate(AWKWARD)]
        bulk_ids = insert_rows(table, [dict(row) for row in rows])
        plain_ids = db.session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).all()
        assert stored(table, bulk_ids) == stored(table, plain_ids)
        assert stored(table, bulk_ids)[0]["answers"] is None and stored(table, bulk_ids)[1]["answers"]["q2"] == ["a", None]
        audit = [{"agency_id": agency_id, "action": "create", "record_type": "client", "client_id": bulk_ids[n]} for n in (0, 1)]
        audit[0]["changes"] = {"first_name": [None, AWKWARD[0]], "other_languages": [None, ["English", ""]]}
        audit[1] |= {"changes": {}, "record_id": 7, "at": datetime(2026, 1, 2, 3, 4, 5, 6)}  # the other defaults filled in
        json_insert(AuditEvent.__table__, [dict(row) for row in audit])
        for row in audit:  # one statement each: an executemany takes its columns from the first row
            db.session.execute(insert(AuditEvent.__table__), row)
        found = db.session.scalars(select(AuditEvent).where(AuditEvent.client_id.in_(bulk_ids[:2])).order_by(AuditEvent.id)).all()
        bulk_events, plain_events = found[:2], found[2:]
        columns = [c.key for c in AuditEvent.__table__.c if c.key not in ("id", "at")]
        assert [[getattr(e, c) for c in columns] for e in bulk_events] == [[getattr(e, c) for c in columns] for e in plain_events]
        assert bulk_events[1].at == datetime(2026, 1, 2, 3, 4, 5, 6)
        db.session.rollback()


def test_the_json_bulk_insert_still_refuses_a_too_long_value(app):
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        on_postgresql()
        row = client_row(demo_agency(app, "DEMO").id, 1, "x") | {"first_name": "x" * 1000}
        with pytest.raises(DataError, match="too long"):
            insert_rows(Client.__table__, [row])
        db.session.rollback()


def columns_by_type(app):
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        columns = import_columns()
    return {column.spec.name: column for column in columns}


CELLS = {
    "phone": ["416-555-0142", "(416) 555-0142", "416-555-0142", "not a phone", "not a phone", 4165550142, 4165550142.0],
    "email": ["A.Yusuf@Example.org", "A.Yusuf@Example.org", "no at sign", "no at sign"],
    "postal_code": ["m5v 2t6", "M5V2T6", "m5v 2t6", "12345"],
    "date_of_birth": ["1988-04-12", "1988-04-12", date(1988, 4, 12), datetime(1988, 4, 12, 0, 0), "1899-12-31", "12/04/1988"],
    "registration_date": ["2999-01-01", "2999-01-01", "2024-01-01"],
    "arrival_year": ["2019", 2019, 2019.0, True, "1800", "1800"],
    "has_email": ["Yes", "oui", 1, True, 1.0, "maybe", "maybe"],
    "gender": ["female", "FEMALE", "Female", "nobody", "nobody"],
    "other_languages": ["English; French", "English; French", "english;;FRENCH; English", "English; Klingon"],
}


@pytest.mark.parametrize("name", sorted(CELLS))
def test_a_remembered_cell_reader_returns_what_the_parser_returns(app, name):
    column = columns_by_type(app)[name]
    with app.test_request_context():
        read = cell_reader(column)
        for cell in CELLS[name] * 2:
            try:
                expected = ("value", parse(cell, column))
            except BadValue as error:
                expected = ("refused", str(error))
            try:
                found = ("value", read(cell))
            except BadValue as error:
                found = ("refused", str(error))
            assert found == expected and type(found[1]) is type(expected[1]), cell


def test_a_remembered_list_is_each_rows_own(app):
    column = columns_by_type(app)["other_languages"]
    with app.test_request_context():
        read = cell_reader(column)
        first, second = read("English; French"), read("English; French")
        assert first == second == ["English", "French"] and first is not second


NAMES = [("Amina", "Yusuf"), ("Amina", "Yousef"), ("Mohammed", "Haddad"), ("Muhammad", "Hadad"), ("حداد", "محمد")]
NAMES += [("Олена", "Мельник"), ("Olena", "Melnyk"), ("Hélène", "Côté-O'Brien"), (None, ""), ("", None)]


def searched(first, last):
    client = found(first, last, kind="named", preferred_name=None, phone=None, comments=None, family_code=None)
    return st.name_tokens(first, last), [st.skeleton(t) for t in st.name_tokens(first, last)], st.client_search_text(client)


def test_remembered_name_normalising_gives_the_same_results(app):
    plain = [searched(first, last) for first, last in NAMES]
    plain_reasons = [[str(r) for r in reasons(a, b)] for a in people() for b in clients()]
    with st.remembered():
        outer = st.MEMO.get()
        assert [searched(first, last) for first, last in NAMES] * 2 == [searched(f, la) for f, la in NAMES * 2]
        assert [searched(first, last) for first, last in NAMES] == plain
        with st.remembered():
            assert st.MEMO.get() is outer  # an enclosing use's memo is shared
        assert [[str(r) for r in reasons(a, b)] for a in people() for b in clients()] == plain_reasons
        tokens = st.name_tokens("Amina", "Yusuf")
        tokens.append("changed")  # a caller's list is its own
        assert st.name_tokens("Amina", "Yusuf") == ["amina", "yusuf"]
    assert st.MEMO.get() is None
    assert any(plain_reasons)


def people():
    return [{"first_name": first, "last_name": last, "date_of_birth": date(1990, 1, 1)} for first, last in NAMES]


def found(first, last, **more):
    values = {"first_name": first, "last_name": last, "date_of_birth": date(1990, 1, 1), "phone_digits": None}
    return SimpleNamespace(**values, email=None, ircc_id_value=None, **more)


def clients():
    return [found(first, last) for first, last in NAMES]


def test_the_collector_is_left_as_it_was():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(BadValue), collector_paused():
        raise BadValue("a step that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()
