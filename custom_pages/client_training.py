"""The client dashboard's *Training* tab: the training opportunities the client sees in the
portal; staff recommend one, edit what staff recommended, and record status and progress.
Who may change which field is the model's rule (``models/training.py``). Shown with the job
search tabs, or when the client has any training."""

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from custom_pages.client_jobs import job_tabs_shown
from extensions import db
from models.errors import InvalidEntry
from models.training import (
    CHOSEN_STATUSES,
    KINDS,
    TrainingOpportunity,
    add_training,
    clean_details,
    clean_percent,
    form_values,
    set_progress,
    trainings_of,
    update_details,
)

TRAINING_TABS = {"training": lazy_gettext("Training")}
TRAINING_RECORDS = (TrainingOpportunity,)


def training_tab_shown(tab, account, present):
    return tab in TRAINING_TABS or job_tabs_shown(tab, account, present) or present.any_of(TRAINING_RECORDS)


def training_tab_data(client, tab):
    if tab not in TRAINING_TABS:
        return {}
    rows = trainings_of(client)
    refused = g.get("training_refused")  # (row id or None, errors) of a refused save
    editing, errors = refused if refused else (False, {})
    return {
        "trainings": rows,
        "training_kinds": KINDS,
        "training_statuses": CHOSEN_STATUSES,
        "training_errors": errors,
        "training_editing": editing,
        "training_new": form_values(form=request.form) if refused and editing is None else form_values(),
        "training_values": {r.id: form_values(form=request.form) if editing == r.id else form_values(r) for r in rows},
    }


class ClientTrainingMixin:
    """On the client grid view: ``/admin/clients/<id>/training/...``."""

    def _training_row(self, client, training_id):
        query = select(TrainingOpportunity).where(
            TrainingOpportunity.id == training_id, TrainingOpportunity.client_id == client.id
        )
        row = db.session.scalar(query)
        if row is None:
            abort(404)
        return row

    def _to_training(self, client):
        return redirect(url_for(".dashboard", client_id=client.id, tab="training"))

    def _training_refused(self, client, row_id, error):
        db.session.rollback()
        g.training_refused = (row_id, {error.field: error.message})
        return self.dashboard(client.id), 400

    def _stale_training(self, row):
        if request.form.get("version", str(row.version)) == str(row.version):
            return False
        flash(gettext("This training was changed meanwhile (perhaps by the client). Check it and save again."), "error")
        return True

    @expose("/<int:client_id>/training/", methods=("POST",))
    def recommend_training(self, client_id):
        client = self.get_one(client_id)
        try:
            row = add_training(client, clean_details(request.form), staff=current_user)
            db.session.commit()
        except InvalidEntry as error:
            return self._training_refused(client, None, error)
        flash(gettext("Recommended: %(title)s. The client sees it in the portal.", title=row.title), "success")
        return self._to_training(client)

    @expose("/<int:client_id>/training/<int:training_id>/", methods=("POST",))
    def edit_training(self, client_id, training_id):
        client = self.get_one(client_id)
        row = self._training_row(client, training_id)
        if self._stale_training(row):
            return self._to_training(client)
        try:
            update_details(row, clean_details(request.form))
            db.session.commit()
        except InvalidEntry as error:
            return self._training_refused(client, row.id, error)
        flash(gettext("Saved: %(title)s.", title=row.title), "success")
        return self._to_training(client)

    @expose("/<int:client_id>/training/<int:training_id>/progress/", methods=("POST",))
    def training_progress(self, client_id, training_id):
        client = self.get_one(client_id)
        row = self._training_row(client, training_id)
        if self._stale_training(row):
            return self._to_training(client)
        try:
            set_progress(row, request.form.get("status", ""), clean_percent(request.form.get("progress_percent")))
            db.session.commit()
        except InvalidEntry as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return self._to_training(client)
        flash(gettext("%(title)s: %(status)s.", title=row.title, status=row.status_label), "success")
        return self._to_training(client)

    @expose("/<int:client_id>/training/<int:training_id>/remove/", methods=("POST",))
    def remove_training(self, client_id, training_id):
        client = self.get_one(client_id)
        db.session.delete(self._training_row(client, training_id))
        db.session.commit()
        flash(gettext("Removed."), "success")
        return self._to_training(client)
