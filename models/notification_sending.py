"""The sending job: queue every reminder due, then send what is due, each message at most once.

Per agency, under ``tenant_scope(agency.id, DECLARATION)``:

1. every reminder source (``models/reminders.py``) is asked what is due today; each reminder is
   queued once (``queue_message``: its dedupe key is unique per agency); commit.
2. each queued message whose time has come is *claimed* in its own transaction before anything
   is sent: on PostgreSQL the candidate is selected ``FOR UPDATE SKIP LOCKED`` (an overlapping
   run skips it), and the claim is one ``UPDATE ... SET status = 'sending' WHERE id = (that id)
   AND status = 'queued' RETURNING id``, which only one run can win; commit.
3. the claimed message is checked again (consent, opt-out), sent through its channel and marked
   ``sent`` only once the SMTP server (or the SMS gateway) accepted it; a failure is recorded
   with its error and the message queued again with back-off, until ``MAX_ATTEMPTS``; commit.

A run that stops between the claim and the mark leaves the message ``sending``: it is never
sent again by itself (at most once); ``stuck_messages`` lists them for a person to look at.
"""

import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from email.header import Header
from email.policy import compat32

from flask import current_app
from flask_babel import gettext
from flask_mail import Message, sanitize_address, sanitize_addresses
from sqlalchemy import select, update
from werkzeug.utils import import_string

from extensions import db
from models.agencies import Agency
from models.base import utcnow
from models.errors import InvalidEntry
from models.message_templates import KINDS
from models.notifications import Notification, SmsMessage, is_queued, queue_message, refusal
from models.principal import Declaration, tenant_scope
from models.reminders import due_reminders

# Reminders read sessions and forms (dates, types, completeness) of every program but no Private
# one; the messages hold no form, note or file content. Referrals: every one, Private included,
# because a follow-up reminder goes only to the staff member who made the referral.
DECLARATION = Declaration.of("send-notifications", service_session="open", service_form="open", referral="all", task="all")
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=5)  # doubled after each failure: 5, 10, 20, 40 minutes
STUCK_AFTER = timedelta(hours=1)
SEND_ERRORS = (OSError, smtplib.SMTPException)  # refused connections, timeouts, SMTP refusals
UNSYNCED = {"synchronize_session": False}


class DatabaseSmsGateway:
    """The default SMS gateway. A gateway is any class with ``send(notification)`` that raises
    an ``OSError`` when the message was not accepted; ``SMS_GATEWAY`` names it ("module:Class")."""

    def send(self, note):
        db.session.add(SmsMessage(notification_id=note.id, to_number=note.to_address, body=note.body_text))
        db.session.flush()


def sms_gateway():
    name = current_app.config.get("SMS_GATEWAY")
    return import_string(name)() if name else DatabaseSmsGateway()


class MailMessage(Message):
    """Flask-Mail's message with its subject folded counting the ``Subject:`` in front of it.

    Flask-Mail folds a subject that is not plain ASCII as if it had no name before it; the first
    line is then too long, so Python folds it again and may cut a word into a plain part and an
    encoded part, which every mail program reads with a space inside the word ("Logement et
    h ébergement"). Folded here with its name, no line is too long and Python keeps it as it is."""

    def _message(self):
        mime = super()._message()
        if self.subject:
            charset = "us-ascii" if self.subject.isascii() else "utf-8"
            folded = Header(self.subject, charset, header_name="Subject").encode()
            sending_policy, mime.policy = mime.policy, compat32  # compat32 stores the folded lines as they are
            mime.replace_header("Subject", folded)
            mime.policy = sending_policy
        return mime


def send_email(note):
    """Hand one message to the SMTP server of ``MAIL_*`` (raises on refusal or no connection)."""
    message = MailMessage(
        subject=note.subject,
        recipients=[note.to_address],
        body=note.body_text,
        html=note.body_html or None,
        reply_to=note.reply_to,
        sender=current_app.config.get("MAIL_DEFAULT_SENDER"),
    )
    state = current_app.extensions["mail"]
    if state.suppress:  # Flask-Mail's testing mode: recorded, never sent
        return state.send(message)
    with smtp_host(state) as host:
        host.sendmail(sanitize_address(message.sender), list(sanitize_addresses(message.send_to)), message.as_bytes())


