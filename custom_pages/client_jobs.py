"""The client dashboard's job search tabs (Following, Job Leads, Skills): the same data the client
sees in the portal; staff suggest follows and skills (the client accepts them in the portal) and
read the leads. Shown when the client has a portal account or any of it (``job_tabs_shown``)."""

from flask import flash, redirect, request, url_for
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
    ClientFollow,
    ClientSkill,
    JobLead,
    accepted_skill_ids,
    add_skill,
    follow,
    follows_of,
    leads_of,
    skills_of,
)

JOB_TABS = {"following": lazy_gettext("Following"), "leads": lazy_gettext("Job Leads"), "skills": lazy_gettext("Skills")}
JOB_RECORDS = (ClientFollow, ClientSkill, JobLead)


def job_tabs_shown(tab, account, present):
    """Whether the dashboard shows the job-search tabs: on one of them, or when the client has a
    portal ``account`` or a job-search record (``present``: ``models.client_records.Present``)."""
    return tab in JOB_TABS or account is not None or present.any_of(JOB_RECORDS)


def job_tab_data(client, tab):
    if tab not in JOB_TABS:
        return {}
    skills = skills_of(client)
    mine = accepted_skill_ids(client, skills)
    return {
        "follows": follows_of(client),
        "follow_kinds": FOLLOW_KINDS,
        "follow_lists": {kind: reference_rows(model) for kind, (_, model, _) in FOLLOW_KINDS.items()},
        "suggestion_states": STATES,
        "client_skills": skills,
        "all_skills": reference_rows(JobSkill),
        "leads": [(lead, match_percent(lead.posting, mine)) for lead in leads_of(client, with_postings=True)],
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
