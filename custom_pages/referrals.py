"""The client dashboard's Referrals tab and its actions: record a referral (to a partner or one
of the agency's programs; from a Needs Assessment in one step), give a task, and refer the
client to another service provider on this system through a trusted partnership.

A mixin of the client grid view, like the other dashboard pages: every action loads the client
through the grid's scoped ``get_one`` (another agency's client is a 404), and every id in a form
is checked against the scoped choices (another agency's partner, program, form or staff member
is a field error).
"""

from datetime import date

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from admin_views.base import is_id
from custom_pages.client_forms import NoCsrfForm, RestrictionFields
from custom_pages.form_builder import show_refusal
from custom_pages.lookup_fields import LookupSelectField
from extensions import db
from models.agencies import programs
from models.errors import InvalidEntry
from models.partnerships import SHAREABLE, accepted_partnerships, partner_for, partnership, share_referral
from models.referrals import FOLLOW_UP_BEFORE, NEEDS_FORM, Referral, active_partners, need_choices, referrals_of, unrecorded_needs
from models.service_forms import ServiceForm
from models.tasks import PRIORITIES, Task, tasks_of
from validation import DateField

ME, CLIENT = "me", "client"


def follow_up_not_before(form, field):
    if field.data and form.referral_date.data and field.data < form.referral_date.data:
        raise ValidationError(str(FOLLOW_UP_BEFORE))


class ReferralForm(RestrictionFields, NoCsrfForm):
    target = SelectField(
        lazy_gettext("Referred to"), validators=[DataRequired(message=lazy_gettext("Choose a partner or program."))]
    )
    need_area = SelectField(lazy_gettext("Need area"), choices=need_choices(), validators=[DataRequired()])
    referral_date = DateField(lazy_gettext("Referral date"), default=date.today, validators=[DataRequired()])
    follow_up_date = DateField(lazy_gettext("Follow-up date"), validators=[Optional(), follow_up_not_before])
    notes = TextAreaField(lazy_gettext("Notes"), validators=[Length(max=5000)])
    service_form_id = HiddenField()

    def with_targets(self):
        self.target.choices = target_choices()
        return self


def target_choices():
    """The partners and programs a referral may go to (the agency's, active), as ``kind:id``."""
    partners = [(f"partner:{p.id}", p.name) for p in active_partners() if p.kind == "external"]
    internal = [(f"program:{p.id}", gettext("Internal: %(name)s", name=p.name)) for p in programs(active_only=True)]
    return [("", "—"), *partners, *internal]


def refer_to(referral, target):
    """Point the referral at the ``kind:id`` chosen (a partner or a program)."""
    kind, _, target_id = target.partition(":")
    referral.partner_id, referral.to_program_id = (int(target_id), None) if kind == "partner" else (None, int(target_id))


class NeedsReferralForm(NoCsrfForm):
    """The Needs Assessment shortcut: one need's referral in one step. The need, the referral
    date (the assessment's) and the program and Private flag come from the Needs Assessment;
    each need's form has its own field names (``prefix``), so its errors show under its fields."""

    target = SelectField(
        lazy_gettext("Referred to"), validators=[DataRequired(message=lazy_gettext("Choose a partner or program."))]
    )
    follow_up_date = DateField(lazy_gettext("Follow-up"), validators=[Optional()])

    @classmethod
    def for_need(cls, source, need, posted=False):
        """The form of ``need`` of the Needs Assessment ``source``: as posted, or empty."""
        form = cls(prefix=f"need-{source.id}-{need.code}", **({} if posted else {"formdata": None}))
        form.source, form.need = source, need
        form.target.choices = target_choices()
        return form

    @property
    def referral_date(self):
        return self.source.session.service_date if self.source.session else date.today()


