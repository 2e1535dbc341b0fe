"""Benchmark find-a-client against a plain indexed lookup, on SQLite or PostgreSQL.

    .venv/bin/python bench/find_client.py --clients 100000
    .venv/bin/python bench/find_client.py --clients 100000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

Loads N synthetic clients (names from many languages) into one agency and N/4 into a
second one with Core bulk inserts (the tenancy hook only guards ORM statements; this loader
is the one place that writes clients without it), then times ``find_clients()`` inside
``tenant_scope`` for names, typos, transliterations, phone, email, date of birth and
identifiers, and a baseline in the same run: an ORM lookup by (agency, date of birth).
With ``--page``, also the whole page (``GET /admin/find-client/?q=...`` through the test
client, signed in as a coordinator of the agency), each request beside one that first drops the
process's copy of the option lists, as every search read them before they were cached.
``bench(url, size, repeat)`` is the entry point ``bench/run.py`` (``make bench``) calls.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import flask_migrate
from sqlalchemy import Text, event, func, insert, literal, select, text
from sqlalchemy.dialects.postgresql import ARRAY

from app import create_app
from bench.result import Result
from extensions import db
from models import ALL_AGENCIES, Agency, Client, Site, Staff, find_client, reference, tenant_scope
from models.find_client import find_clients
from models.reference import sync_reference_values
from models.search_text import client_search_text, email_key, phone_digits

FIRST = (  # first names from many languages
    "Mohammed",
    "Muhammad",
    "Mohamad",
    "Ahmed",
    "Ali",
    "Omar",
    "Yusuf",
    "Youssef",
    "Ibrahim",
    "Hassan",
    "Hussein",
    "Mahmoud",
    "Khalid",
    "Fatima",
    "Aisha",
    "Maryam",
    "Zahra",
    "Amira",
    "Layla",
    "Noor",
    "Huda",
    "Reza",
    "Ali-Reza",
    "Mehdi",
    "Zainab",
    "Parisa",
    "Farzaneh",
    "Wei",
    "Li",
    "Jing",
    "Min",
    "Xiaoming",
    "Yan",
    "Hui",
    "Jun",
    "Mei",
    "Lan",
    "Minh",
    "Anh",
    "Thi",
    "Van",
    "Linh",
    "Hoa",
    "Quang",
    "José",
    "Juan",
    "Carlos",
    "María",
    "Ana",
    "Luis",
    "Sofía",
    "Valentina",
    "Diego",
    "Camila",
    "Mateo",
    "Lucía",
    "Oleksandr",
    "Aleksandr",
    "Sergey",
    "Sergei",
    "Olena",
    "Dmytro",
    "Iryna",
    "Natalia",
    "Andriy",
    "Yulia",
    "Viktor",
    "Hodan",
    "Abdirahman",
    "Faadumo",
    "Abdi",
    "Ayaan",
    "Mahad",
    "Tesfay",
    "Selam",
    "Yonas",
    "Merhawit",
    "Kidane",
    "Senait",
    "François",
    "Hélène",
    "Jean-Pierre",
    "Émilie",
    "Zoë",
    "Chloé",
    "Priyanka",
    "Arjun",
    "Deepak",
    "Sunita",
    "Ngozi",
    "Chukwuemeka",
    "Kwame",
    "Ama",
    "Ayşe",
    "Mehmet",
    "Elif",
    "Soo-jin",
    "Min-jun",
    "Joao",
    "Łukasz",
    "Björn",
)
LAST = (  # last names from many languages
    "Haddad",
    "Ali",
    "Said",
    "Khalil",
    "Nasser",
    "Hassan",
    "Mansour",
    "Abdullah",
    "Saleh",
    "Hosseini",
    "Ahmadi",
    "Rahimi",
    "Karimi",
    "Mohammadi",
    "Rezaei",
    "Popal",
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Nguyen",
    "Tran",
    "Le",
    "Pham",
    "Hoang",
    "Phan",
    "Vu",
    "Dang",
    "García",
    "Rodríguez",
    "Martínez",
    "Hernández",
    "López",
    "González",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Kovalenko",
    "Petrenko",
    "Shevchenko",
    "Bondarenko",
    "Tkachenko",
    "Kravchenko",
    "Melnyk",
    "Ivanova",
    "Smirnov",
    "Warsame",
    "Farah",
    "Abdi",
    "Mohamud",
    "Osman",
    "Gebremedhin",
    "Haile",
    "Tesfaye",
    "Berhane",
    "Kidane",
    "Lefèvre",
    "Côté",
    "Gagnon",
    "Tremblay",
    "Sharma",
    "Patel",
    "Singh",
    "Okafor",
    "Eze",
    "Mensah",
    "Yılmaz",
    "Öztürk",
    "Kim",
    "Park",
    "Lee",
    "Silva",
    "Pereira",
    "Nowak",
    "Andersson",
    "Müller",
)
STATUSES = ("Permanent Resident - Economic Class", "Refugee Claimant", "Canadian Citizen", "Temporary Foreign Worker")
LANGUAGES = ("Arabic", "Dari", "Farsi (Persian)", "Mandarin", "Spanish", "Somali", "Vietnamese", "Russian", "French")
COMMENTS = ("Needs an interpreter", "Prefers morning appointments", "Referred by the library", "Walk-in", "")
BATCH = 10_000
BASELINE = "baseline: (agency, DOB) lookup"
NEEDLES = [  # clients the queries below look for
    {
        "first_name": "Mohammed",
        "last_name": "Haddad",
        "phone": "(416) 555-0123",
        "date_of_birth": date(1985, 3, 14),
        "email": "m.haddad@example.org",
        "ircc_id_value": "87654321",
        "family_code": "F-7KQ2MX",
    },
    {"first_name": "Fatima", "last_name": "Zahra"},
    {"first_name": "Văn An", "last_name": "Nguyễn"},
    # the rest are common in the synthetic names too, but a small run (make bench's smoke
    # test) may not have drawn them
    *({"first_name": first, "last_name": last} for first, last in (("Wei", "Li"), ("Olena", "Kovalenko"))),
    *({"first_name": first, "last_name": last} for first, last in (("Youssef", "Ali"), ("Aleksandr", "Kovalenko"))),
    *({"first_name": first, "last_name": last} for first, last in (("Sergei", "Petrenko"), ("Iryna", "Shevchenko"))),
]
QUERIES = {
    "name": ["Mohammed Haddad", "Haddad Mohammed", "Nguyen Van An", "Fatima Zahra", "Kovalenko", "Li Wei", "Gebremedhin"],
    "typo": ["Mohamed Hadad", "Fatmia Zahra", "Kovalenkko Olena", "Gebremedin", "Shevchnko"],
    "transliteration": [
        *("Muhammad Haddad", "Youssef Ali", "Alexander Kovalenko", "Sergei Petrenko"),
        *("محمد", "حداد", "علی", "Олександр"),
    ],
    "phone": ["(416) 555-0123", "416.555.0123", "555-0123"],
    "identifier": ["m.haddad@example.org", "1985-03-14", "87654321", "F-7KQ2MX", "C000001"],
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--reset", action="store_true", help="PostgreSQL: drop schema public first (a scratch database only)")
    parser.add_argument("--reuse", action="store_true", help="time the clients an earlier run loaded (same --clients)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument(
        "--trigrams-only",
        action="store_true",
        help="PostgreSQL: every text level by trigrams (client_ids_matching_all), as before the name_words index",
    )
    parser.add_argument("--compare", action="store_true", help="PostgreSQL: time --trigrams-only, then the default, in one run")
    parser.add_argument("--page", action="store_true", help="also time the page, signed in, with the option lists cached and not")
    return parser.parse_args()


def synthetic_client(rng, agency_id, site_ids):
    """One row for a Core insert, with its search text computed as the model would."""
    anonymous = rng.random() < 0.05
    row = {"kind": "anonymous" if anonymous else "named", "comments": rng.choice(COMMENTS) or None}
    if not anonymous:
        row.update(
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            gender=rng.choice(("Female", "Male")),
            date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365)),
            phone=f"({rng.randrange(200, 999)}) {rng.randrange(200, 999)}-{rng.randrange(10000):04d}",
            email=f"client{rng.randrange(10**9)}@example.com" if rng.random() < 0.5 else None,
            ircc_id_value=str(rng.randrange(10**7, 10**8)) if rng.random() < 0.3 else None,
            first_language=rng.choice(LANGUAGES),
            immigration_status=rng.choice(STATUSES),
        )
    return complete(row, agency_id, rng.choice(site_ids), is_archived=rng.random() < 0.03)


def complete(row, agency_id, site_id, is_archived=False):
    """Fill the columns a Core insert needs (no ORM defaults or events run)."""
    values = {
        name: None
        for name in (
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "phone",
            "email",
            "ircc_id_value",
            "family_code",
            "comments",
            "gender",
            "first_language",
            "immigration_status",
        )
    }
    values.update(row)
    now = datetime(2026, 1, 1)
    values.update(
        version=1,
        kind=values.get("kind", "named"),
        agency_id=agency_id,
        registration_site_id=site_id,
        other_languages=[],
        registration_date=now.date(),
        is_archived=is_archived,
        created_at=now,
        updated_at=now,
        phone_digits=phone_digits(values["phone"]) or None,
        email_key=email_key(values["email"]),
    )
    values["search_text"] = client_search_text(SimpleNamespace(**values))
    return values


def insert_returning_id(connection, model, **values):
    stamp = datetime(2026, 1, 1)
    return connection.execute(insert(model).values(created_at=stamp, updated_at=stamp, **values).returning(model.id)).scalar_one()


def load(count, seed=7):
    """Two agencies with five sites each; the needles and ``count`` clients in the first,
    ``count // 4`` in the second. Returns the first agency's id."""
    rng = random.Random(seed)
    with db.engine.begin() as connection:
        agencies = [insert_returning_id(connection, Agency, name=f"Bench agency {n}", code=f"BENCH{n}") for n in (1, 2)]
        sites = {
            a: [insert_returning_id(connection, Site, agency_id=a, name=f"Site {n}", kind="non_school") for n in range(5)]
            for a in agencies
        }
        connection.execute(insert(Client), [complete(needle, agencies[0], sites[agencies[0]][0]) for needle in NEEDLES])
    for agency_id, total in ((agencies[0], count), (agencies[1], count // 4)):
        for start in range(0, total, BATCH):
            rows = [synthetic_client(rng, agency_id, sites[agency_id]) for _ in range(min(BATCH, total - start))]
            with db.engine.begin() as connection:
                connection.execute(insert(Client), rows)
    return agencies[0]


def timed(run, repeat):
    """Milliseconds of ``repeat`` runs after one warm-up, each in a fresh session."""
    run()
    db.session.remove()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
        db.session.remove()
    return samples


def p95(samples):
    return sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]


def baseline():
    """A plain indexed lookup through the same ORM and tenancy hook: clients born on one day."""
    db.session.scalars(select(Client).where(Client.date_of_birth == date(1985, 3, 14)).limit(50)).all()


def check_found():
    """Every query finds someone (an empty result would time nothing useful)."""
    empty = [query for queries in QUERIES.values() for query in queries if not find_clients(query)]
    db.session.remove()
    if empty:
        sys.exit(f"No results for {empty}: is the search index (FTS5 triggers / pg_trgm index) in place?")


def measure(repeat):
    check_found()
    rows = {BASELINE: timed(baseline, repeat * 10)}
    for category, queries in QUERIES.items():
        rows[f"find: {category}"] = [ms for query in queries for ms in timed(lambda q=query: find_clients(q), repeat)]
    rows["find: all queries"] = [ms for name, samples in rows.items() if name.startswith("find:") for ms in samples]
    return rows


PAGE_USER = "coordinator@bench.org"
PAGE_PASSWORD = "bench-password"


def signed_in_browser(app, agency_id):
    """A test client signed in as a coordinator of the agency searched (created once)."""
    with app.app_context():
        sync_reference_values()  # the page's option lists (a benchmark database is only migrated)
        with tenant_scope(agency_id):
            add_coordinator(agency_id)
    browser = app.test_client()
    response = browser.post("/login", data={"email": PAGE_USER, "password": PAGE_PASSWORD})
    assert response.status_code == 302 and "/login" not in response.location, "sign-in failed"
    return browser


def add_coordinator(agency_id):
    if db.session.scalar(select(Staff.id).where(Staff.email == PAGE_USER)) is None:
        staff = Staff(agency_id=agency_id, email=PAGE_USER, first_name="Bench", last_name="Coordinator", role="coordinator")
        staff.set_password(PAGE_PASSWORD)
        db.session.add(staff)
        db.session.commit()


def timed_page(browser, query, lists_cached):
    """Milliseconds of one search page (``lists_cached=False``: the option lists read again)."""
    if not lists_cached:
        reference._active_values.clear()
    start = time.perf_counter()
    response = browser.get("/admin/find-client/", query_string={"q": query})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200 and b'data-testid="result"' in response.data, query
    return elapsed


def measure_pages(browser, repeat):
    """Each query's page, cached lists and not, alternating (load falls on both alike)."""
    rows = {}
    for category, queries in QUERIES.items():
        cached, uncached = rows.setdefault(f"page: {category}", []), rows.setdefault(f"page, lists per search: {category}", [])
        for query in queries:
            timed_page(browser, query, True), timed_page(browser, query, False)  # warm-up
            for _ in range(repeat):
                cached.append(timed_page(browser, query, True))
                uncached.append(timed_page(browser, query, False))
    for prefix in ("page: ", "page, lists per search: "):
        rows[f"{prefix}all queries"] = [ms for name, samples in list(rows.items()) if name.startswith(prefix) for ms in samples]
    return rows


def report(rows, count):
    base = statistics.median(rows[BASELINE])
    print(f"\n{db.engine.dialect.name}: {count:,} clients in the agency searched")
    print(f"{'':34} {'median ms':>10} {'p95 ms':>10} {'x baseline':>11} {'samples':>8}")
    for name, samples in rows.items():
        median = statistics.median(samples)
        print(f"{name:34} {median:10.2f} {p95(samples):10.2f} {median / base:11.1f} {len(samples):8d}")


def search_statements(query):
    """The search_text statements ``find_clients(query)`` runs, with their parameters."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if any(part in statement for part in ("clients_fts", "search_text LIKE", "client_ids_matching_all(", "_matching_words(")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    find_clients(query)
    event.remove(db.engine, "before_cursor_execute", record)
    db.session.remove()
    return seen


def show_plans():
    """The scans in the plan of each text statement for one name and one misspelt name (on
    PostgreSQL: of the query ``client_ids_matching_words()`` builds for it)."""
    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.connect() as connection:
        for query in ("Mohammed Haddad", "Fatmia Zahra", "Mohamed Hadad"):
            for statement, parameters in search_statements(query):
                if postgresql:
                    statement, parameters = inner_statement(parameters)
                explain = "EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN "
                plan = [str(row[-1]).strip(" ->") for row in connection.exec_driver_sql(explain + statement, parameters)]
                scans = [line for line in plan if "Scan" in line or "SCAN" in line or "SEARCH" in line]
                print(f"  plan ({query}):", " | ".join(scans))


def inner_statement(parameters):
    """The statement ``client_ids_matching_words(groups)`` (or ``client_ids_matching_all``)
    builds, with its words and patterns as parameters."""
    groups = next(value for value in parameters.values() if isinstance(value, list))
    conditions, values = [], []
    for group in groups:
        patterns = group.split("|")
        words = [p.strip() for p in patterns if is_whole_word(p) and not trigrams_only()]
        likes = [p if trigrams_only() else "%" + escaped(p) + "%" for p in patterns if trigrams_only() or not is_whole_word(p)]
        parts = ["search_text LIKE %s ESCAPE '/'"] * len(likes) + (["name_words && %s::text[]"] if words else [])
        conditions.append("(" + " OR ".join(parts) + ")")
        values += likes + ([words] if words else [])
    return f"SELECT id FROM clients WHERE {' AND '.join(conditions)}", tuple(values)


def is_whole_word(pattern):
    return len(pattern) > 2 and pattern[0] == pattern[-1] == " " and " " not in pattern[1:-1]


def escaped(pattern):
    return pattern.replace("/", "//").replace("%", "/%").replace("_", "/_")


def matching_by_trigrams(alternative):
    """``--trigrams-only``: the text levels as before migration f7a2c9d4e1b8, every pattern
    (whole words too) a LIKE answered by the trigram index in ``client_ids_matching_all()``."""
    groups = ["|".join(f"%{escaped(pattern)}%" for pattern in patterns) for patterns in alternative]
    matching = func.client_ids_matching_all(literal(groups, ARRAY(Text)), find_client.CANDIDATES * 5)
    return Client.id.in_(select(matching))


WORDS_MATCHING = find_client._matching_all


def use_trigrams_only(on):
    find_client._matching_all = matching_by_trigrams if on else WORDS_MATCHING


def trigrams_only():
    return find_client._matching_all is matching_by_trigrams


def prepare(reset):
    """Migrate an empty database (PostgreSQL: drop everything first with ``--reset``)."""
    if reset and db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    flask_migrate.upgrade()
    if db.session.scalar(select(func.count()).select_from(Agency)):
        sys.exit("The database already has agencies: give an empty one, or --reset a scratch PostgreSQL one.")
    db.session.remove()


def loaded_agency():
    """``--reuse``: the first agency an earlier run loaded."""
    with tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Agency.id).filter_by(code="BENCH1"))
    db.session.remove()
    return agency_id or sys.exit("--reuse: no earlier run's clients in this database.")


def loaded(args):
    """The agency searched: an earlier run's (``--reuse``), else ``--clients`` loaded now."""
    if args.reuse:
        flask_migrate.upgrade()
        agency_id = loaded_agency()
    else:
        prepare(args.reset)
        start = time.perf_counter()
        agency_id = load(args.clients)
        print(f"loaded in {time.perf_counter() - start:.0f} s")
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE clients"))
    total = args.clients + args.clients // 4 + len(NEEDLES)
    print(f"{db.engine.url.render_as_string(hide_password=True)}: {total:,} clients")
    return agency_id


def timed_rows(args):
    """Load (or reuse) the clients, show the plans, and time every group: ``{name: samples}``."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})
    with app.app_context():
        agency_id = loaded(args)
        with tenant_scope(agency_id):
            if getattr(args, "compare", False):
                use_trigrams_only(True)
                print("\n--trigrams-only (every text level by trigrams):")
                show_plans()
                report(measure(args.repeat), args.clients + len(NEEDLES))
                print("\ndefault (whole words from name_words):")
            use_trigrams_only(getattr(args, "trigrams_only", False))
            show_plans()
            rows = measure(args.repeat)
    if getattr(args, "page", False):  # outside the app context: each request has its own, as in production
        rows.update(measure_pages(signed_in_browser(app, agency_id), args.repeat))
    with app.app_context():
        report(rows, args.clients + len(NEEDLES))
    return rows


def bench(url, size, repeat):
    """``make bench``: ``size`` clients in a new database (``url`` is reset); median and p95 of
    each group against the baseline's."""
    rows = timed_rows(SimpleNamespace(database_url=url, clients=size, reset=True, reuse=False, repeat=repeat))
    base = rows.pop(BASELINE)
    results = []
    for name, samples in rows.items():
        results.append(Result("find a client", f"{name}, median", statistics.median(samples), statistics.median(base)))
        results.append(Result("find a client", f"{name}, p95", p95(samples), p95(base)))
    return results


def main():
    args = parse_args()
    args.database_url = args.database_url or "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    timed_rows(args)


if __name__ == "__main__":
    main()
