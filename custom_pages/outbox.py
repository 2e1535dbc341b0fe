"""The agency admin's "Messages not sent" page: messages that failed for good and messages a
stopped run left "sending" (maybe sent: the job never sends them again by itself). A person
checks with the recipient, then sends one again or marks it as sent."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext

from admin_views.base import ProjectView, is_id
from extensions import db
from models.audit import record_event
from models.errors import InvalidEntry
from models.notification_sending import MAX_ATTEMPTS, STUCK_AFTER, mark_sent, outbox_problems, resend
from models.notifications import Notification

# The outbox is not in the audit trail (it is its own log); a person's choice on it is.
ACTIONS = {"resend": (resend, "sent again by a person"), "mark_sent": (mark_sent, "marked as sent by a person")}


def posted_message():
    """The posted message of this agency, or ``None`` (unknown, foreign or malformed id)."""
    value = request.form.get("message_id", "")
    return db.session.get(Notification, int(value)) if is_id(value) else None


class OutboxView(ProjectView):
    required_roles = ("agency_admin",)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if request.method == "POST":
            self.act(posted_message(), request.form.get("action"))
            return redirect(url_for(".index"))
        stuck_hours = int(STUCK_AFTER.total_seconds() // 3600)
        return self.render(
            "admin/notifications/outbox.html", messages=outbox_problems(), stuck_hours=stuck_hours, max_attempts=MAX_ATTEMPTS
        )

    def act(self, note, action):
        if note is None or action not in ACTIONS:
            flash(gettext("Choose a message and what to do with it."), "error")
            return
        before = note.status
        change, detail = ACTIONS[action]
        try:
            change(note)
        except InvalidEntry as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
            return
        record_event("update", "notification", note.id, note.client_id, detail=detail, changes={"status": [before, note.status]})
        db.session.commit()
        flash(gettext("Queued to be sent again.") if action == "resend" else gettext("Marked as sent."), "success")
