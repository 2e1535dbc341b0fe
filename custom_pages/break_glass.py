"""Break-glass: open a record the program or Private rules hide, after giving a reason.

A request for a hidden record raises ``RecordRestricted`` (models/visibility.py), answered here
with a 403 page that names the kind of record, its owner and client, never its content, and
asks for a reason. Giving one grants this staff member the record for ``GRANT_MINUTES``,
writes an audit event, and e-mails the record's owner and the owner's coordinator (who also
see it on their home page).
"""

from flask import current_app, flash, redirect, render_template, url_for
from flask_admin import expose
from flask_babel import force_locale, gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from admin_views.base import ProjectView
from custom_pages.client_forms import NoCsrfForm
from extensions import db
from models.agencies import Program
from models.audit import record_event
from models.break_glass import GRANT_MINUTES, RECORD_TYPES, BreakGlassGrant, notice_key, openings_seen_by
from models.clients import Client
from models.notification_sending import send_now
from models.notifications import language_of, queue_message
from models.staff import Staff
from models.visibility import (
    RecordRestricted,
    can_see,
    current_viewer,
    forget_viewer,
    people_of,
    rule_for_type,
    skip_visibility_options,
)


class ReasonForm(NoCsrfForm):
    reason = TextAreaField(
        lazy_gettext("Why do you need to open this record?"),
        validators=[
            DataRequired(message=lazy_gettext("Give the reason: it is recorded and sent to the record's owner.")),
            Length(min=10, max=1000, message=lazy_gettext("Give the reason in 10 to 1000 characters.")),
        ],
        filters=[lambda text: text.strip() if text else text],  # spaces do not make a reason
    )


def record_facts(record_type, record_id):
    """What may be said about a hidden record without opening it (tenancy applies): ``None``
    when there is no such record in the agency."""
    if record_type not in RECORD_TYPES:
        return None
    cls, rule = rule_for_type(record_type)
    owner = getattr(cls, rule.owner_columns[0])
    columns = [cls.id, owner.label("owner_id"), cls.program_id]
    columns.append(getattr(cls, rule.private_column).label("is_private") if rule.private_column else db.literal(False))
    columns.append(cls.client_id if hasattr(cls, "client_id") else db.literal(None).label("client_id"))
    columns.append(cls.session_id if hasattr(cls, "session_id") else db.literal(None).label("session_id"))
    query = select(*columns).where(cls.id == record_id).execution_options(**skip_visibility_options)
    row = db.session.execute(query).first()
    if row is None:
        return None
    facts = dict(row._mapping)
    facts.update(record_type=record_type, label=RECORD_TYPES[record_type])
    facts["owner"] = db.session.get(Staff, facts["owner_id"]) if facts["owner_id"] else None
    facts["client"] = db.session.get(Client, facts["client_id"]) if facts["client_id"] else None
    facts["program"] = db.session.get(Program, facts["program_id"]) if facts["program_id"] else None
    return facts


def record_url(facts):
    kind, record_id = facts["record_type"], facts["id"]
    if kind == "service_form":
        return url_for("sessions.service_form", session_id=facts["session_id"], form_id=record_id)
    if kind == "service_session":
        return url_for("sessions.edit_view", id=record_id)
    tab = "notes" if kind == "case_note" else "files"
    return url_for("clients.dashboard", client_id=facts["client_id"], tab=tab, _anchor=f"{kind}-{record_id}")


def people_to_tell(owner):
    """The owner and the owner's coordinator, without the person opening the record."""
    people = [owner, owner.manager] if owner else []
    return [p for p in people if p is not None and p.id != current_user.id and p.is_active]


