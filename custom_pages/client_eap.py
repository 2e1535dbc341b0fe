"""The client dashboard's *Employment Action Plan* tab and the client's CaMS number: staff
enter a plan (case details, employment goal, sub-goals, items, outcomes) or import plans from a
CSV export (``custom_pages/eap_import.py``); the client reads the same in the portal. The CaMS
number is added, changed or removed here (audited as every row write is)."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from extensions import db
from models.cams import cams_of, remove_cams, set_cams
from models.eap import (
    ITEM_STATUSES,
    OUTCOME_TYPES,
    PARTS,
    PLAN_STATUSES,
    EmploymentActionPlan,
    add_part,
    case_values,
    find_part,
    part_values,
    plans_of,
    save_plan,
)
from models.errors import InvalidEntry

EAP_TABS = {"eap": lazy_gettext("Employment Action Plan")}
FIELD_LABELS = {
    "cams_number": lazy_gettext("CaMS number"),
    "case_number": lazy_gettext("CaMS case number"),
    "start_date": lazy_gettext("Start date"),
    "status": lazy_gettext("Status"),
    "employment_goal": lazy_gettext("Employment goal"),
    "description": lazy_gettext("Description"),
    "target_date": lazy_gettext("Target date"),
    "item_status": lazy_gettext("Item status"),
    "outcome_type": lazy_gettext("Outcome type"),
    "outcome_date": lazy_gettext("Outcome date"),
    "record": lazy_gettext("Record"),
}


def cams_data(client):
    """What the dashboard's ribbon shows on every tab."""
    return {"cams": cams_of(client)}


def eap_tab_data(client, tab):
    if tab not in EAP_TABS:
        return {}
    return {
        "eap_plans": plans_of(client, with_parts=True),
        "eap_statuses": PLAN_STATUSES,
        "eap_item_statuses": ITEM_STATUSES,
        "eap_outcome_types": OUTCOME_TYPES,
    }


def refusal(error):
    label = FIELD_LABELS.get(error.field, error.field)
    return gettext("%(field)s: %(message)s", field=label, message=error.message)


class ClientEapMixin:
    """On the client grid view: ``/admin/clients/<id>/eap/...`` and ``/cams/``."""

    def _to_eap(self, client):
        return redirect(url_for(".dashboard", client_id=client.id, tab="eap"))

    def _eap_save(self, client, action, done):
        try:
            action()
            db.session.commit()
            flash(done, "success")
        except InvalidEntry as error:
            db.session.rollback()
            flash(refusal(error), "error")
        return self._to_eap(client)

    def _plan(self, client, eap_id):
        query = select(EmploymentActionPlan).where(EmploymentActionPlan.id == eap_id, EmploymentActionPlan.client_id == client.id)
        plan = db.session.scalar(query)
        if plan is None:
            abort(404)
        return plan

    @expose("/<int:client_id>/cams/", methods=("POST",))
    def set_cams_number(self, client_id):
        client = self.get_one(client_id)
        number = request.form.get("cams_number", "")
        return self._eap_save(client, lambda: set_cams(client, number, current_user), gettext("CaMS number saved."))

    @expose("/<int:client_id>/cams/remove/", methods=("POST",))
    def remove_cams_number(self, client_id):
        client = self.get_one(client_id)
        if not remove_cams(client):
            flash(gettext("This client has no CaMS number."), "info")
            return self._to_eap(client)
        db.session.commit()
        flash(gettext("CaMS number removed."), "success")
        return self._to_eap(client)

    @expose("/<int:client_id>/eap/", methods=("POST",))
    def new_eap(self, client_id):
        client = self.get_one(client_id)
        return self._eap_save(client, lambda: save_plan(client, case_values(request.form)), gettext("Plan saved."))

    @expose("/<int:client_id>/eap/<int:eap_id>/", methods=("POST",))
    def edit_eap(self, client_id, eap_id):
        client = self.get_one(client_id)
        plan = self._plan(client, eap_id)
        if request.form.get("version") != str(plan.version):
            flash(gettext("This plan was changed meanwhile (perhaps by an import). Check it and save again."), "error")
            return self._to_eap(client)
        return self._eap_save(client, lambda: save_plan(client, case_values(request.form), plan), gettext("Plan saved."))

    @expose("/<int:client_id>/eap/<int:eap_id>/add/", methods=("POST",))
    def add_eap_part(self, client_id, eap_id):
        client = self.get_one(client_id)
        plan = self._plan(client, eap_id)
        record = request.form.get("record", "")
        if record not in PARTS:
            abort(400)
        return self._eap_save(client, lambda: add_part(plan, record, part_values(record, request.form)), gettext("Added."))

    @expose("/<int:client_id>/eap/<int:eap_id>/entry/", methods=("POST",))
    def change_eap_part(self, client_id, eap_id):
        """Remove a sub-goal, item or outcome, or change an item's status (``entry``: ``item-5``)."""
        client = self.get_one(client_id)
        plan = self._plan(client, eap_id)
        row = find_part(plan, request.form.get("entry"))
        if row is None:
            abort(404)
        if request.form.get("action") == "remove":
            db.session.delete(row)
            db.session.commit()
            flash(gettext("Removed."), "success")
            return self._to_eap(client)
        status = request.form.get("item_status", "")
        if not hasattr(row, "status") or status not in ITEM_STATUSES:
            flash(gettext("Choose a status of the list."), "error")
            return self._to_eap(client)
        row.status = status
        db.session.commit()
        flash(gettext("Saved."), "success")
        return self._to_eap(client)
