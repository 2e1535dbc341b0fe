"""Privacy on the client dashboard (a mixin of the client grid view, like the other dashboard
pages, so it shares ``/admin/clients/<id>/`` and the scoped ``get_one``: another agency's
client is a 404).

- The "Privacy and consent" tab: the consent history; any staff member records a consent
  given or withdrawn, withdraws all consent (after a confirm step) or, after reading the
  privacy statement with the client again, records the privacy consent anew.
- The access-request export: agency admins only (others get 403), one zip, itself audited.
"""

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from custom_pages.client_forms import NoCsrfForm
from exports.access_request import access_request_zip
from extensions import db
from models.audit import record_event
from models.privacy import (
    CHANGEABLE_KINDS,
    CONSENT_KINDS,
    give_privacy_consent,
    latest_consent,
    record_consent,
    withdraw_all_consent,
)

ANONYMOUS = lazy_gettext("An anonymous client declined the privacy statement: there is no consent to record.")
ANONYMISED = lazy_gettext("This client's record was anonymised under the retention policy: consent can no longer be recorded.")
WITHDRAWN = lazy_gettext("All consent is withdrawn. Read the privacy statement with the client and record it again first.")
LANGUAGES = [("en", lazy_gettext("English")), ("fr", lazy_gettext("French"))]


class ConsentChangeForm(NoCsrfForm):
    kind = SelectField(lazy_gettext("Consent"), choices=[(kind, CONSENT_KINDS[kind]) for kind in CHANGEABLE_KINDS])
    decision = RadioField(
        lazy_gettext("The client"),
        choices=[("given", lazy_gettext("gives it")), ("withdrawn", lazy_gettext("withdraws it"))],
        validators=[InputRequired(lazy_gettext("Say given or withdrawn."))],
    )
    note = StringField(lazy_gettext("Note (optional)"), validators=[Length(max=500)])


class WithdrawAllForm(NoCsrfForm):
    note = TextAreaField(lazy_gettext("Note (optional)"), validators=[Length(max=500)])


class PrivacyAgainForm(NoCsrfForm):
    language = RadioField(lazy_gettext("Statement read in"), choices=LANGUAGES, default="en", validators=[InputRequired()])
    note = StringField(lazy_gettext("Note (optional)"), validators=[Length(max=500)])


def note_of(form):
    return (form.note.data or "").strip()


def consent_status(client):
    """(kind label, latest record or None) for every consent kind."""
    return [(label, latest_consent(client, kind)) for kind, label in CONSENT_KINDS.items()]


def privacy_tab_data(client):
    """What the Privacy and consent tab shows."""
    return {
        "consents": sorted(client.consent_records, key=lambda r: (r.recorded_at, r.id), reverse=True),
        "consent_status": consent_status(client),
        "consent_form": ConsentChangeForm(formdata=None),
        "privacy_form": PrivacyAgainForm(formdata=None),
        "statement_version": current_user.agency.privacy_statement_version,
        "consent_problem": consent_problem(client),
    }


def consent_problem(client, giving=False):
    """Why no consent can be recorded for this client now (``None`` when it can)."""
    if client.kind == "anonymous":
        return ANONYMOUS
    if client.anonymised_at is not None:
        return ANONYMISED
    if giving and client.consent_withdrawn_at is not None:
        return WITHDRAWN
    return None


class ClientPrivacyMixin:
    def _to_privacy(self, client):
        return redirect(url_for(".dashboard", client_id=client.id, tab="privacy"))

    def _refused(self, client, message):
        flash(str(message), "error")
        return self._to_privacy(client)

    @expose("/<int:client_id>/consent/", methods=("POST",))
    def change_consent(self, client_id):
        """One consent kind given or withdrawn."""
        client = self.get_one(client_id)
        form = ConsentChangeForm()
        if not form.validate():
            return self._refused(client, " ".join(str(e) for errors in form.errors.values() for e in errors))
        given = form.decision.data == "given"
        if problem := consent_problem(client, giving=given):
            return self._refused(client, problem)
        record_consent(client, form.kind.data, given, current_user.id, note=note_of(form))
        db.session.commit()
        label = CONSENT_KINDS[form.kind.data]
        flash(
            gettext("%(consent)s: given.", consent=label) if given else gettext("%(consent)s: withdrawn.", consent=label),
            "success",
        )
        return self._to_privacy(client)

    @expose("/<int:client_id>/consent/withdraw/", methods=("GET", "POST"))
    def withdraw_consent(self, client_id):
        """Withdraw all consent, after a confirm step: sharing and notifications stop at once."""
        client = self.get_one(client_id)
        if problem := consent_problem(client):
            return self._refused(client, problem)
        form = WithdrawAllForm()
        if request.method == "POST" and form.validate():
            withdraw_all_consent(client, current_user.id, note_of(form))
            db.session.commit()
            flash(gettext("All consent withdrawn: no sharing with partners and no notifications from now on."), "success")
            return self._to_privacy(client)
        return self.render("admin/clients/withdraw_consent.html", client=client, form=form)

    @expose("/<int:client_id>/consent/privacy/", methods=("POST",))
    def give_privacy_again(self, client_id):
        """The current privacy statement read with the client again: the withdrawal ends."""
        client = self.get_one(client_id)
        form = PrivacyAgainForm()
        if problem := consent_problem(client) or (
            None if form.validate() else gettext("Choose the language the statement was read in.")
        ):
            return self._refused(client, problem)
        give_privacy_consent(client, current_user.agency, current_user.id, form.language.data, note_of(form))
        db.session.commit()
        flash(gettext("Privacy consent recorded. Record each other consent the client gives."), "success")
        return self._to_privacy(client)

    @expose("/<int:client_id>/access-request.zip")
    def access_request(self, client_id):
        """Everything held about the client, for an access request: agency admins only."""
        if not current_user.has_role("agency_admin"):
            abort(403)
        client = self.get_one(client_id)
        data = access_request_zip(client, current_user.agency, current_app.config["UPLOAD_FOLDER"], current_user.name)
        record_event("export", "client", client.id, client.id, detail="access-request export")
        db.session.commit()
        filename = f"{client.registration_number}-access-request.zip"
        return Response(data, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{filename}"'})
