"""The client's job search pages: Job Board, My Jobs Feed, Job Leads, Following and Skills.
Reference lists and postings are the agency's (readable by every portal client of it); follows,
skills and leads are the client's own (``models/job_search.py``)."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from extensions import db
from models.errors import InvalidEntry
from models.job_postings import (
    BADGE_AT,
    JobCompany,
    JobOccupation,
    JobPosting,
    JobSector,
    JobSkill,
    open_postings,
    reference_rows,
)
from models.job_search import (
    FOLLOW_KINDS,
    LEAD_STATUSES,
    STATES,
    ClientFollow,
    ClientSkill,
    JobLead,
    add_skill,
    feed,
    follow,
    follows_of,
    leads_of,
    save_lead,
    set_lead_status,
    skills_of,
    with_matches,
)
from portal.blueprint import bp, portal_page

FILTERS = {"occupation": JobOccupation, "company": JobCompany, "sector": JobSector}


def chosen_ids(name):
    value = request.args.get(name, "")
    return [int(value)] if value.isdigit() and len(value) < 10 else None


def lead_ids():
    return {lead.posting_id for lead in leads_of(g.portal_client)}


@bp.route("/jobs")
@portal_page
def job_board():
    search = request.args.get("q", "")[:100]
    postings = open_postings(
        occupation_ids=chosen_ids("occupation"),
        company_ids=chosen_ids("company"),
        sector_ids=chosen_ids("sector"),
        search=search,
    )
    lists = {name: reference_rows(model) for name, model in FILTERS.items()}
    return render_template(
        "portal/job_board.html",
        rows=with_matches(postings, g.portal_client),
        lists=lists,
        search=search,
        saved=lead_ids(),
        badge_at=BADGE_AT,
    )


@bp.route("/jobs/feed")
@portal_page
def job_feed():
    return render_template("portal/job_feed.html", rows=feed(g.portal_client), saved=lead_ids(), badge_at=BADGE_AT)


@bp.route("/jobs/<int:posting_id>/save", methods=("POST",))
@portal_page
def save_posting(posting_id):
    posting = own_row(JobPosting, posting_id)  # any of the agency's postings
    save_lead(g.portal_client, posting)
    db.session.commit()
    flash(gettext("Saved to your job leads: %(title)s.", title=posting.title), "success")
    return redirect(url_for("portal.job_leads"))


@bp.route("/leads")
@portal_page
def job_leads():
    return render_template("portal/job_leads.html", leads=leads_of(g.portal_client), statuses=LEAD_STATUSES)


def own_row(model, row_id):
    row = db.session.scalar(select(model).where(model.id == row_id))  # the rules: the signed-in client's own rows
    if row is None:
        abort(404)
    return row


@bp.route("/leads/<int:lead_id>/status", methods=("POST",))
@portal_page
def lead_status(lead_id):
    lead = own_row(JobLead, lead_id)
    try:
        set_lead_status(lead, request.form.get("status", ""))
    except InvalidEntry as error:
        flash(str(error.message), "error")
        return redirect(url_for("portal.job_leads"))
    db.session.commit()
    flash(gettext("%(title)s: %(status)s.", title=lead.posting.title, status=lead.status_label), "success")
    return redirect(url_for("portal.job_leads"))


@bp.route("/following", methods=("GET", "POST"))
@portal_page
def following():
    if request.method == "POST":
        kind, target = request.form.get("kind", ""), request.form.get("target", "")
        try:
            follow(g.portal_client, kind, int(target) if target.isdigit() and len(target) < 10 else 0)
            db.session.commit()
            flash(gettext("Followed."), "success")
        except InvalidEntry as error:
            flash(str(error.message), "error")
        return redirect(url_for("portal.following"))
    lists = {kind: reference_rows(model) for kind, (_, model, _) in FOLLOW_KINDS.items()}
    return render_template(
        "portal/following.html", follows=follows_of(g.portal_client), kinds=FOLLOW_KINDS, lists=lists, states=STATES
    )


@bp.route("/following/<int:follow_id>/accept", methods=("POST",))
@portal_page
def accept_follow(follow_id):
    return accept_suggestion(ClientFollow, follow_id, "portal.following")


@bp.route("/following/<int:follow_id>/remove", methods=("POST",))
@portal_page
def remove_follow(follow_id):
    return remove_own(ClientFollow, follow_id, "portal.following")


@bp.route("/skills", methods=("GET", "POST"))
@portal_page
def skills():
    if request.method == "POST":
        value = request.form.get("skill", "")
        try:
            add_skill(g.portal_client, int(value) if value.isdigit() and len(value) < 10 else 0)
            db.session.commit()
            flash(gettext("Skill added."), "success")
        except InvalidEntry as error:
            flash(str(error.message), "error")
        return redirect(url_for("portal.skills"))
    return render_template(
        "portal/skills.html", mine=skills_of(g.portal_client), all_skills=reference_rows(JobSkill), states=STATES
    )


@bp.route("/skills/<int:skill_row_id>/accept", methods=("POST",))
@portal_page
def accept_skill(skill_row_id):
    return accept_suggestion(ClientSkill, skill_row_id, "portal.skills")


@bp.route("/skills/<int:skill_row_id>/remove", methods=("POST",))
@portal_page
def remove_skill(skill_row_id):
    return remove_own(ClientSkill, skill_row_id, "portal.skills")


def accept_suggestion(model, row_id, page):
    """The client accepts what staff suggested (a follow or a skill of their own only)."""
    own_row(model, row_id).state = "accepted"
    db.session.commit()
    flash(gettext("Suggestion accepted."), "success")
    return redirect(url_for(page))


def remove_own(model, row_id, page):
    db.session.delete(own_row(model, row_id))
    db.session.commit()
    flash(gettext("Removed."), "success")
    return redirect(url_for(page))