def queue_notices(facts, grant):
    """Tell the owner and their coordinator through the outbox, in the grant's transaction;
    returns the ids to send once it is committed."""
    client = facts["client"].display_name if facts["client"] else ""  # each language's template says "no client"
    context = {
        "agency_name": current_user.agency.name,
        "opener_name": current_user.name,
        "record_label": facts["label"],
        "client_name": client,
        "opened_at": f"{grant.granted_at:%Y-%m-%d %H:%M}",
        "reason": grant.reason,
        "minutes": GRANT_MINUTES,
    }
    people = people_to_tell(facts["owner"])
    notes = [
        queue_message(person, "break_glass", in_language_of(person, context, facts), notice_key(grant, person))
        for person in people
    ]
    return [note.id for note in notes if note is not None]


def in_language_of(person, context, facts):
    """The context with the record's kind named in the recipient's language."""
    with force_locale(language_of(person)):
        return {**context, "record_label": str(RECORD_TYPES[facts["record_type"]])}


def opened_message(facts):
    if facts["owner"]:
        owner = facts["owner"].name
        return gettext(
            "Opened for %(minutes)s minutes. %(owner)s and their coordinator have been told.", minutes=GRANT_MINUTES, owner=owner
        )
    return gettext("Opened for %(minutes)s minutes. The owner and their coordinator have been told.", minutes=GRANT_MINUTES)


def openings_for(viewer):
    return openings_seen_by(viewer.staff_id, people_of(viewer), everything=viewer.role == "agency_admin")


class BreakGlassView(ProjectView):
    """Not in the menu: reached from "Restricted" rows and from the 403 page of a hidden record."""

    def is_visible(self):
        return False

    @expose("/")
    def index(self):
        """Break-glass openings by me or of my (or my team's) records; agency admins: all."""
        return self.render("admin/break_glass_log.html", grants=openings_for(current_viewer()))

    def restricted_page(self, error):
        """The 403 answer to a request for a hidden record."""
        facts = record_facts(error.record_type, error.record_id)
        if facts is None:
            return render_template(
                "error.html", code=404, title=gettext("Not found"), message=gettext("There is no such record.")
            ), 404
        return self.render("admin/break_glass.html", facts=facts, form=ReasonForm()), 403

    @expose("/<record_type>/<int:record_id>/", methods=("GET", "POST"))
    def open_record(self, record_type, record_id):
        facts = record_facts(record_type, record_id)
        if facts is None:
            return render_template(
                "error.html", code=404, title=gettext("Not found"), message=gettext("There is no such record.")
            ), 404
        cls, _ = rule_for_type(record_type)
        if can_see(cls, record_id):
            return redirect(record_url(facts))
        form = ReasonForm()
        if not form.validate_on_submit():
            return self.render("admin/break_glass.html", facts=facts, form=form), 403
        grant = self._grant(facts, form.reason.data.strip())
        forget_viewer()
        if facts["session_id"]:  # a form's page needs its session: open that too, under the same reason
            session_facts = record_facts("service_session", facts["session_id"])
            if session_facts and not can_see(rule_for_type("service_session")[0], facts["session_id"]):
                self._grant(session_facts, grant.reason)
        notices = queue_notices(facts, grant)
        db.session.commit()
        send_now(notices)  # a failure stays queued: the sending job retries it
        flash(opened_message(facts), "warning")
        return redirect(record_url(facts))

    def _grant(self, facts, reason):
        grant = BreakGlassGrant(
            staff_id=current_user.id,
            record_type=facts["record_type"],
            record_id=facts["id"],
            owner_id=facts["owner_id"],
            client_id=facts["client_id"],
            reason=reason,
        )
        db.session.add(grant)
        record_event("break_glass", facts["record_type"], facts["id"], facts["client_id"], detail=reason)
        db.session.flush()
        return grant


def register(app, view):
    """Answer ``RecordRestricted`` anywhere with the break-glass page (status 403)."""

    def handle(error):
        if not isinstance(error, RecordRestricted):
            raise error
        current_app.logger.info("restricted %s %s for staff %s", error.record_type, error.record_id, current_user.id)
        return view.restricted_page(error)

    app.register_error_handler(RecordRestricted, handle)
