"""Reminder sources: what is due, per agency and day, for the sending job to queue.

A source is one function ``source(agency, today)`` yielding ``Reminder``s (recipient, kind,
context, dedupe key); ``SOURCES`` lists them. The job runs every source for every agency under
``tenant_scope(agency.id, DECLARATION)`` and queues each reminder once (its dedupe key is unique
per agency), so a source only says what is due and may repeat itself every run. A new source:
its message kind in ``models/message_templates.KINDS`` (with its default files), one function
here and one line in ``SOURCES`` (docs/NOTIFICATIONS.md).
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from extensions import db
from models.completeness import incomplete_sessions
from models.service_sessions import ServiceSession, SessionClient
from models.staff import Staff

LOOKBACK_DAYS = 30  # a session incomplete for longer than its reminder delay plus this is not reminded


@dataclass(frozen=True)
class Reminder:
    recipient: object  # a Staff or a Client
    kind: str
    context: dict
    dedupe_key: str
    sender: Staff | None = None  # for clients: whose reply-to address the message carries
    channel: str = "email"


def site_url(path):
    return current_app.config.get("SITE_URL", "http://127.0.0.1:5000").rstrip("/") + path


def incomplete_sessions_due(agency, today):
    """Staff: a session they lead still incomplete ``agency.incomplete_session_reminder_days``
    after its date (none when the agency set no delay); once per session."""
    days = agency.incomplete_session_reminder_days
    if not days:
        return
    latest, earliest = today - timedelta(days=days), today - timedelta(days=days + LOOKBACK_DAYS)
    query = incomplete_sessions().where(ServiceSession.service_date.between(earliest, latest)).order_by(ServiceSession.id)
    for session in db.session.scalars(query):
        context = {
            "session_date": session.service_date.isoformat(),
            "session_type": str(session.type_label),
            "days": days,
            "session_url": site_url(f"/admin/sessions/edit/?id={session.id}"),
        }
        yield Reminder(session.lead_staff, "session_incomplete", context, f"session_incomplete:{session.id}")


def appointments_due(agency, today):
    """Clients: a session dated tomorrow that they are in; from the session lead's reply-to."""
    tomorrow = today + timedelta(days=1)
    query = select(SessionClient).join(ServiceSession).where(ServiceSession.service_date == tomorrow).order_by(SessionClient.id)
    for attendee in db.session.scalars(query):
        session, client = attendee.session, attendee.client
        if client.kind != "named":
            continue
        context = {
            "client_name": client.display_name,
            "session_date": session.service_date.isoformat(),
            "session_type": str(session.type_label),
            "staff_name": session.lead_staff.name,
        }
        key = f"appointment_reminder:{session.id}:{client.id}"
        yield Reminder(client, "appointment_reminder", context, key, sender=session.lead_staff)


SOURCES = (
    incomplete_sessions_due,
    appointments_due,
)


def due_reminders(agency, today):
    for source in SOURCES:
        yield from source(agency, today)