def smtp_host(state):
    """A connection to Flask-Mail's server that gives up after ``MAIL_TIMEOUT`` seconds (Flask-Mail
    opens one with no time-out: a server that accepts and never answers would hold the job)."""
    timeout = current_app.config["MAIL_TIMEOUT"]
    host = (smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP)(state.server, state.port, timeout=timeout)
    if state.use_tls:
        host.starttls()
    if state.username and state.password:
        host.login(state.username, state.password)
    return host


@dataclass
class RunResult:
    agency_code: str
    queued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    due: list = field(default_factory=list)  # dry run: the subjects that would be sent
    errors: list = field(default_factory=list)

    def summary(self, dry_run):
        if dry_run:
            return f"{self.agency_code}: {self.queued} reminder(s) would be queued, {len(self.due)} message(s) would be sent."
        return (
            f"{self.agency_code}: {self.queued} queued, {self.sent} sent, {self.retrying} to retry, "
            f"{self.failed} failed for good, {self.cancelled} cancelled."
        )


def queue_reminders(agency, today, dry_run=False):
    """Queue every reminder due for ``agency`` (dry run: count the new ones)."""
    count = 0
    for reminder in due_reminders(agency, today):
        if dry_run:
            count += not is_queued(reminder.dedupe_key)
            continue
        context = {"agency_name": agency.name, **reminder.context}
        note = queue_message(reminder.recipient, reminder.kind, context, reminder.dedupe_key, reminder.sender, reminder.channel)
        count += note is not None
    return count


def due_query(now):
    query = select(Notification.id).where(Notification.status == "queued", Notification.next_attempt_at <= now)
    return query.order_by(Notification.next_attempt_at, Notification.id)


CLAIMED = {"status": "sending", "attempts": Notification.attempts + 1}


def claim(note_id):
    """The one atomic step: ``queued`` becomes ``sending`` for exactly one run (committed)."""
    query = update(Notification).where(Notification.id == note_id, Notification.status == "queued")
    won = db.session.execute(query.values(claimed_at=utcnow(), **CLAIMED), execution_options=UNSYNCED).rowcount
    db.session.commit()
    return won == 1


def claim_next(now):
    """Claim the next due message for this run, in one statement (committed), or ``None`` when
    none is left: ``UPDATE ... WHERE id = (SELECT the first due id [FOR UPDATE SKIP LOCKED]) AND
    status = 'queued' RETURNING id``. On PostgreSQL an overlapping run skips the row this one
    holds; on SQLite the write lock serialises the statements; on both the status condition lets
    only one run win."""
    candidate = due_query(now).limit(1)
    if db.session.get_bind().dialect.name == "postgresql":
        candidate = candidate.with_for_update(skip_locked=True)
    while True:
        query = update(Notification).where(Notification.id == candidate.scalar_subquery(), Notification.status == "queued")
        query = query.values(claimed_at=utcnow(), **CLAIMED).returning(Notification.id)
        note_id = db.session.execute(query, execution_options=UNSYNCED).scalar()
        db.session.commit()
        if note_id is not None:
            return db.session.get(Notification, note_id)
        if db.session.scalar(due_query(now).limit(1)) is None:  # none left (not only one taken meanwhile)
            db.session.commit()
            return None


def deliver(note, now, result):
    """Send one claimed message and record what happened (the caller commits)."""
    if reason := refusal(note.recipient, note.kind, note.channel):
        note.status, note.reason = "cancelled", reason
        result.cancelled += 1
        return
    try:
        sms_gateway().send(note) if note.channel == "sms" else send_email(note)
    except SEND_ERRORS as error:
        record_failure(note, error, now, result)
        return
    note.status, note.sent_at = "sent", utcnow()
    forget_link(note)
    result.sent += 1


def forget_link(note):
    """A sent message's single-use link (a password reset, a portal invitation) is not kept in
    the outbox: nobody reading the stored copy can use it."""
    kind = KINDS.get(note.kind)
    if kind is not None:
        note.body_text, note.body_html = kind.without_link(note.body_text), kind.without_link(note.body_html)


