"""Demo notifications: the agency's own wording in both languages, a reminder delay for
incomplete sessions, a client-safe reply-to address, and an outbox holding sent, failed,
queued and not-sent messages (run ``send-notifications`` to send the queued ones)."""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models import Agency, Client, MessageTemplate, Staff, tenant_scope
from models.base import utcnow
from models.message_templates import LANGUAGES, default_wording
from models.notification_sending import DECLARATION, queue_reminders
from models.notifications import queue_message
from models.privacy import latest_consent, record_consent

SIGNATURE = {
    "en": "\nQuestions? Call the front desk at 416-555-0100.\n",
    "fr_CA": "\nDes questions? Appelez l'accueil au 416-555-0100.\n",
}


def seed_templates():
    """The agency's wording of the session reminder, in English and French (the shipped one, signed)."""
    for language in LANGUAGES:
        if db.session.scalar(select(MessageTemplate.id).filter_by(kind="session_incomplete", language=language)):
            continue
        words = default_wording("session_incomplete", language)
        html = words.body_html + f"<p>{SIGNATURE[language].strip()}</p>\n"
        db.session.add(
            MessageTemplate(
                kind="session_incomplete",
                language=language,
                subject=words.subject,
                body_text=words.body_text + SIGNATURE[language],
                body_html=html,
            )
        )


def consenting_clients(count):
    """Named clients with an email address who consent to notifications (given here if needed)."""
    query = select(Client).where(Client.kind == "named", Client.email.is_not(None)).order_by(Client.id).limit(count)
    clients = db.session.scalars(query).all()
    for client in clients:
        if latest_consent(client, "notifications") is None:
            record_consent(client, "notifications", True, client.created_by_id, note="demo")
    return clients


def seed_outbox(agency, lead):
    """Appointment reminders in each state the Notifications tab shows."""
    context = {"agency_name": agency.name, "staff_name": lead.name, "session_type": "Direct Service"}
    when = (date.today() + timedelta(days=1)).isoformat()
    sent, failed, queued = consenting_clients(3)
    for client, status in ((sent, "sent"), (failed, "failed"), (queued, "queued")):
        values = {**context, "client_name": client.display_name, "session_date": when}
        note = queue_message(client, "appointment_reminder", values, f"demo:appointment:{client.id}", sender=lead)
        if note is None or status == "queued":
            continue
        note.status, note.attempts = status, 1 if status == "sent" else 5
        note.created_at = utcnow() - timedelta(days=1, minutes=5)  # queued yesterday, sent (or tried) then
        note.sent_at = utcnow() - timedelta(days=1) if status == "sent" else None
        if status == "failed":
            note.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    no_email = db.session.scalar(select(Client).where(Client.kind == "named", Client.email.is_(None)).order_by(Client.id))
    if no_email is not None:  # consents, but has no address: never queued, and the tab says why
        if latest_consent(no_email, "notifications") is None:
            record_consent(no_email, "notifications", True, no_email.created_by_id, note="demo")
        values = {**context, "client_name": no_email.display_name, "session_date": when}
        queue_message(no_email, "appointment_reminder", values, f"demo:appointment:{no_email.id}", sender=lead)


def seed_notifications(code):
    """Templates, settings and an outbox for one demo agency; safe to run again."""
    agency_id = db.session.scalar(select(Agency.id).where(Agency.code == code))
    with tenant_scope(agency_id, DECLARATION):
        agency = db.session.get(Agency, agency_id)
        agency.incomplete_session_reminder_days = agency.incomplete_session_reminder_days or 7
        agency.follow_up_survey_url = agency.follow_up_survey_url or f"https://survey.example.org/{code.lower()}/follow-up"
        lead = db.session.scalar(select(Staff).where(Staff.role == "worker").order_by(Staff.id)) or db.session.scalar(
            select(Staff).order_by(Staff.id)
        )
        lead.reply_to_email = lead.reply_to_email or f"settlement@{lead.email.split('@')[1]}"
        seed_templates()
        seed_outbox(agency, lead)
        queue_reminders(agency, date.today())
        db.session.commit()