class PartnerReferralForm(NoCsrfForm):
    """Refer to another service provider on this system (a trusted partnership). Its ids are its
    own: the referral form beside it has fields of the same names."""

    partnership_id = SelectField(
        lazy_gettext("Partner agency"), validators=[DataRequired(message=lazy_gettext("Choose a partner agency."))]
    )
    need_area = SelectField(
        lazy_gettext("Need area"), choices=need_choices(), validators=[DataRequired()], id="partner-need_area"
    )
    shared = SelectMultipleField(
        lazy_gettext("Share"),
        choices=[(key, label) for key, label in SHAREABLE.items()],
        default=["name"],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    message = TextAreaField(lazy_gettext("Message to the partner agency"), validators=[Length(max=2000)])
    referral_date = DateField(
        lazy_gettext("Referral date"), default=date.today, validators=[DataRequired()], id="partner-referral_date"
    )
    follow_up_date = DateField(
        lazy_gettext("Follow-up date"), validators=[Optional(), follow_up_not_before], id="partner-follow_up_date"
    )

    def with_partnerships(self):
        mine = current_user.agency_id
        self.partnership_id.choices = [("", "—")] + [(str(p.id), p.other_name(mine)) for p in accepted_partnerships()]
        return self


class TaskForm(NoCsrfForm):
    title = StringField(
        lazy_gettext("Task"), validators=[DataRequired(message=lazy_gettext("Say what is to be done.")), Length(max=200)]
    )
    details = TextAreaField(lazy_gettext("Details"), validators=[Length(max=5000)])
    assignee = LookupSelectField(lazy_gettext("For"), default=ME, kind="staff")
    due_date = DateField(lazy_gettext("Due date"), default=date.today, validators=[DataRequired()])
    priority = SelectField(lazy_gettext("Priority"), choices=list(PRIORITIES.items()), default="normal")
    referral_id = SelectField(lazy_gettext("Referral"), default="")

    def for_client(self, client, referrals=None):
        """The choices for ``client``: ``referrals``, their referrals when already read."""
        self.assignee.blank = [(ME, gettext("Me")), (CLIENT, gettext("The client"))]  # else a colleague, looked up
        referrals = referrals_of(client) if referrals is None else referrals
        self.referral_id.choices = [("", "—")] + [(str(r.id), str(r)) for r in referrals]
        return self


def needs_to_record(client):
    """The client's Needs Assessments (that the viewer sees) whose referral answers say a referral
    was made for a need no referral records yet: ``[(form, [need areas])]``."""
    query = select(ServiceForm).where(ServiceForm.client_id == client.id, ServiceForm.kind == NEEDS_FORM)
    found = [(form, unrecorded_needs(form)) for form in db.session.scalars(query.order_by(ServiceForm.id.desc()))]
    return [(form, needs) for form, needs in found if needs]


def needs_forms(client, refused=None):
    """A ``NeedsReferralForm`` per need waiting to be recorded; ``refused``: the one posted, as
    typed and with its errors, in its place."""
    shown = []
    for source, needs in needs_to_record(client):
        for need in needs:
            same = refused is not None and (refused.source.id, refused.need.code) == (source.id, need.code)
            shown.append(refused if same else NeedsReferralForm.for_need(source, need))
    return shown


def from_needs_assessment(referral, source):
    """The referral takes the Needs Assessment's form, session, program and Private flag."""
    referral.service_form_id, referral.session_id = source.id, source.session_id
    referral.program_id, referral.is_private = source.program_id, source.is_private


def referrals_tab_data(client):
    referrals = referrals_of(client)
    return {
        "referrals": referrals,
        "tasks": tasks_of(client),
        "referral_form": ReferralForm(formdata=None).with_programs().with_targets(),
        "partner_form": PartnerReferralForm(formdata=None).with_partnerships(),
        "task_form": TaskForm(formdata=None).for_client(client, referrals),
        "unrecorded": needs_forms(client),
    }


FIELD_OF = {"partner": "target", "partnership": "partnership_id"}  # the model's field names on the forms


class ClientReferralsMixin:
    def _to_referrals(self, client):
        return redirect(url_for(".dashboard", client_id=client.id, tab="referrals"))

    def _referrals_again(self, client, form_key, form):
        """The Referrals tab again with the refused form as typed, its errors on its fields."""
        return self._dashboard_page(client, "referrals", **{form_key: form})

    @expose("/<int:client_id>/referrals/", methods=("POST",))
    def add_referral(self, client_id):
        client = self.get_one(client_id)
        form = ReferralForm().with_programs().with_targets()
        if not form.validate():
            return self._referrals_again(client, "referral_form", form)
        referral = Referral(client_id=client.id, referring_staff_id=current_user.id, need_area=form.need_area.data)
        refer_to(referral, form.target.data)
        referral.referral_date, referral.follow_up_date = form.referral_date.data, form.follow_up_date.data
        referral.notes = (form.notes.data or "").strip()
        form.apply_to(referral)
        try:
            self._from_form(referral, client, form.service_form_id.data)
            db.session.add(referral)
            db.session.commit()
        except InvalidEntry as refused:
            db.session.rollback()
            show_refusal(form, refused, FIELD_OF)
            return self._referrals_again(client, "referral_form", form)
        flash(gettext("Referral recorded."), "success")
        return self._to_referrals(client)

    def _from_form(self, referral, client, form_id):
        """The Needs Assessment the referral came from: one of this client's that the viewer sees;
        the referral takes its session, program and Private flag."""
        if not form_id:
            return
        query = select(ServiceForm).where(ServiceForm.id == int(form_id)) if is_id(form_id) else None
        source = (
            db.session.scalar(query.where(ServiceForm.client_id == client.id, ServiceForm.kind == NEEDS_FORM))
            if query is not None
            else None
        )
        if source is None:
            raise InvalidEntry("service_form_id", lazy_gettext("That Needs Assessment is not one of this client's."))
        from_needs_assessment(referral, source)

    @expose("/<int:client_id>/needs-referral/", methods=("POST",))
    def add_needs_referral(self, client_id):
        """The Needs Assessment shortcut: the referral of one need (``need_area``) of one Needs
        Assessment (``service_form_id``); refused, its form again as typed, the errors under
        its own fields."""
        client = self.get_one(client_id)
        wanted = (request.form.get("service_form_id", ""), request.form.get("need_area"))
        waiting = next((f for f in needs_forms(client) if (str(f.source.id), f.need.code) == wanted), None)
        if waiting is None:  # recorded meanwhile, or not one of this client's
            flash(gettext("That need has no referral waiting to be recorded."), "error")
            return self._to_referrals(client)
        form = NeedsReferralForm.for_need(waiting.source, waiting.need, posted=True)
        if not form.validate():
            return self._dashboard_page(client, "referrals", unrecorded=needs_forms(client, form))
        referral = Referral(client_id=client.id, referring_staff_id=current_user.id, need_area=form.need.code)
        refer_to(referral, form.target.data)
        referral.referral_date, referral.follow_up_date = form.referral_date, form.follow_up_date.data
        from_needs_assessment(referral, form.source)
        try:
            db.session.add(referral)
            db.session.commit()
        except InvalidEntry as refused:  # a follow-up before the assessment's date
            db.session.rollback()
            show_refusal(form, refused, FIELD_OF)
            return self._dashboard_page(client, "referrals", unrecorded=needs_forms(client, form))
        flash(gettext("Referral recorded."), "success")
        return self._to_referrals(client)

    @expose("/<int:client_id>/refer-to-partner/", methods=("POST",))
    def refer_to_partner(self, client_id):
        client = self.get_one(client_id)
        form = PartnerReferralForm().with_partnerships()
        if not form.validate():
            return self._referrals_again(client, "partner_form", form)
        try:
            row = partnership(int(form.partnership_id.data))
            referral = Referral(client=client, referring_staff_id=current_user.id, need_area=form.need_area.data)
            referral.partner = partner_for(row)
            referral.referral_date, referral.follow_up_date = form.referral_date.data, form.follow_up_date.data
            share_referral(referral, row, form.shared.data or [], current_user, form.message.data)
            db.session.commit()
        except InvalidEntry as refused:
            db.session.rollback()
            show_refusal(form, refused, FIELD_OF)
            return self._referrals_again(client, "partner_form", form)
        flash(gettext("Referral sent to %(agency)s.", agency=row.other_name(current_user.agency_id)), "success")
        return self._to_referrals(client)

    @expose("/<int:client_id>/tasks/", methods=("POST",))
    def add_task(self, client_id):
        client = self.get_one(client_id)
        form = TaskForm().for_client(client)
        if not form.validate():
            return self._referrals_again(client, "task_form", form)
        task = Task(
            client_id=client.id,
            created_by_id=current_user.id,
            title=form.title.data.strip(),
            details=(form.details.data or "").strip(),
        )
        task.due_date, task.priority = form.due_date.data, form.priority.data
        task.referral_id = int(form.referral_id.data) if form.referral_id.data else None
        if form.assignee.data == CLIENT:
            task.assignee_kind = "client"
        else:
            task.assigned_to_id = current_user.id if form.assignee.data == ME else int(form.assignee.data)
        db.session.add(task)
        db.session.commit()
        flash(gettext("Task saved."), "success")
        return self._to_referrals(client)
