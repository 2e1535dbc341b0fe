"""Reminder sources: what is due, per agency and day, for the sending job to queue.

A source is one function ``source(agency, today)`` yielding ``Reminder``s (recipient, kind,
context, dedupe key); ``SOURCES`` lists them. The job runs every source for every agency under
``tenant_scope(agency.id, DECLARATION)`` and queues each reminder once (its dedupe key is unique
per agency), so a source only says what is due and may repeat itself every run. A new source:
its message kind in ``models/message_templates.KINDS`` (with its default files), one function
here and one line in ``SOURCES`` (docs/NOTIFICATIONS.md).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import LazyString
from sqlalchemy import select

from extensions import db
from models.completeness import incomplete_sessions
from models.plan_monitoring import follow_ups_due
from models.referrals import need_label, referrals_ended_since, referrals_follow_up_due
from models.service_sessions import ServiceSession, SessionClient
from models.staff import Staff
from models.tasks import PRIORITIES, tasks_due

LOOKBACK_DAYS = 30  # a session incomplete for longer than its reminder delay plus this is not reminded
REFERRAL_REMINDER_DAYS = 2  # the client is reminded of a referral this many days before its follow-up


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
            "session_type": session.type_label,  # lazy: in the recipient's language
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
            "session_type": session.type_label,  # lazy: in the recipient's language
            "staff_name": session.lead_staff.name,
        }
        key = f"appointment_reminder:{session.id}:{client.id}"
        yield Reminder(client, "appointment_reminder", context, key, sender=session.lead_staff)


def staff_tasks_due(agency, today):
    """Staff: an open task given to them that is due today or overdue (by at most
    ``LOOKBACK_DAYS``); once per task and due date (moving the due date reminds again). Client
    tasks are for the portal, not for email."""
    for task in tasks_due(today, since=today - timedelta(days=LOOKBACK_DAYS), assignee_kind="staff"):
        if task.assigned_to is None:
            continue
        context = {
            "task_title": task.title,
            "due_date": task.due_date.isoformat(),
            "priority": PRIORITIES.get(task.priority, task.priority),
            "client_name": task.client.display_name if task.client else "",
            "task_url": site_url(f"/admin/tasks/edit/?id={task.id}"),
        }
        yield Reminder(task.assigned_to, "task_due", context, f"task_due:{task.id}:{task.due_date.isoformat()}")


def referral_follow_ups_due(agency, today):
    """Staff: an open referral they made whose follow-up date has come (at most ``LOOKBACK_DAYS``
    ago); once per referral and follow-up date. Needs ``referral`` in the job's declaration to see program referrals."""
    for referral in referrals_follow_up_due(today, since=today - timedelta(days=LOOKBACK_DAYS)):
        context = {
            "client_name": referral.client.display_name,
            "need": lazy_need_label(referral),
            "partner": referral.target_name,
            "referral_date": referral.referral_date.isoformat(),
            "follow_up_date": referral.follow_up_date.isoformat(),
            "referral_url": site_url(f"/admin/referrals/edit/?id={referral.id}"),
        }
        key = f"referral_follow_up:{referral.id}:{referral.follow_up_date.isoformat()}"
        yield Reminder(referral.referring_staff, "referral_follow_up", context, key)


def referral_reminders_due(agency, today):
    """Clients: an open referral whose follow-up is in ``REFERRAL_REMINDER_DAYS`` days: who they
    were referred to and how to reach them; once per referral and follow-up date, from the
    referring worker's reply-to address."""
    for referral in referrals_follow_up_due(today + timedelta(days=REFERRAL_REMINDER_DAYS), since=today + timedelta(days=1)):
        context = {
            **referral_context(referral),
            "partner_contact": partner_contact(referral),
            "referral_date": referral.referral_date.isoformat(),
            "follow_up_date": referral.follow_up_date.isoformat(),
        }
        key = f"referral_reminder:{referral.id}:{referral.follow_up_date.isoformat()}"
        yield Reminder(referral.client, "referral_reminder", context, key, sender=referral.referring_staff)


def follow_up_surveys_due(agency, today):
    """Clients: the agency's follow-up survey link once a referral is attended or closed (in the
    last ``LOOKBACK_DAYS``); once per referral. None when the agency set no survey link."""
    if not agency.follow_up_survey_url:
        return
    for referral in referrals_ended_since(datetime.combine(today - timedelta(days=LOOKBACK_DAYS), time())):
        context = {**referral_context(referral), "survey_url": agency.follow_up_survey_url}
        yield Reminder(
            referral.client, "follow_up_survey", context, f"follow_up_survey:{referral.id}", sender=referral.referring_staff
        )


def plan_follow_ups_due(agency, today):
    """Staff: an active settlement plan of theirs whose next follow-up has come (at most
    ``LOOKBACK_DAYS`` ago); once per plan and follow-up date (a new follow-up date reminds again)."""
    for plan in follow_ups_due(today, since=today - timedelta(days=LOOKBACK_DAYS)):
        context = {
            "client_name": plan.client.display_name,
            "follow_up_date": plan.next_follow_up_date.isoformat(),
            "plan_start_date": plan.start_date.isoformat(),
            "plan_url": site_url(f"/admin/clients/{plan.client_id}/plan/"),
        }
        yield Reminder(plan.worker, "plan_follow_up", context, f"plan_follow_up:{plan.id}:{plan.next_follow_up_date.isoformat()}")


def lazy_need_label(referral):
    """The referral's need area, written when the message is (in its recipient's language)."""
    return LazyString(need_label, referral.need_area)


def referral_context(referral):
    return {
        "client_name": referral.client.display_name,
        "partner": referral.target_name,
        "need": lazy_need_label(referral),
        "staff_name": referral.referring_staff.name,
    }


def partner_contact(referral):
    partner = referral.partner
    if partner is None:
        return ""
    return " · ".join(part for part in (partner.contact_name, partner.phone, partner.email, partner.address) if part)


SOURCES = (
    incomplete_sessions_due,
    appointments_due,
    staff_tasks_due,
    referral_follow_ups_due,
    referral_reminders_due,
    follow_up_surveys_due,
    plan_follow_ups_due,
)


def due_reminders(agency, today):
    for source in SOURCES:
        yield from source(agency, today)
