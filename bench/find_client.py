"""Benchmark find-a-client against a plain indexed lookup, on SQLite or PostgreSQL.

    .venv/bin/python bench/find_client.py --clients 100000
    .venv/bin/python bench/find_client.py --clients 100000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench --reset

Loads N synthetic clients (names from many languages) into one agency and N/4 into a
second one with Core bulk inserts (the tenancy hook only guards ORM statements; this loader
is the one place that writes clients without it), then times ``find_clients()`` inside
``tenant_scope`` for names, typos, transliterations, phone, email, date of birth and
identifiers, and a baseline in the same run: an ORM lookup by (agency, date of birth).
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

import flask_migrate  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402
from models import Agency, Client, Site, tenant_scope  # noqa: E402
from models.client_finder import find_clients  # noqa: E402
from models.client_search import client_search_text, phone_digits  # noqa: E402

FIRST = (
    "Mohammed Muhammad Mohamad Ahmed Ali Omar Yusuf Youssef Ibrahim Hassan Hussein Mahmoud Khalid "
    "Fatima Aisha Maryam Zahra Amira Layla Noor Huda Reza Ali-Reza Mehdi Zainab Parisa Farzaneh "
    "Wei Li Jing Min Xiaoming Yan Hui Jun Mei Lan Minh Anh Thi Van Linh Hoa Quang "
    "José Juan Carlos María Ana Luis Sofía Valentina Diego Camila Mateo Lucía "
    "Oleksandr Aleksandr Sergey Sergei Olena Dmytro Iryna Natalia Andriy Yulia Viktor "
    "Hodan Abdirahman Faadumo Abdi Ayaan Mahad Tesfay Selam Yonas Merhawit Kidane Senait "
    "François Hélène Jean-Pierre Émilie Zoë Chloé Priyanka Arjun Deepak Sunita Ngozi "
    "Chukwuemeka Kwame Ama Ayşe Mehmet Elif Soo-jin Min-jun Joao Łukasz Björn"
).split()
LAST = (
    "Haddad Ali Said Khalil Nasser Hassan Mansour Abdullah Saleh Hosseini Ahmadi Rahimi Karimi "
    "Mohammadi Rezaei Popal Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Nguyen Tran Le Pham "
    "Hoang Phan Vu Dang García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez "
    "Kovalenko Petrenko Shevchenko Bondarenko Tkachenko Kravchenko Melnyk Ivanova Smirnov "
    "Warsame Farah Abdi Mohamud Osman Gebremedhin Haile Tesfaye Berhane Kidane Lefèvre Côté "
    "Gagnon Tremblay Sharma Patel Singh Okafor Eze Mensah Yılmaz Öztürk Kim Park Lee Silva Pereira "
    "Nowak Andersson Müller"
).split()
STATUSES = ("Permanent Resident - Economic Class", "Refugee Claimant", "Canadian Citizen", "Temporary Foreign Worker")
LANGUAGES = ("Arabic", "Dari", "Farsi (Persian)", "Mandarin", "Spanish", "Somali", "Vietnamese", "Russian", "French")
COMMENTS = ("Needs an interpreter", "Prefers morning appointments", "Referred by the library", "Walk-in", "")
NEEDLES = [  # clients the queries below look for
    {"first_name": "Mohammed", "last_name": "Haddad", "phone": "(416) 555-0123", "date_of_birth": date(1985, 3, 14),
     "email": "m.haddad@example.org", "ircc_id_value": "87654321", "family_code": "F-7KQ2MX"},
    {"first_name": "Fatima", "last_name": "Zahra"},
    {"first_name": "Văn An", "last_name": "Nguyễn"},
    {"first_name": "Muhammad", "last_name": "Alii"},
]
QUERIES = {
    "name": ["Mohammed Haddad", "Haddad Mohammed", "Nguyen Van An", "Fatima Zahra", "Kovalenko", "Li Wei", "Gebremedhin"],
    "typo": ["Mohamed Hadad", "Fatmia Zahra", "Kovalenkko Olena", "Gebremedin", "Shevchnko"],
    "transliteration": ["Muhammad Haddad", "Youssef Ali", "Alexander Kovalenko", "Sergei Petrenko", "محمد حداد"],
    "phone": ["(416) 555-0123", "416.555.0123", "555-0123"],
    "identifier": ["m.haddad@example.org", "1985-03-14", "87654321", "F-7KQ2MX", "C000001"],
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--reset", action="store_true", help="drop every table first (never on a real database)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    return parser.parse_args()


def synthetic_client(rng, agency_id, site_ids):
    """One row for a Core insert, with its search text computed as the model would."""
    anonymous = rng.random() < 0.05
    row = {"kind": "anonymous" if anonymous else "named", "comments": rng.choice(COMMENTS) or None}
    if not anonymous:
        row.update(
            first_name=rng.choice(FIRST), last_name=rng.choice(LAST), gender=rng.choice(("Female", "Male")),
            date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365)),
            phone=f"({rng.randrange(200, 999)}) {rng.randrange(200, 999)}-{rng.randrange(10000):04d}",
            email=f"client{rng.randrange(10**9)}@example.com" if rng.random() < 0.5 else None,
            ircc_id_value=str(rng.randrange(10**7, 10**8)) if rng.random() < 0.3 else None,
            first_language=rng.choice(LANGUAGES), immigration_status=rng.choice(STATUSES),
        )
    return complete(row, agency_id, rng.choice(site_ids), is_archived=rng.random() < 0.03)


def complete(row, agency_id, site_id, is_archived=False):
    """Fill the columns a Core insert needs (no ORM defaults or events run)."""
    values = {name: None for name in ("first_name", "last_name", "preferred_name", "date_of_birth", "phone", "email",
                                      "ircc_id_value", "family_code", "comments", "gender", "first_language",
                                      "immigration_status")}
    values.update(row)
    now = datetime(2026, 1, 1)
    values.update(
        version=1, kind=values.get("kind", "named"), agency_id=agency_id, registration_site_id=site_id,
        other_languages=[], registration_date=now.date(), is_archived=is_archived, created_at=now, updated_at=now,
        phone_digits=phone_digits(values["phone"]) or None,
    )
    values["search_text"] = client_search_text(SimpleNamespace(**values))
    return values


def load(count, seed=7):
    """Two agencies, their sites, the needles and ``count`` + ``count // 4`` clients."""
    rng = random.Random(seed)
    with db.engine.begin() as connection:
        agency_ids = [connection.execute(insert(Agency).values(name=f"Bench agency {n}", code=f"BENCH{n}", created_at=datetime(2026, 1, 1),
                                                                updated_at=datetime(2026, 1, 1)).returning(Agency.id)).scalar_one()
                      for n in (1, 2)]
        sites = {a: [connection.execute(insert(Site).values(agency_id=a, name=f"Site {n}", kind="non_school", created_at=datetime(2026, 1, 1),
                                                            updated_at=datetime(2026, 1, 1)).returning(Site.id)).scalar_one()
                     for n in range(5)] for a in agency_ids}
        connection.execute(insert(Client), [complete(needle, agency_ids[0], sites[agency_ids[0]][0]) for needle in NEEDLES])
    for agency_id, n in ((agency_ids[0], count), (agency_ids[1], count // 4)):
        for start in range(0, n, 10_000):
            rows = [synthetic_client(rng, agency_id, sites[agency_id]) for _ in range(min(10_000, n - start))]
            with db.engine.begin() as connection:
                connection.execute(insert(Client), rows)
    return agency_ids[0]


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


def baseline(agency_id, repeat):
    """A plain indexed lookup through the same ORM hook: clients born on one day."""
    def run():
        db.session.scalars(select(Client).where(Client.date_of_birth == date(1985, 3, 14)).limit(50)).all()
    return timed(run, repeat * 10)


def measure(agency_id, repeat):
    rows = {"baseline (agency, DOB) lookup": baseline(agency_id, repeat)}
    for category, queries in QUERIES.items():
        rows[f"find: {category}"] = [ms for q in queries for ms in timed(lambda q=q: find_clients(q), repeat)]
    rows["find: all queries"] = [ms for name, samples in rows.items() if name.startswith("find:") for ms in samples]
    return rows


def report(rows, count, url):
    base = statistics.median(rows["baseline (agency, DOB) lookup"])
    print(f"\n{db.engine.dialect.name}, {count:,} clients in the agency searched ({url.split('@')[-1]})")
    print(f"{'':34} {'median ms':>10} {'p95 ms':>10} {'x baseline':>11} {'samples':>8}")
    for name, samples in rows.items():
        median = statistics.median(samples)
        print(f"{name:34} {median:10.2f} {p95(samples):10.2f} {median / base:11.1f} {len(samples):8d}")


def show_plans(agency_id):
    """The first query plan line of each candidate query for one name and one typo."""
    seen = []
    from sqlalchemy import event
    listener = lambda conn, cur, statement, params, ctx, many: seen.append((statement, params))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    for query in ("Mohammed Haddad", "Fatmia Zahra"):
        find_clients(query)
    event.remove(db.engine, "before_cursor_execute", listener)
    db.session.remove()
    postgresql = db.engine.dialect.name == "postgresql"
    with db.engine.connect() as connection:
        for statement, params in seen:
            if "clients_fts" in statement or "search_text LIKE" in statement or "%>" in statement:
                plan = connection.exec_driver_sql(("EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN ") + statement, params).all()
                print("  plan:", " | ".join(str(row[-1]).strip() for row in plan if "Scan" in str(row[-1]) or "SCAN" in str(row[-1]) or "SEARCH" in str(row[-1])))


def prepare(url, reset):
    with db.engine.begin() as connection:
        if reset and db.engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    flask_migrate.upgrade()
    if db.session.scalar(select(func.count()).select_from(Agency)):
        sys.exit("The database already has agencies: give an empty one, or --reset a scratch one.")


def main():
    args = parse_args()
    url = args.database_url or "sqlite:///" + os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare(url, args.reset)
        start = time.perf_counter()
        agency_id = load(args.clients)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE clients"))
        print(f"loaded {args.clients + args.clients // 4 + len(NEEDLES):,} clients in {time.perf_counter() - start:.0f} s")
        with tenant_scope(agency_id):
            show_plans(agency_id)
            report(measure(agency_id, args.repeat), args.clients + len(NEEDLES), url)


if __name__ == "__main__":
    main()
