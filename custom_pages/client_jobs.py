"""The client dashboard's job search tabs (Following, Job Leads, Skills): the same data the client
sees in the portal; staff suggest follows and skills (the client accepts them in the portal) and
read the leads. Shown when the client has a portal account or any of it (``job_tabs_shown``)."""

from flask import flash, g, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user

from extensions import db
from models.errors import InvalidEntry
from models.job_postings import JobSkill, match_percent, reference_rows
from models.job_search import (
    FOLLOW_KINDS,
    LEAD_STATUSES,
    STATES,
    accepted_skill_ids,
    add_skill,
    follow,
    follows_of,
    has_job_activity,
    leads_of,
    skills_of,
)
from models.portal_accounts import account_of

JOB_TABS = {"following": lazy_gettext("Following"), "leads": lazy_gettext("Job Leads"), "skills": lazy_gettext("Skills")}


def job_tabs_shown(client, tab):
    """Whether the dashboard shows the job-search tabs (asked for each tab of three groups: the
    answer is looked up once per request)."""
    if tab in JOB_TABS:
        return True
    answers = g.setdefault("job_tabs_shown", {})
    if client.id not in answers:
        answers[client.id] = account_of(client) is not None or has_job_activity(client)
    return answers[client.id]


def job_tab_data(client, tab):
    if tab not in JOB_TABS:
        return {}
    mine = accepted_skill_ids(client)
    return {
        "follows": follows_of(client),
        "follow_kinds": FOLLOW_KINDS,
        "follow_lists": {kind: reference_rows(model) for kind, (_, model, _) in FOLLOW_KINDS.items()},
        "suggestion_states": STATES,
        "client_skills": skills_of(client),
        "all_skills": reference_rows(JobSkill),
        "leads": [(lead, match_percent(lead.posting, mine)) for lead in leads_of(client)],
        "lead_statuses": LEAD_STATUSES,
    }


def form_id(name):
    value = request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


class ClientJobsMixin:
    """On the client grid view: ``/admin/clients/<id>/jobs/...`` (suggestions)."""

    def _suggest(self, client, tab, action):
        try:
            action()
            db.session.commit()
            flash(gettext("Suggested: the client accepts it in the portal."), "success")
        except InvalidEntry as error:
            db.session.rollback()
            flash(str(error.message), "error")
        return redirect(url_for(".dashboard", client_id=client.id, tab=tab))

    @expose("/<int:client_id>/jobs/follow/", methods=("POST",))
    def suggest_follow(self, client_id):
        client = self.get_one(client_id)
        kind = request.form.get("kind", "")
        return self._suggest(client, "following", lambda: follow(client, kind, form_id("target"), staff=current_user))

    @expose("/<int:client_id>/jobs/skill/", methods=("POST",))
    def suggest_skill(self, client_id):
        client = self.get_one(client_id)
        return self._suggest(client, "skills", lambda: add_skill(client, form_id("skill"), staff=current_user))
