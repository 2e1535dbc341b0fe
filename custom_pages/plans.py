"""The client's settlement plan pages (/admin/clients/<id>/plan/...): the active plan with its
goals, goals proposed from the Needs Assessment, follow-ups, reviews and sharing; earlier plans
read-only; the plan printed for the client (PDF, English or French).

A mixin of the client grid view like the other dashboard pages: every action loads the client
through the grid's scoped ``get_one`` (another agency's client is a 404) and the plan among
that client's own. A refused entry is shown on its field and nothing is saved.
"""

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import force_locale, gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from admin_views.locking import flash_stale, form_labels
from custom_pages.form_builder import show_refusal
from custom_pages.lookup_fields import kept_staff
from custom_pages.plan_forms import (
    DismissForm,
    EditGoalForm,
    FollowUpForm,
    GoalForm,
    PlanForm,
    ProposalForm,
    ReviewForm,
    StartPlanForm,
)
from exports.plans import plan_pdf
from extensions import db
from models.audit import record_event
from models.errors import InvalidEntry, StaleRecord
from models.plan_monitoring import progress, proposals
from models.plans import (
    SECOND_ACTIVE,
    DismissedProposal,
    PlanGoal,
    PlanStep,
    SettlementPlan,
    active_plan,
    add_follow_up,
    add_review,
    plans_of,
)
from models.record_history import check_version, refusing_stale

PLAN_TEMPLATE = "admin/clients/plan.html"


def plan_tab_data(client):
    """The dashboard's Plan tab: the active plan's progress and how many goals are proposed."""
    plan = active_plan(client)
    if plan is None:
        return {"plan": None}
    return {"plan": plan, "progress": progress(plan), "proposals": len(proposals(plan))}


def proposal_forms(plan, refused=None):
    """A ``ProposalForm`` per goal proposed; ``refused``: the one posted, as typed, in its place."""
    shown = []
    for proposal in proposals(plan):
        same = refused is not None and refused.proposal.code == proposal.code
        shown.append(refused if same else ProposalForm.for_proposal(proposal))
    return shown


