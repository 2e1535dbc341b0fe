"""Trusted partnerships (/admin/partnerships/, agency admins) and incoming referrals
(/admin/incoming-referrals/, all staff). Every id comes in the posted form and is looked up
through the shared-between-agencies rule (``models/partnerships.py``): an id of a partnership
or referral not shared with this agency is a field error, never a row."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from admin_views.base import ProjectView, is_id
from extensions import db
from models.agencies import Agency
from models.errors import InvalidEntry
from models.partnerships import (
    ANSWERS,
    answer_invitation,
    answer_referral,
    end_partnership,
    incoming_referral,
    incoming_referrals,
    invite,
    partnership,
    partnerships,
)


def posted_id(name):
    value = request.form.get(name, "")
    return int(value) if is_id(value) else None


def refusing_entries(action):
    """Run ``action`` and commit; a refusal is flashed and nothing is saved."""
    try:
        action()
        db.session.commit()
    except InvalidEntry as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return False
    return True


class PartnershipsView(ProjectView):
    required_roles = ("agency_admin",)

    @expose("/")
    def index(self):
        agency_id = current_user.agency_id
        return self.render("admin/partnerships.html", partnerships=partnerships(), agency_id=agency_id)

    @expose("/invite/", methods=("POST",))
    def invite(self):
        agency = db.session.scalar(select(Agency).where(Agency.id == current_user.agency_id))
        code, message = request.form.get("code", ""), request.form.get("message", "")[:2000]
        if refusing_entries(lambda: invite(agency, code, current_user, message)):
            flash(gettext("Invitation sent. The other agency's admin accepts it on their Partnerships page."), "success")
        return redirect(url_for(".index"))

    @expose("/answer/", methods=("POST",))
    def answer(self):
        accept = request.form.get("decision") == "accept"
        if refusing_entries(lambda: answer_invitation(partnership(posted_id("partnership_id")), accept, current_user)):
            flash(gettext("Partnership accepted.") if accept else gettext("Invitation declined."), "success")
        return redirect(url_for(".index"))

    @expose("/end/", methods=("POST",))
    def end(self):
        if refusing_entries(lambda: end_partnership(partnership(posted_id("partnership_id")))):
            flash(gettext("Partnership ended: nothing is shared with this agency any more."), "success")
        return redirect(url_for(".index"))


class IncomingReferralsView(ProjectView):
    @expose("/")
    def index(self):
        return self.render("admin/incoming_referrals.html", referrals=incoming_referrals(), answers=ANSWERS)

    @expose("/answer/", methods=("POST",))
    def answer(self):
        status, note = request.form.get("status", ""), request.form.get("note", "")[:2000]
        action = lambda: answer_referral(incoming_referral(posted_id("shared_id")), status, note, current_user)  # noqa: E731
        if refusing_entries(action):
            flash(gettext("Answer sent to the referring agency."), "success")
        return redirect(url_for(".index"))
