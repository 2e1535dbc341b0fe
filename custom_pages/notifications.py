"""Notifications pages: the client dashboard's Notifications tab (with the client's opt-outs)
and a staff member's own "My notifications" page (with theirs). Both list the outbox rows for
that recipient: a check mark and the date sent, or the status and the error or reason."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user

from admin_views.base import ProjectView
from extensions import db
from models.message_templates import KINDS, kinds_for
from models.notifications import messages_for, opted_out_kinds, set_opt_outs
from models.staff import Staff


def opt_out_choices(recipient, audience):
    """``(key, label, opted out?)`` for every kind of message this recipient may opt out of."""
    chosen = opted_out_kinds(recipient)
    return [(kind.key, kind.label, kind.key in chosen) for kind in kinds_for(audience, opt_out_only=True)]


def save_opt_outs(recipient, audience):
    """The kinds ticked in the posted form (``opt_out`` values); unknown names are ignored."""
    allowed = {kind.key for kind in kinds_for(audience, opt_out_only=True)}
    set_opt_outs(recipient, [key for key in request.form.getlist("opt_out") if key in allowed])
    db.session.commit()
    flash(gettext("Notification choices saved."), "success")


def notifications_tab_data(client):
    return {
        "messages": messages_for(client),
        "opt_outs": opt_out_choices(client, "client"),
        "has_email": bool((client.email or "").strip()),
        "kinds": KINDS,
    }


class ClientNotificationsMixin:
    """On the client grid view: ``/admin/clients/<id>/notifications/opt-outs/``."""

    @expose("/<int:client_id>/notifications/opt-outs/", methods=("POST",))
    def notification_opt_outs(self, client_id):
        client = self.get_one(client_id)
        save_opt_outs(client, "client")
        return redirect(url_for(".dashboard", client_id=client.id, tab="notifications"))


class MyNotificationsView(ProjectView):
    """Every message to the signed-in staff member, and the kinds they opted out of."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        me = db.session.get(Staff, current_user.id)
        if request.method == "POST":
            save_opt_outs(me, "staff")
            return redirect(url_for(".index"))
        return self.render(
            "admin/notifications/mine.html", messages=messages_for(me), opt_outs=opt_out_choices(me, "staff"), me=me
        )
