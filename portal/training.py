"""The client's Training page: opportunities their caseworker recommended and those they found
themselves; the client accepts a recommendation, adds their own, and keeps status and progress.
Who may change what is the model's rule (``models/training.py``); every row is the signed-in
client's own (another client's id is a 404)."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext

from extensions import db
from models.errors import InvalidEntry
from models.training import (
    CHOSEN_STATUSES,
    KINDS,
    TrainingOpportunity,
    accept,
    add_training,
    clean_details,
    clean_percent,
    form_values,
    set_progress,
    trainings_of,
    update_details,
)
from portal.blueprint import bp, portal_page
from portal.jobs import own_row


def training_page(errors=None, status=200, editing=None):
    rows = trainings_of(g.portal_client)
    page = render_template(
        "portal/training.html",
        rows=rows,
        kinds=KINDS,
        statuses=CHOSEN_STATUSES,
        errors=errors or {},
        new_values=form_values(form=request.form) if errors and editing is None else form_values(),
        edit_values={row.id: form_values(form=request.form) if editing == row.id else form_values(row) for row in rows},
        editing=editing,
    )
    return page, status


def stale(row):
    """Whether the form was loaded at another version of the row (someone saved meanwhile)."""
    if request.form.get("version", str(row.version)) == str(row.version):
        return False
    flash(gettext("This training was changed meanwhile (perhaps by your caseworker). Check it and save again."), "error")
    return True


@bp.route("/training", methods=("GET", "POST"))
@portal_page
def training():
    if request.method == "GET":
        return training_page()
    try:
        row = add_training(g.portal_client, clean_details(request.form))
        db.session.commit()
    except InvalidEntry as error:
        db.session.rollback()
        return training_page({error.field: error.message}, 400)
    flash(gettext("Added to your training: %(title)s.", title=row.title), "success")
    return redirect(url_for("portal.training"))


@bp.route("/training/<int:training_id>/accept", methods=("POST",))
@portal_page
def accept_training(training_id):
    row = own_row(TrainingOpportunity, training_id)
    accept(row)
    db.session.commit()
    flash(gettext("%(title)s: %(status)s.", title=row.title, status=row.status_label), "success")
    return redirect(url_for("portal.training"))


@bp.route("/training/<int:training_id>/progress", methods=("POST",))
@portal_page
def training_progress(training_id):
    row = own_row(TrainingOpportunity, training_id)
    if stale(row):
        return redirect(url_for("portal.training"))
    try:
        set_progress(row, request.form.get("status", ""), clean_percent(request.form.get("progress_percent")))
        db.session.commit()
    except InvalidEntry as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("portal.training"))
    flash(
        gettext("%(title)s: %(status)s, %(percent)s%%.", title=row.title, status=row.status_label, percent=row.progress_percent),
        "success",
    )
    return redirect(url_for("portal.training"))


@bp.route("/training/<int:training_id>/edit", methods=("POST",))
@portal_page
def edit_training(training_id):
    """The details of a training the client added (a recommendation's are the caseworker's:
    the model refuses, 403)."""
    row = own_row(TrainingOpportunity, training_id)
    if stale(row):
        return redirect(url_for("portal.training"))
    try:
        update_details(row, clean_details(request.form))
        db.session.commit()
    except InvalidEntry as error:
        db.session.rollback()
        return training_page({error.field: error.message}, 400, editing=training_id)
    flash(gettext("Saved: %(title)s.", title=row.title), "success")
    return redirect(url_for("portal.training"))


@bp.route("/training/<int:training_id>/remove", methods=("POST",))
@portal_page
def remove_training(training_id):
    db.session.delete(own_row(TrainingOpportunity, training_id))
    db.session.commit()
    flash(gettext("Removed."), "success")
    return redirect(url_for("portal.training"))
