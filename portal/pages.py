"""The client's own pages: Overview, My details (contact and communication preferences) and
My tasks. Every query runs as the signed-in client (``portal/blueprint.py``): the central rules
show their own rows only, so a page asked for another client's task finds nothing (404)."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

import validation
from custom_pages.notifications import opt_out_choices
from extensions import db
from models.base import utcnow
from models.message_templates import kinds_for
from models.notifications import set_opt_outs
from models.tasks import OPEN_TASK_STATUSES, TASK_STATUSES, Task
from portal.blueprint import bp, portal_page
from portal.files import visible_files

MENU = (
    ("portal.overview", lazy_gettext("Overview")),
    ("portal.details", lazy_gettext("My details")),
    ("portal.plan", lazy_gettext("My plan")),
    ("portal.tasks", lazy_gettext("My tasks")),
    ("portal.files", lazy_gettext("My files")),
    ("portal.job_board", lazy_gettext("Job Board")),
    ("portal.job_feed", lazy_gettext("My Jobs Feed")),
    ("portal.job_leads", lazy_gettext("Job Leads")),
    ("portal.following", lazy_gettext("Following")),
    ("portal.skills", lazy_gettext("Skills")),
    ("portal.resumes", lazy_gettext("Resumes")),
    ("portal.cover_letters", lazy_gettext("Cover Letters")),
    ("portal.training", lazy_gettext("Training")),
    ("portal.eap", lazy_gettext("Employment Action Plan")),
)
CONTACT_FIELDS = ("phone", "unit", "street_no", "street_name", "city", "province", "postal_code")


@bp.app_context_processor
def portal_menu():
    return {"portal_menu": MENU}


class ContactForm(FlaskForm):
    version = HiddenField()
    phone = StringField(lazy_gettext("Phone"), validators=[Optional(), Length(max=30), validation.phone])
    unit = StringField(lazy_gettext("Unit"), validators=[Optional(), Length(max=20)])
    street_no = StringField(lazy_gettext("Street number"), validators=[Optional(), Length(max=20)])
    street_name = StringField(lazy_gettext("Street name"), validators=[Optional(), Length(max=100)])
    city = StringField(lazy_gettext("City"), validators=[Optional(), Length(max=100)])
    province = StringField(lazy_gettext("Province"), validators=[Optional(), Length(max=50)])
    postal_code = StringField(lazy_gettext("Postal code"), validators=[Optional(), Length(max=7), validation.postal_code])


def my_tasks(open_only=False):
    query = select(Task).where(Task.client_id == g.portal_client.id, Task.assignee_kind == "client")
    if open_only:
        query = query.where(Task.status.in_(OPEN_TASK_STATUSES))
    return db.session.scalars(query.order_by(Task.status.in_(OPEN_TASK_STATUSES).desc(), Task.due_date, Task.id)).all()


def recent_activity(limit=10):
    """What changed lately for the client: their tasks and files, newest first."""
    items = [(task.updated_at, gettext("Task"), task.title) for task in my_tasks()]
    items += [(row.at, gettext("File"), row.name) for row in visible_files()]
    return sorted(items, key=lambda item: item[0], reverse=True)[:limit]


@bp.route("/overview")
@portal_page
def overview():
    client = g.portal_client
    return render_template(
        "portal/overview.html",
        client=client,
        caseworkers=client.assigned_staff,
        open_tasks=my_tasks(open_only=True),
        activity=recent_activity(),
    )


@bp.route("/details", methods=("GET", "POST"))
@portal_page
def details():
    """My contact details and which messages I receive."""
    client = g.portal_client
    form = ContactForm(obj=client if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(client.version)
    if form.validate_on_submit():
        if form.version.data != str(client.version):
            flash(
                gettext("Your details were changed meanwhile (perhaps by your caseworker). Check them and save again."), "error"
            )
            return redirect(url_for("portal.details"))
        for name in CONTACT_FIELDS:
            setattr(client, name, (getattr(form, name).data or "").strip() or None)
        db.session.commit()
        flash(gettext("Your details are saved."), "success")
        return redirect(url_for("portal.details"))
    return render_template("portal/details.html", form=form, client=client, opt_outs=opt_out_choices(client, "client"))


@bp.route("/details/messages", methods=("POST",))
@portal_page
def preferences():
    allowed = {kind.key for kind in kinds_for("client", opt_out_only=True)}
    set_opt_outs(g.portal_client, [key for key in request.form.getlist("opt_out") if key in allowed])
    db.session.commit()
    flash(gettext("Your message choices are saved."), "success")
    return redirect(url_for("portal.details"))


@bp.route("/tasks")
@portal_page
def tasks():
    return render_template("portal/tasks.html", tasks=my_tasks(), statuses=TASK_STATUSES)


@bp.route("/tasks/<int:task_id>/done", methods=("POST",))
@portal_page
def task_done(task_id):
    """Tick a task done (or open it again)."""
    task = db.session.scalar(select(Task).where(Task.id == task_id))
    if task is None:
        abort(404)
    reopen = request.form.get("done") == "0"
    task.status = "open" if reopen else "done"
    task.updated_at = utcnow()
    db.session.commit()
    flash(gettext("Task opened again.") if reopen else gettext("Task done: well done!"), "success")
    return redirect(url_for("portal.tasks"))
