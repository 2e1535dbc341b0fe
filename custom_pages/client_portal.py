"""The client dashboard's portal actions and tab (staff side of ``portal/``): invite the client
(again, while they have never signed in), send a password reset, share a file with the client,
and the client's own uploads. Every action loads the client through the grid's scoped
``get_one``: another agency's client is a 404."""

from pathlib import Path

from flask import abort, current_app, flash, redirect, send_file, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user

from extensions import db
from models import client_records
from models.clients import ClientFile
from models.errors import InvalidEntry
from models.notification_sending import send_now
from models.portal_accounts import PORTAL_CONSENT, account_of
from models.portal_files import live_upload, uploads_of
from models.portal_invitations import invite, send_password_reset
from models.privacy import consent_holds
from models.visibility import require_restrict


def portal_actions_data(client):
    """What the dashboard's action buttons need on every tab."""
    return {"portal_account": account_of(client)}


def portal_tab_data(client):
    return {
        **portal_actions_data(client),
        "portal_consent": consent_holds(client, PORTAL_CONSENT),
        "portal_uploads": uploads_of(client),
        "shareable_files": [f for f in client_records.live_rows(ClientFile, client) if not f.is_private],
    }


def has_portal(client):
    """Whether the dashboard shows the client portal tab: an account exists (invited)."""
    return account_of(client) is not None


def sent_message(note):
    """Send the just-committed message now; say what happened."""
    if note is not None:
        send_now([note.id])
        db.session.refresh(note)
    if note is not None and note.status == "sent":
        return gettext("Sent to %(address)s.", address=note.to_address), "success"
    return gettext("Queued: the sending job will retry (see the Notifications tab)."), "warning"


class ClientPortalMixin:
    """On the client grid view: ``/admin/clients/<id>/portal/...``."""

    def _to_portal(self, client):
        return redirect(url_for(".dashboard", client_id=client.id, tab="portal"))

    def _send(self, client, action, done):
        try:
            note = action(client, current_user)
            db.session.commit()
        except InvalidEntry as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return self._to_portal(client)
        message, category = sent_message(note)
        flash(f"{done} {message}", category)
        return self._to_portal(client)

    @expose("/<int:client_id>/portal/invite/", methods=("POST",))
    def portal_invite(self, client_id):
        return self._send(self.get_one(client_id), invite, gettext("Portal invitation sent."))

    @expose("/<int:client_id>/portal/reset/", methods=("POST",))
    def portal_reset(self, client_id):
        return self._send(self.get_one(client_id), send_password_reset, gettext("Password reset link sent."))

    @expose("/<int:client_id>/portal/files/<int:file_id>/share/", methods=("POST",))
    def portal_share_file(self, client_id, file_id):
        """Share a file with the client, or stop (never a Private file)."""
        client = self.get_one(client_id)
        row = client_records.live_row(ClientFile, client, file_id)
        require_restrict(row)  # sharing widens who sees it: the owner side only (and never through break-glass)
        if row.is_private:
            flash(gettext("A Private file cannot be shared with the client."), "error")
            return self._to_portal(client)
        row.is_shared_with_client = not row.is_shared_with_client
        db.session.commit()
        flash(gettext("Shared with the client.") if row.is_shared_with_client else gettext("No longer shared."), "success")
        return self._to_portal(client)

    @expose("/<int:client_id>/portal/uploads/<int:upload_id>/")
    def portal_upload(self, client_id, upload_id):
        client = self.get_one(client_id)
        row = live_upload(upload_id)
        if row is None or row.client_id != client.id:
            abort(404)
        path = Path(current_app.config["UPLOAD_FOLDER"]) / row.stored_name  # as ``client_files.upload_folder``
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype=row.content_type, as_attachment=True, download_name=row.original_name)
