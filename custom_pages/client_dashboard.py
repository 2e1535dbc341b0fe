"""The client dashboard at /admin/clients/<id>/: ribbon, actions and tabs.

A mixin of the client grid view (so the dashboard shares its URL prefix and its scoped
``get_one``). Every action loads the client through ``get_one``: another agency's client is 404.
"""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import force_locale, gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from custom_pages.client_audit import DASHBOARD_VIEW, audit_tab_data
from custom_pages.client_documents import DOCUMENT_RECORDS, DOCUMENT_TABS, document_tab_data, document_tabs_shown
from custom_pages.client_eap import EAP_TABS, cams_data, eap_tab_data
from custom_pages.client_forms import FileForm, NoCsrfForm, NoteForm
from custom_pages.client_jobs import JOB_RECORDS, JOB_TABS, job_tab_data, job_tabs_shown
from custom_pages.client_merge import merge_panel
from custom_pages.client_portal import portal_actions_data, portal_tab_data
from custom_pages.client_print import client_language
from custom_pages.client_privacy import privacy_tab_data
from custom_pages.client_training import TRAINING_RECORDS, TRAINING_TABS, training_tab_data, training_tab_shown
from custom_pages.lookup_fields import LookupSelectMultipleField, kept_staff
from custom_pages.notifications import notifications_tab_data
from custom_pages.plans import plan_tab_data
from custom_pages.referrals import referrals_tab_data
from extensions import db
from models import client_records
from models.audit import record_event
from models.base import commit_keeping_loaded, utcnow
from models.client_merges import active_merge_into
from models.client_profile import as_text, summary
from models.client_records import Present, family_members, hidden_session_count, live_rows, service_history
from models.clients import CaseNote, ClientFile, SafetyFlag, assign_staff, record_activity
from models.visibility import require_change, restricted_about

TABS = {
    "overview": lazy_gettext("Overview"),
    "notes": lazy_gettext("Case notes"),
    "history": lazy_gettext("Service history"),
    "files": lazy_gettext("Files"),
    "family": lazy_gettext("Family"),
    "referrals": lazy_gettext("Referrals and tasks"),
    "plan": lazy_gettext("Plan"),
    "privacy": lazy_gettext("Privacy and consent"),
    "notifications": lazy_gettext("Notifications"),
    "portal": lazy_gettext("Client portal"),
    **JOB_TABS,
    **DOCUMENT_TABS,
    **TRAINING_TABS,
    **EAP_TABS,
    "audit": lazy_gettext("Who viewed or changed"),
}
# The tabs shown only when the client has something of theirs (or on them), with what they look for.
CAREER_TABS = ((JOB_TABS, job_tabs_shown), (DOCUMENT_TABS, document_tabs_shown), (TRAINING_TABS, training_tab_shown))
CAREER_RECORDS = JOB_RECORDS + DOCUMENT_RECORDS + TRAINING_RECORDS


class AssignForm(NoCsrfForm):
    staff = LookupSelectMultipleField(lazy_gettext("Assigned staff"), kind="staff")

    def for_client(self, client):
        """The client's assigned staff stay choosable even once inactive."""
        self.staff.keep(kept_staff(a.staff for a in client.assignments))
        return self


class FlagForm(NoCsrfForm):
    reason = TextAreaField(
        lazy_gettext("Reason"),
        validators=[DataRequired(message=lazy_gettext("Say why this client needs care.")), Length(max=2000)],
    )


def shown_tabs(client, tab, account):
    """The dashboard's tabs: the career ones (``CAREER_TABS``) when their rule says so, asking
    at most one statement of the client's records, and only if the tab and ``account`` (the
    client's portal account) leave it open."""
    present = Present(client, CAREER_RECORDS)
    hidden = {key for keys, shown in CAREER_TABS if not shown(tab, account, present) for key in keys}
    return {key: label for key, label in TABS.items() if key not in hidden}


def live_row(model, client, row_id):
    """A live note or file of this client; on a POST also one the viewer may change."""
    row = client_records.live_row(model, client, row_id)
    if request.method == "POST":
        require_change(row)  # seen through break-glass: read-only
    return row


