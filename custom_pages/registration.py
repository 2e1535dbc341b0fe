"""Registration: the privacy statement, then a named or an anonymous profile, then the wizard."""

from datetime import datetime, timedelta

from flask import abort, flash, redirect, request, session, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from admin_views.base import ProjectView
from custom_pages.client_forms import profile_form
from extensions import db
from i18n import locale_language
from models.base import utcnow
from models.client_duplicates import likely_duplicates
from models.client_profile import profile_fields
from models.clients import Client, assign_staff, record_activity
from models.privacy import record_consent

CONSENT_KEY = "privacy_consent"
CONSENT_LIFETIME = timedelta(hours=1)  # the profile must be saved soon after the statement is read
PREFILL = ("first_name", "last_name")  # names a link may start the profile with (find-a-client's "Register")
NAME_LENGTH = 100


def name_prefill(values):
    """The names given to start the profile with (from the query string or the consent form)."""
    return {name: values.get(name, "").strip()[:NAME_LENGTH] for name in PREFILL if values.get(name, "").strip()}


def visible_client(client_id, kind=None):
    """A client of this agency (of ``kind`` if given), or 404 (the tenant scope hides every
    other agency's)."""
    client = db.session.scalar(select(Client).where(Client.id == client_id))
    if client is None or (kind and client.kind != kind):
        abort(404)
    return client


def fresh_consent():
    """The consent given on the privacy statement page, if it was given within the hour."""
    consent = session.get(CONSENT_KEY)
    if consent and datetime.fromisoformat(consent["at"]) > utcnow() - CONSENT_LIFETIME:
        return consent
    session.pop(CONSENT_KEY, None)
    return None


def take_consent(client, consent):
    """The privacy statement read on the statement page becomes the client's consent: the
    consent history starts with it and, when answered, research."""
    client.privacy_consent_at = datetime.fromisoformat(consent["at"])
    client.privacy_consent_version = consent["version"]
    client.privacy_consent_staff_id = current_user.id
    lang, at = consent.get("lang", "en"), client.privacy_consent_at
    record_consent(client, "privacy", True, current_user.id, version=consent["version"], language=lang, at=at)
    if client.research_consent is not None:
        record_consent(client, "research", client.research_consent, current_user.id, language=lang)
    session.pop(CONSENT_KEY, None)


def statement_of(agency, lang):
    return agency.privacy_statement_fr if lang == "fr" else agency.privacy_statement_en


def statement_language(agency, asked):
    """The language the statement is read in: the one the link asks for (``en``, ``fr``), else
    the worker's interface language, unless the agency wrote the statement only in the other."""
    if asked in ("en", "fr"):
        return asked
    preferred = "fr" if locale_language() == "fr" else "en"
    other = "en" if preferred == "fr" else "fr"
    return other if statement_of(agency, other) and not statement_of(agency, preferred) else preferred


def completing_client(client_id):
    """A quick attendee whose profile is being completed (they read the statement now), or 404."""
    client = visible_client(client_id, kind="named")
    if not client.needs_profile:
        abort(404)
    return client


class RegistrationView(ProjectView):
    @expose("/")
    def index(self):
        """Step 1: read the agency's privacy statement with the client (any earlier consent ends)."""
        session.pop(CONSENT_KEY, None)
        agency = current_user.agency
        lang = statement_language(agency, request.args.get("lang"))
        statement = statement_of(agency, lang)
        completing = request.args.get("completing", type=int)
        return self.render(
            "admin/clients/privacy.html",
            agency=agency,
            statement=statement,
            lang=lang,
            family_of=request.args.get("family_of", type=int),
            completing=completing_client(completing) if completing else None,
            prefill=name_prefill(request.args),
        )

    @expose("/consent/", methods=("POST",))
    def consent(self):
        family_of = request.form.get("family_of", type=int)
        completing = request.form.get("completing", type=int)
        client = completing_client(completing) if completing else None
        if request.form.get("decision") != "accept":
            session.pop(CONSENT_KEY, None)
            return redirect(url_for(".declined"))
        session[CONSENT_KEY] = {
            "version": current_user.agency.privacy_statement_version,
            "at": utcnow().isoformat(),
            "lang": "fr" if request.form.get("lang") == "fr" else "en",
        }
        if client is not None:  # a quick attendee: on to their profile
            return redirect(url_for("clients.edit_view", id=client.id))
        return redirect(url_for(".named", family_of=family_of, **name_prefill(request.form)))

    @expose("/declined/")
    def declined(self):
        return self.render("admin/clients/declined.html")

    @expose("/named/", methods=("GET", "POST"))
    def named(self):
        """Step 2: the named profile; likely duplicates must be confirmed as different people."""
        consent = fresh_consent()
        if consent is None:
            flash(gettext("Read the privacy statement with the client first."), "warning")
            return redirect(url_for(".index"))
        form = profile_form("named", registering=True)
        if request.method == "GET":
            self._prefill(form, request.args.get("family_of", type=int))
        duplicates = []
        if form.validate_on_submit():
            duplicates = [] if form.confirm_different.data else likely_duplicates(form.data)
            if not duplicates:
                client = self._save_named(form, consent)
                session.pop(CONSENT_KEY, None)
                return redirect(url_for(".done", client_id=client.id))
        return self.render("admin/clients/register_named.html", form=form, duplicates=duplicates)

    def _prefill(self, form, family_of):
        form.prefill_defaults()
        form.assigned_staff.data = [str(current_user.id)]
        if family_of:
            relative = visible_client(family_of, kind="named")
            for spec in profile_fields("named"):
                if spec.family and spec.name in form:
                    form[spec.name].data = getattr(relative, spec.name)
            if not relative.family_code:
                form.family_code.data = "NOUVEAU" if locale_language() == "fr" else "NEW"
        for name, value in name_prefill(request.args).items():
            form[name].data = value

    def _save_named(self, form, consent):
        client = Client(kind="named", created_by_id=current_user.id)
        form.fill(client)
        self._share_family_code(client.family_code, request.args.get("family_of", type=int))
        take_consent(client, consent)
        assign_staff(client, form.assigned_staff.data, by=current_user)
        db.session.add(client)
        db.session.flush()
        record_activity(client, current_user, "registered")
        db.session.commit()
        return client

    def _share_family_code(self, code, family_of):
        """ "Add family member" from a client with no code yet gives both the new code."""
        if family_of and code:
            relative = visible_client(family_of, kind="named")
            relative.family_code = relative.family_code or code

    @expose("/anonymous/", methods=("GET", "POST"))
    def anonymous(self):
        form = profile_form("anonymous", registering=True)
        if request.method == "GET":
            form.prefill_defaults()
        if form.validate_on_submit():
            client = Client(kind="anonymous", created_by_id=current_user.id)
            form.fill(client)
            db.session.add(client)
            db.session.flush()
            record_activity(client, current_user, "registered")
            db.session.commit()
            return redirect(url_for(".done", client_id=client.id))
        return self.render("admin/clients/register_anonymous.html", form=form)

    @expose("/done/<int:client_id>/")
    def done(self, client_id):
        """Step 3: the registration wizard's next steps."""
        return self.render("admin/clients/registered.html", client=visible_client(client_id))
