"""The outbox: every message to a staff member or a client, queued once, then sent by the job.

``queue_message`` is the one way in. It renders the message (the agency's template of its kind,
in the recipient's language) and stores it with a dedupe key unique per agency, so a reminder
is queued once however often its source sees it due. A message that must not go (a client
without an email address, without consent to notifications, a recipient who opted out of the
kind) is stored as ``not_sent`` with the reason, never queued, so the Notifications tab can say
why. Sending (``models/notification_sending.py``) checks consent and opt-outs again.
"""

from flask_babel import lazy_gettext
from sqlalchemy import event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from extensions import db
from models.base import Timestamped, utcnow
from models.clients import Client
from models.message_templates import KINDS, render
from models.privacy import ConsentRecord
from models.staff import Staff
from models.tenancy import AgencyOwned

CHANNELS = {"email": lazy_gettext("Email"), "sms": lazy_gettext("Text message")}
STATUSES = {
    "queued": lazy_gettext("Queued"),
    "sending": lazy_gettext("Sending"),
    "sent": lazy_gettext("Sent"),
    "failed": lazy_gettext("Failed"),
    "cancelled": lazy_gettext("Cancelled"),
    "not_sent": lazy_gettext("Not sent"),
}
REASONS = {
    "no_email": lazy_gettext("The client has no email address."),
    "no_phone": lazy_gettext("The client has no phone number."),
    "no_staff_email": lazy_gettext("The staff member has no email address."),
    "no_consent": lazy_gettext("The client has not consented to notifications, or withdrew consent."),
    "opted_out": lazy_gettext("The recipient opted out of this kind of message."),
    "inactive": lazy_gettext("The staff account is deactivated."),
}


class Notification(AgencyOwned, Timestamped, db.Model):
    """One message; written by the queue and the sending job only (never edited by people)."""

    __tablename__ = "notifications"
    __table_args__ = (
        db.UniqueConstraint("agency_id", "dedupe_key"),
        db.Index("ix_notifications_due", "agency_id", "status", "next_attempt_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)
    channel = db.Column(db.Enum(*CHANNELS, name="notification_channel", native_enum=False), nullable=False, default="email")
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    sender_staff_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"))
    to_address = db.Column(db.String(254), nullable=False, default="")
    reply_to = db.Column(db.String(254))
    language = db.Column(db.String(10), nullable=False, default="en")
    subject = db.Column(db.String(300), nullable=False, default="")
    body_text = db.Column(db.Text, nullable=False, default="")
    body_html = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.Enum(*STATUSES, name="notification_status", native_enum=False), nullable=False, default="queued")
    reason = db.Column(db.String(40))  # not sent / cancelled: a key of REASONS
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text)
    next_attempt_at = db.Column(db.DateTime)
    claimed_at = db.Column(db.DateTime)
    sent_at = db.Column(db.DateTime)
    dedupe_key = db.Column(db.String(200), nullable=False)

    staff = db.relationship(Staff, foreign_keys=[staff_id])
    client = db.relationship(Client)
    sender = db.relationship(Staff, foreign_keys=[sender_staff_id])

    @property
    def recipient(self):
        return self.client if self.client_id else self.staff

    @property
    def kind_label(self):
        return KINDS[self.kind].label if self.kind in KINDS else self.kind

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def reason_label(self):
        return REASONS.get(self.reason, self.reason or "")


class NotificationOptOut(AgencyOwned, db.Model):
    """A staff member or a client who does not want one kind of message."""

    __tablename__ = "notification_opt_outs"
    portal_scope = "own"  # a signed-in client keeps their own communication preferences
    __table_args__ = (
        db.CheckConstraint("(staff_id IS NULL) <> (client_id IS NULL)", name="one_recipient"),
        db.UniqueConstraint("agency_id", "kind", "staff_id", "client_id"),
    )

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class SmsMessage(AgencyOwned, db.Model):
    """A text message handed to the default gateway, which records it here (no external service)."""

    __tablename__ = "sms_messages"

    id = db.Column(db.Integer, primary_key=True)
    notification_id = db.Column(db.Integer, db.ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    to_number = db.Column(db.String(30), nullable=False)
    body = db.Column(db.Text, nullable=False)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)


def recipient_filter(model, recipient):
    column = model.client_id if isinstance(recipient, Client) else model.staff_id
    return column == recipient.id


def opted_out_kinds(recipient):
    query = select(NotificationOptOut.kind).where(recipient_filter(NotificationOptOut, recipient))
    return set(db.session.scalars(query))


def set_opt_outs(recipient, kinds):
    """Keep exactly ``kinds`` as the recipient's opt-outs (the caller commits)."""
    rows = db.session.scalars(select(NotificationOptOut).where(recipient_filter(NotificationOptOut, recipient)))
    current = {row.kind: row for row in rows}
    for kind in set(current) - set(kinds):
        db.session.delete(current[kind])
    for kind in set(kinds) - set(current):
        field = "client_id" if isinstance(recipient, Client) else "staff_id"
        db.session.add(NotificationOptOut(kind=kind, **{field: recipient.id}))
    if set(kinds) - set(current):
        cancel_queued(recipient, "opted_out", kinds=set(kinds))


