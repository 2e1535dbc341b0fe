"""The notifications job's sending rate against a local SMTP server (aiosmtpd), next to a plain
``smtplib`` loop handing the same messages to the same server, in the same run.

    .venv/bin/python bench/notifications.py --messages 2000
    .venv/bin/python bench/notifications.py --messages 2000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_mail --reset

Seeds the demo agencies into a new database, queues ``--messages`` "incomplete session"
reminders to the demo's workers (``queue_message``, as the reminder sources do), then times
``run_for_agency()`` (what ``flask send-notifications`` runs per agency: each message claimed in
its own transaction, checked again, sent through Flask-Mail, marked sent). The floor is a bare
``smtplib`` loop sending as many messages of the same subject and body to the same server, one
connection per message as Flask-Mail opens one per ``send()``. Both are messages per second;
the server counts what it accepted (every message once). ``bench(url, size, repeat)`` is the
entry point ``bench/run.py`` (``make bench``) calls.
"""

import argparse
import os
import smtplib
import sys
import tempfile
import time
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from bench.database import ready_database  # noqa: E402
from bench.result import Result  # noqa: E402
from demo import seed_agencies  # noqa: E402
from extensions import db  # noqa: E402
from models import ALL_AGENCIES, Agency, Staff, tenant_scope  # noqa: E402
from models.notification_sending import run_for_agency  # noqa: E402
from models.notifications import Notification, queue_message  # noqa: E402
from tests.smtp_server import SmtpServer  # noqa: E402


def build_app(url, reset, server):
    url = url or "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="ocms-bench-"), "bench.sqlite3")
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port}
    app = create_app(config)
    app.extensions["mail"].suppress = False
    with app.app_context():
        ready_database(url, reset)
        with tenant_scope(ALL_AGENCIES):
            seed_agencies()
            db.session.commit()
    return app


def queue(count):
    """``count`` reminders to the demo agency's active staff, in turn; the agency's id."""
    with tenant_scope(ALL_AGENCIES):
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
    with tenant_scope(agency_id):
        staff = db.session.scalars(select(Staff).where(Staff.is_active.is_(True)).order_by(Staff.id)).all()
        for number in range(count):
            queue_message(staff[number % len(staff)], "session_incomplete", {}, f"bench:{number}")
        db.session.commit()
    return agency_id


def sample_message(agency_id):
    with tenant_scope(agency_id):
        note = db.session.scalar(select(Notification).order_by(Notification.id).limit(1))
        return note.subject, note.body_text, note.to_address


def plain_loop(port, count, subject, body, to):
    """The floor: ``count`` messages through ``smtplib``, one connection each."""
    for _ in range(count):
        message = EmailMessage()
        message["Subject"], message["From"], message["To"] = subject, "no-reply@localhost", to
        message.set_content(body)
        with smtplib.SMTP("127.0.0.1", port) as connection:
            connection.send_message(message)


def measure(url, reset, count):
    """``(job messages/s, plain loop messages/s, sent)``, the server counting both."""
    server = SmtpServer()
    server.start()
    try:
        app = build_app(url, reset, server)
        with app.app_context():
            agency_id = queue(count)
            subject, body, to = sample_message(agency_id)
            start = time.perf_counter()
            result = run_for_agency(agency_id)
            job = time.perf_counter() - start
        accepted = len(server.inbox.messages)
        assert result.sent == accepted >= count and not result.errors, (result.summary(False), accepted, result.errors[:3])
        start = time.perf_counter()
        plain_loop(server.port, result.sent, subject, body, to)
        plain = time.perf_counter() - start
        assert len(server.inbox.messages) == 2 * accepted
    finally:
        server.stop()
    print(f"job: {result.sent:,} messages in {job:.2f} s = {result.sent / job:,.0f} messages/s")
    print(f"plain smtplib loop: {result.sent:,} messages in {plain:.2f} s = {result.sent / plain:,.0f} messages/s")
    return result.sent / job, result.sent / plain, result.sent


def bench(url, size, repeat):
    """``make bench``: ``size`` messages in a new database (``url`` is reset)."""
    ours, floor, sent = measure(url, True, size)
    return [Result("notifications", "sending job", ours, floor, "messages/s", f"{sent:,} messages")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument("--reset", action="store_true", help="drop schema public first (PostgreSQL scratch databases only)")
    args = parser.parse_args()
    ours, floor, _sent = measure(args.database_url, args.reset, args.messages)
    print(f"ratio (plain loop's rate over the job's): {floor / ours:.2f}x")


if __name__ == "__main__":
    main()
