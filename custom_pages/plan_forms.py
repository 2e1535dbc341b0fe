"""The forms of the settlement plan pages (``custom_pages/plans.py``). Choices of staff and
partners are the scoped lists of the agency, so another agency's id is a field error."""

from datetime import date

from flask_babel import lazy_gettext
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, Optional

from admin_views.locking import VersionFields
from custom_pages.client_forms import NoCsrfForm
from custom_pages.lookup_fields import LookupSelectField, kept_staff
from models.plans import GOAL_STATUSES, RESPONSIBLE, SHARED_HOW
from models.referrals import active_partners, need_choices
from validation import DateField

NONE = [("", "—")]


def optional_id(value):
    return int(value) if value else None


class StartPlanForm(NoCsrfForm):
    start_date = DateField(lazy_gettext("Start date"), default=date.today, validators=[DataRequired()])
    worker_id = LookupSelectField(lazy_gettext("Worker responsible"), validators=[DataRequired()], kind="staff")
    summary = TextAreaField(lazy_gettext("Summary"), validators=[Length(max=5000)])
    next_follow_up_date = DateField(lazy_gettext("Next follow-up"), validators=[Optional()])
    next_review_date = DateField(lazy_gettext("Next review"), validators=[Optional()])

    def with_choices(self, worker=None):
        self.worker_id.keep(kept_staff([worker]))  # the plan's own worker, or me on a new plan
        if worker is not None and not self.worker_id.data:
            self.worker_id.data = str(worker.id)
        return self


class PlanForm(VersionFields, StartPlanForm):
    """The plan's own details, its sharing with the client, and closing it."""

    shared_date = DateField(lazy_gettext("Shared with the client on"), validators=[Optional()])
    shared_how = SelectField(lazy_gettext("Shared how"), default="")
    status = SelectField(lazy_gettext("Status"), choices=[("active", lazy_gettext("Active")), ("closed", lazy_gettext("Closed"))])

    def with_choices(self, worker=None):
        super().with_choices(worker)
        self.shared_how.choices = NONE + list(SHARED_HOW.items())
        return self

    def write(self, plan):
        plan.start_date, plan.worker_id = self.start_date.data, int(self.worker_id.data)
        plan.summary = (self.summary.data or "").strip()
        plan.next_follow_up_date, plan.next_review_date = self.next_follow_up_date.data, self.next_review_date.data
        plan.shared_date, plan.shared_how = self.shared_date.data, self.shared_how.data or None
        plan.status = self.status.data


class GoalForm(NoCsrfForm):
    need_area = SelectField(lazy_gettext("Need area"), choices=need_choices(), validators=[DataRequired()])
    description = TextAreaField(
        lazy_gettext("Goal"), validators=[DataRequired(message=lazy_gettext("Describe the goal.")), Length(max=5000)]
    )
    responsible = SelectField(lazy_gettext("Responsible"), choices=list(RESPONSIBLE.items()), default="client")
    responsible_staff_id = LookupSelectField(lazy_gettext("Staff member responsible"), default="", kind="staff", blank=NONE)
    partner_id = SelectField(lazy_gettext("Partner responsible"), default="")
    target_date = DateField(lazy_gettext("Target date"), validators=[Optional()])
    status = SelectField(lazy_gettext("Status"), choices=list(GOAL_STATUSES.items()), default="not_started")
    progress_notes = TextAreaField(lazy_gettext("Progress notes"), validators=[Length(max=10000)])
    new_steps = TextAreaField(
        lazy_gettext("New steps (one a line)"), validators=[Length(max=5000)], description=lazy_gettext("One step a line.")
    )
    steps_due = DateField(lazy_gettext("New steps due by"), validators=[Optional()])

    def with_choices(self):
        self.partner_id.choices = NONE + [(str(p.id), p.name) for p in active_partners()]
        return self

    def write(self, goal):
        goal.need_area, goal.description = self.need_area.data, self.description.data.strip()
        goal.responsible, goal.target_date, goal.status = self.responsible.data, self.target_date.data, self.status.data
        goal.responsible_staff_id = optional_id(self.responsible_staff_id.data) if goal.responsible == "staff" else None
        goal.partner_id = optional_id(self.partner_id.data) if goal.responsible == "partner" else None
        goal.progress_notes = (self.progress_notes.data or "").strip()

    def new_step_lines(self):
        return [line.strip()[:500] for line in (self.new_steps.data or "").splitlines() if line.strip()]


class ProposalForm(NoCsrfForm):
    """A goal proposed from the Needs Assessment, accepted as proposed or edited first (the
    client responsible, not started). Each proposal's form has its own field names (``prefix``),
    so its errors show under its own fields."""

    description = StringField(
        lazy_gettext("Goal"), validators=[DataRequired(message=lazy_gettext("Describe the goal.")), Length(max=5000)]
    )
    target_date = DateField(lazy_gettext("Target date"), validators=[Optional()])

    @classmethod
    def for_proposal(cls, proposal, posted=False):
        """``proposal``'s form: as posted, or starting from the need's name."""
        given = {} if posted else {"formdata": None, "data": {"description": str(proposal.label)}}
        form = cls(prefix=f"proposal-{proposal.code}", **given)
        form.proposal = proposal
        return form

    def write(self, goal):
        goal.need_area, goal.description = self.proposal.code, self.description.data.strip()
        goal.responsible, goal.status, goal.target_date = "client", "not_started", self.target_date.data


class EditGoalForm(VersionFields, GoalForm):
    done_steps = SelectMultipleField(
        lazy_gettext("Steps done"), widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput()
    )

    def with_steps(self, goal):
        self.done_steps.choices = [(str(step.id), step.description) for step in goal.steps]
        return self


class FollowUpForm(NoCsrfForm):
    follow_up_date = DateField(lazy_gettext("Follow-up date"), default=date.today, validators=[DataRequired()])
    note = TextAreaField(
        lazy_gettext("Note"), validators=[DataRequired(message=lazy_gettext("Write what the follow-up found.")), Length(max=5000)]
    )
    next_follow_up_date = DateField(lazy_gettext("Next follow-up"), validators=[Optional()])


class ReviewForm(NoCsrfForm):
    review_date = DateField(lazy_gettext("Review date"), default=date.today, validators=[DataRequired()])
    summary = TextAreaField(
        lazy_gettext("Summary"),
        validators=[DataRequired(message=lazy_gettext("Write a summary of the review.")), Length(max=5000)],
    )
    next_review_date = DateField(lazy_gettext("Next review"), validators=[Optional()])


class DismissForm(NoCsrfForm):
    need_area = HiddenField(validators=[DataRequired()])