class ClientDashboardMixin:
    @expose("/<int:client_id>/")
    def dashboard(self, client_id):
        client = self.get_one(client_id)
        tab = request.args.get("tab") if request.args.get("tab") in TABS else "overview"
        record_activity(client, current_user, "viewed")
        with force_locale("en"):  # the audit trail keeps English details (labelled at display)
            detail = f"{DASHBOARD_VIEW}{TABS[tab]}"
        record_event("view", "client", client.id, client.id, detail=detail)
        try:
            commit_keeping_loaded()  # the page shows the client and assignments already read
        except IntegrityError:  # two first views at once: the other request recorded it
            db.session.rollback()
        return self._dashboard_page(client, tab)

    def _dashboard_page(self, client, tab, **forms):
        """The dashboard at ``tab``; ``forms`` replace the tab's own (a refused form, as typed)."""
        data = {**self._tab_data(client, tab), **merge_panel(client), **forms}
        tabs = shown_tabs(client, tab, data["portal_account"])
        data["print_language"] = client_language(client) if client.official_language else None  # marked on its print buttons
        return self.render("admin/clients/dashboard.html", client=client, tab=tab, tabs=tabs, **data)

    def _tab_data(self, client, tab):
        assign = AssignForm().for_client(client)
        assign.staff.data = [str(a.staff_id) for a in client.assignments]
        data = {"assign_form": assign, "flag_form": FlagForm(), "family": family_members(client) if tab == "family" else []}
        if tab == "overview":
            data["profile"] = [(title, [(label, as_text(v)) for label, v in lines]) for title, lines in summary(client)]
        if tab == "notes":
            data["notes"] = live_rows(CaseNote, client)
            data["restricted"] = restricted_about(CaseNote, client.id)
            data["note_form"] = NoteForm().with_programs()
        if tab == "privacy":
            data.update(privacy_tab_data(client))
        if tab == "referrals":
            data.update(referrals_tab_data(client))
        if tab == "notifications":
            data.update(notifications_tab_data(client))
        if tab == "plan":
            data["plan_tab"] = plan_tab_data(client)
        data.update(portal_tab_data(client) if tab == "portal" else portal_actions_data(client))
        data.update(job_tab_data(client, tab))
        data.update(document_tab_data(client, tab))
        data.update(training_tab_data(client, tab))
        data.update(eap_tab_data(client, tab))
        data.update(cams_data(client))
        if tab == "history":
            data["history"] = service_history(client)
            data["hidden_sessions"] = hidden_session_count(client)
        if tab == "audit":
            data.update(audit_tab_data(client, TABS))
        if tab == "files":
            data["restricted"] = restricted_about(ClientFile, client.id)
            data["file_form"] = FileForm().with_programs()
            data["files"] = live_rows(ClientFile, client)
            data["upload_limit_mb"] = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
        return data

    def _back(self, client, tab="overview"):
        return redirect(url_for(".dashboard", client_id=client.id, tab=tab))

    @expose("/<int:client_id>/assign/", methods=("POST",))
    def assign(self, client_id):
        client = self.get_one(client_id)
        form = AssignForm().for_client(client)
        if form.validate():
            assign_staff(client, form.staff.data, by=current_user)
            db.session.commit()
            flash(gettext("Assignments saved."), "success")
        else:
            flash(gettext("Choose staff members of your agency."), "error")
        return self._back(client)

    @expose("/<int:client_id>/unassign/<int:staff_id>/", methods=("POST",))
    def unassign(self, client_id, staff_id):
        client = self.get_one(client_id)
        if staff_id not in {a.staff_id for a in client.assignments}:
            abort(404)
        assign_staff(client, [a.staff_id for a in client.assignments if a.staff_id != staff_id], by=current_user)
        db.session.commit()
        flash(gettext("Assignment removed."), "success")
        return self._back(client)

    @expose("/<int:client_id>/flag/", methods=("POST",))
    def flag(self, client_id):
        client = self.get_one(client_id)
        form = FlagForm()
        if form.validate():
            client.safety_flags.append(SafetyFlag(reason=form.reason.data.strip(), flagged_by_id=current_user.id))
            db.session.commit()
            flash(gettext("Safety flag added."), "success")
        else:
            flash(" ".join(map(str, form.reason.errors)), "error")
        return self._back(client)

    @expose("/<int:client_id>/flags/<int:flag_id>/clear/", methods=("POST",))
    def clear_flag(self, client_id, flag_id):
        client = self.get_one(client_id)
        flag = next((f for f in client.active_safety_flags if f.id == flag_id), None)
        if flag is None:
            abort(404)
        flag.cleared_at, flag.cleared_by_id = utcnow(), current_user.id
        db.session.commit()
        flash(gettext("Safety flag cleared."), "success")
        return self._back(client)

    @expose("/<int:client_id>/archive/", methods=("POST",))
    def archive(self, client_id):
        client = self.get_one(client_id)
        if active_merge_into(client.id) is not None:
            flash(gettext("This profile was merged into another: undo the merge to use it again."), "error")
            return self._back(client)
        client.is_archived = request.form.get("archived") == "1"
        db.session.commit()
        flash(
            gettext("Client archived: hidden from lists and search unless the Archived filter is on.")
            if client.is_archived
            else gettext("Client restored to lists and search."),
            "success",
        )
        return self._back(client)