def language_of(recipient):
    if isinstance(recipient, Client):
        return "fr_CA" if (recipient.official_language or "").lower().startswith("fr") else "en"
    return recipient.interface_language or "en"


def address_of(recipient, channel):
    if channel == "sms":
        return (recipient.phone or "").strip()
    return (recipient.email or "").strip()


def refusal(recipient, kind, channel):
    """Why a message of ``kind`` must not go to ``recipient`` now (a key of REASONS), or ``None``."""
    if isinstance(recipient, Client):
        if not recipient.may_notify:
            return "no_consent"
        if not address_of(recipient, channel):
            return "no_phone" if channel == "sms" else "no_email"
    else:
        if not recipient.is_active:
            return "inactive"
        if not address_of(recipient, channel):
            return "no_staff_email"
    may_opt_out = kind not in KINDS or KINDS[kind].may_opt_out
    return "opted_out" if may_opt_out and kind in opted_out_kinds(recipient) else None


def is_queued(dedupe_key):
    return db.session.scalar(select(Notification.id).where(Notification.dedupe_key == dedupe_key)) is not None


def queue_message(recipient, kind, context, dedupe_key, sender=None, channel="email"):
    """Store the message once per ``dedupe_key``: queued, or ``not_sent`` with the reason.
    Returns the new ``Notification``, or ``None`` when the key was already used."""
    if is_queued(dedupe_key):
        return None
    language = language_of(recipient)
    values = {"recipient_name": recipient.display_name if isinstance(recipient, Client) else recipient.name, **context}
    subject, body_text, body_html = render(kind, language, values)
    note = Notification(kind=kind, channel=channel, dedupe_key=dedupe_key, language=language, subject=subject)
    note.body_text, note.body_html = body_text, body_html
    note.to_address = address_of(recipient, channel)
    if isinstance(recipient, Client):
        note.client_id = recipient.id
        note.sender_staff_id = sender.id if sender else None
        note.reply_to = (sender.reply_to_email or None) if sender else None
    else:
        note.staff_id = recipient.id
    note.reason = refusal(recipient, kind, channel)
    note.status, note.next_attempt_at = ("not_sent", None) if note.reason else ("queued", utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(note)
    except IntegrityError:  # an overlapping run queued the same key first
        return None
    return note


def cancel_queued(recipient, reason, kinds=None):
    """Cancel the recipient's queued messages (all, or of ``kinds``): consent withdrawn, opt-out."""
    query = update(Notification).where(recipient_filter(Notification, recipient), Notification.status == "queued")
    if kinds is not None:
        query = query.where(Notification.kind.in_(kinds))
    db.session.execute(query.values(status="cancelled", reason=reason), execution_options={"synchronize_session": False})


def forget_messages(client, removed):
    """Retention: the client's messages keep their kind, status and dates; their text and
    address go (the caller flushes)."""
    for note in db.session.scalars(select(Notification).where(Notification.client_id == client.id)):
        note.subject, note.body_text, note.body_html, note.to_address, note.reply_to = removed, removed, "", "", None
        for sms in db.session.scalars(select(SmsMessage).where(SmsMessage.notification_id == note.id)):
            sms.to_number, sms.body = "", removed


def forget_notices(dedupe_prefix, removed):
    """Retention: staff messages about a client (a break-glass notice names the client and the
    reason) keep their kind, status and dates; their text goes."""
    query = select(Notification).where(Notification.dedupe_key.startswith(dedupe_prefix, autoescape=True))
    for note in db.session.scalars(query):
        note.subject, note.body_text, note.body_html = removed, removed, ""


def messages_for(recipient, limit=200):
    """The recipient's messages, newest first (the Notifications tab, My notifications)."""
    query = select(Notification).where(recipient_filter(Notification, recipient))
    return db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()


@event.listens_for(Session, "before_flush")
def _cancel_on_consent_withdrawal(session, flush_context, instances):
    """Consent to notifications withdrawn (all consent, or that one), whatever path wrote it: the
    client's queued messages are cancelled in the same transaction (the sending job checks
    consent again before each message)."""
    clients = {obj for obj in session.dirty if isinstance(obj, Client) and withdrawn_now(obj)}
    records = [obj for obj in session.new if isinstance(obj, ConsentRecord)]
    clients |= {record.client for record in records if record.kind == "notifications" and not record.given}
    for client in clients:
        if client is not None and client.id is not None:
            cancel_queued(client, "no_consent")


def withdrawn_now(client):
    return bool(inspect(client).attrs.consent_withdrawn_at.history.added) and client.consent_withdrawn_at is not None