def record_failure(note, error, now, result):
    note.last_error = f"{type(error).__name__}: {error}"[:2000]
    result.errors.append(f"notification {note.id}: {note.last_error}")
    if note.attempts >= MAX_ATTEMPTS:
        note.status = "failed"
        result.failed += 1
    else:
        note.status, note.next_attempt_at = "queued", now + FIRST_RETRY * 2 ** (note.attempts - 1)
        result.retrying += 1


def send_due(now, result):
    while (note := claim_next(now)) is not None:
        try:
            deliver(note, now, result)
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - one message's bug must not stop the others
            db.session.rollback()
            give_up(note.id, error, result)


def give_up(note_id, error, result):
    """An unexpected error while sending: maybe sent, so never retried (at most once); recorded."""
    note = db.session.get(Notification, note_id)
    note.status, note.last_error = "failed", f"{type(error).__name__}: {error}"[:2000]
    result.failed += 1
    result.errors.append(f"notification {note_id}: {note.last_error}")
    db.session.commit()


def run_for_agency(agency_id, now=None, dry_run=False):
    """One agency's run: queue the reminders due, then send what is due (``now``: for tests)."""
    now = now or utcnow()
    with tenant_scope(agency_id, DECLARATION):
        agency = db.session.get(Agency, agency_id)
        result = RunResult(agency.code)
        result.queued = queue_reminders(agency, now.date(), dry_run)
        if dry_run:
            due = due_query(max(now, utcnow()))
            result.due = list(db.session.scalars(select(Notification.subject).where(Notification.id.in_(due))))
            db.session.rollback()
            return result
        db.session.commit()
        send_due(max(now, utcnow()), result)  # what was just queued is due too
    return result


def send_now(note_ids):
    """Send these just-committed messages at once (a page's notice): claimed like the job's, so
    a run of the job at the same moment cannot send them twice; a failure waits for the job."""
    now, result = utcnow(), RunResult("")
    for note_id in note_ids:
        if claim(note_id):
            deliver(db.session.get(Notification, note_id), now, result)
            db.session.commit()
    for error in result.errors:  # nobody is waiting on the page: the log says why it did not go
        current_app.logger.warning("sending at once failed, left to the sending job: %s", error)
    return result


def stuck_clause(now=None):
    """Claimed long ago and never marked: the run stopped mid-way, so the message may have gone."""
    return (Notification.status == "sending") & (Notification.claimed_at < (now or utcnow()) - STUCK_AFTER)


def stuck_messages(now=None):
    """Messages claimed long ago and never marked: maybe sent, so never sent again by the job."""
    return db.session.scalars(select(Notification).where(stuck_clause(now))).all()


def outbox_problems(now=None, limit=200):
    """What needs a person (the outbox page): stuck messages and those that failed for good,
    newest first."""
    query = select(Notification).where(stuck_clause(now) | (Notification.status == "failed"))
    return db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()


def resend(note, now=None):
    """A person asks for one more attempt: queued again, due now (a stuck message may then reach
    its recipient twice: the page says so). ``InvalidEntry`` for any other message."""
    if not is_problem(note, now):
        raise InvalidEntry("message", gettext("Only a failed or stuck message can be sent again."))
    note.status, note.next_attempt_at, note.claimed_at = "queued", utcnow(), None
    note.attempts = min(note.attempts, MAX_ATTEMPTS - 1)  # one more attempt, then failed again


def mark_sent(note, now=None):
    """A person confirmed that a stuck message did reach its recipient."""
    if note.status != "sending" or not is_problem(note, now):
        raise InvalidEntry("message", gettext("Only a stuck message can be marked as sent."))
    note.status, note.sent_at = "sent", note.claimed_at


def is_problem(note, now=None):
    """As ``outbox_problems`` selects, for one message already loaded."""
    stuck = note.status == "sending" and note.claimed_at is not None and note.claimed_at < (now or utcnow()) - STUCK_AFTER
    return stuck or note.status == "failed"