class ClientPlansMixin:
    def _plan_of(self, client, plan_id):
        query = select(SettlementPlan).where(SettlementPlan.id == plan_id, SettlementPlan.client_id == client.id)
        return db.session.scalar(query) or abort(404)

    def _goal_of(self, plan, goal_id):
        return next((goal for goal in plan.goals if goal.id == goal_id), None) or abort(404)

    def _to_plan(self, client, plan=None):
        if plan is not None and not plan.is_active:
            return redirect(url_for(".plan_view", client_id=client.id, plan_id=plan.id))
        return redirect(url_for(".plan", client_id=client.id))

    def _plan_page(self, client, plan=None, **forms):
        plans = plans_of(client)
        plan = plan or next((p for p in plans if p.is_active), None)
        context = {
            "start_form": forms.get("start_form") or StartPlanForm().with_choices(current_user),
            "goal_form": forms.get("goal_form") or GoalForm(formdata=None).with_choices(),
            "follow_up_form": forms.get("follow_up_form") or FollowUpForm(formdata=None),
            "review_form": forms.get("review_form") or ReviewForm(formdata=None),
            "proposals": proposal_forms(plan, forms.get("proposal_form")),  # accepted as is, or edited first, or dismissed
            "progress": progress(plan) if plan is not None else None,
        }
        return self.render(PLAN_TEMPLATE, client=client, plan=plan, plans=plans, **context)

    def _commit(self, client, plan, form, form_key, saved):
        """Commit; a refusal is shown on the form's field (everything rolled back)."""
        try:
            db.session.commit()
        except InvalidEntry as refused:
            db.session.rollback()
            show_refusal(form, refused)
        except IntegrityError:  # two plans started at once: the index refused the second
            db.session.rollback()
            show_refusal(None, InvalidEntry("plan", SECOND_ACTIVE))
        else:
            flash(saved, "success")
            return self._to_plan(client, plan)
        return self._plan_page(client, plan if plan is not None and plan.id else None, **{form_key: form})

    @expose("/<int:client_id>/plan/")
    def plan(self, client_id):
        client = self.get_one(client_id)
        record_event("view", "settlement_plan", None, client.id, detail="settlement plan page")
        db.session.commit()
        return self._plan_page(client)

    @expose("/<int:client_id>/plans/<int:plan_id>/")
    def plan_view(self, client_id, plan_id):
        client = self.get_one(client_id)
        return self._plan_page(client, self._plan_of(client, plan_id))

    @expose("/<int:client_id>/plan/start/", methods=("POST",))
    def start_plan(self, client_id):
        client = self.get_one(client_id)
        form = StartPlanForm().with_choices()
        if not form.validate():
            return self._plan_page(client, start_form=form)
        plan = SettlementPlan(client_id=client.id, created_by_id=current_user.id, worker_id=int(form.worker_id.data))
        plan.start_date, plan.summary = form.start_date.data, (form.summary.data or "").strip()
        plan.next_follow_up_date, plan.next_review_date = form.next_follow_up_date.data, form.next_review_date.data
        db.session.add(plan)
        return self._commit(client, None, form, "start_form", gettext("Settlement plan started."))

    @expose("/<int:client_id>/plans/<int:plan_id>/goals/", methods=("POST",))
    def add_goal(self, client_id, plan_id):
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        form = GoalForm().with_choices()
        if not form.validate():
            return self._plan_page(client, plan, goal_form=form)
        goal = PlanGoal()
        form.write(goal)
        goal.steps = [PlanStep(description=line, due_date=form.steps_due.data) for line in form.new_step_lines()]
        plan.goals.append(goal)
        return self._commit(client, plan, form, "goal_form", gettext("Goal added."))

    @expose("/<int:client_id>/plans/<int:plan_id>/proposals/", methods=("POST",))
    def accept_proposal(self, client_id, plan_id):
        """A proposed goal (``need_area``) accepted, as proposed or edited; refused, its form
        again as typed."""
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        proposal = next((p for p in proposals(plan) if p.code == request.form.get("need_area")), None)
        if proposal is None:
            flash(gettext("That goal is not proposed for this plan."), "error")
            return self._to_plan(client, plan)
        form = ProposalForm.for_proposal(proposal, posted=True)
        if not form.validate():
            return self._plan_page(client, plan, proposal_form=form)
        goal = PlanGoal()
        form.write(goal)
        plan.goals.append(goal)
        return self._commit(client, plan, form, "proposal_form", gettext("Goal added."))

    @expose("/<int:client_id>/plans/<int:plan_id>/dismiss/", methods=("POST",))
    def dismiss_proposal(self, client_id, plan_id):
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        form = DismissForm()
        codes = {proposal.code for proposal in proposals(plan)}
        if not form.validate() or form.need_area.data not in codes:
            flash(gettext("That goal is not proposed for this plan."), "error")
            return self._to_plan(client, plan)
        plan.dismissals.append(DismissedProposal(need_area=form.need_area.data, dismissed_by_id=current_user.id))
        return self._commit(client, plan, form, "dismiss_form", gettext("Proposal dismissed: it will not be proposed again."))

    @expose("/<int:client_id>/plans/<int:plan_id>/follow-ups/", methods=("POST",))
    def add_plan_follow_up(self, client_id, plan_id):
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        form = FollowUpForm()
        if not form.validate():
            return self._plan_page(client, plan, follow_up_form=form)
        add_follow_up(plan, current_user, form.follow_up_date.data, form.note.data, form.next_follow_up_date.data)
        return self._commit(client, plan, form, "follow_up_form", gettext("Follow-up recorded."))

    @expose("/<int:client_id>/plans/<int:plan_id>/reviews/", methods=("POST",))
    def add_plan_review(self, client_id, plan_id):
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        form = ReviewForm()
        if not form.validate():
            return self._plan_page(client, plan, review_form=form)
        add_review(plan, current_user, form.review_date.data, form.summary.data, form.next_review_date.data)
        return self._commit(client, plan, form, "review_form", gettext("Review recorded."))

    @expose("/<int:client_id>/plans/<int:plan_id>/edit/", methods=("GET", "POST"))
    def edit_plan(self, client_id, plan_id):
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        form = (PlanForm(obj=plan) if request.method == "GET" else PlanForm()).with_choices(plan.worker)
        return self._edit(client, plan, plan, form, form.write, "admin/clients/plan_edit.html", gettext("Plan saved."))

    @expose("/<int:client_id>/plans/<int:plan_id>/goals/<int:goal_id>/", methods=("GET", "POST"))
    def edit_goal(self, client_id, plan_id, goal_id):
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        goal = self._goal_of(plan, goal_id)
        form = (EditGoalForm(obj=goal) if request.method == "GET" else EditGoalForm()).with_choices().with_steps(goal)
        form.responsible_staff_id.keep(kept_staff([goal.responsible_staff]))
        if request.method == "GET":
            form.done_steps.data = [str(step.id) for step in goal.steps if step.is_done]
            form.responsible_staff_id.data = str(goal.responsible_staff_id or "")
            form.partner_id.data = str(goal.partner_id or "")
        write = lambda row: self._write_goal(row, form)  # noqa: E731
        return self._edit(client, plan, goal, form, write, "admin/clients/goal_edit.html", gettext("Goal saved."), goal=goal)

    def _write_goal(self, goal, form):
        form.write(goal)
        done = set(form.done_steps.data or [])
        for step in goal.steps:
            step.is_done = str(step.id) in done
        goal.steps.extend(PlanStep(description=line, due_date=form.steps_due.data) for line in form.new_step_lines())

    def _edit(self, client, plan, row, form, write, template, saved, **context):
        """GET stamps the version; POST checks it, writes and commits in one transaction."""
        if request.method == "GET":
            form.stamp(row)
        elif form.validate():
            try:
                loaded = form.loaded()
                check_version(row, loaded)
                write(row)
                with refusing_stale([row], loaded.seen):
                    db.session.commit()
            except StaleRecord as stale:
                db.session.rollback()
                flash_stale(stale, form_labels(form))
                form.stamp(row)
            except InvalidEntry as refused:
                db.session.rollback()
                show_refusal(form, refused)
            else:
                flash(saved, "success")
                return self._to_plan(client, plan)
        return self.render(template, client=client, plan=plan, form=form, **context)

    @expose("/<int:client_id>/plans/<int:plan_id>/plan.pdf")
    def plan_pdf(self, client_id, plan_id):
        client = self.get_one(client_id)
        plan = self._plan_of(client, plan_id)
        lang = "fr" if request.args.get("lang") == "fr" else "en"
        record_event("export", "settlement_plan", plan.id, client.id, detail=f"settlement plan PDF ({lang})")
        db.session.commit()
        with force_locale("fr_CA" if lang == "fr" else "en"):
            data = plan_pdf(plan, current_user.agency, lang)
        filename = f"{client.registration_number}-plan-{lang}.pdf"
        return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})
