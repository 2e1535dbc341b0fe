"""My account: every staff member edits their own profile (title, phone, client-safe reply-to
address, default site, funder and program, interface language) and changes their own password.

The profile is the ``Staff`` row, versioned: a save from a page loaded before another change to
these fields is refused with what changed; changes to other columns meanwhile (a sign-in
elsewhere, an admin's role change) are merged. A password change needs the current password
(claimed as a sign-in attempt, so the throttle covers it), follows the password policy and
signs out every other session of the account; this one stays signed in."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext, refresh
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

import validation
from admin_views.base import ProjectView
from admin_views.locking import VersionFields, flash_stale, form_labels
from custom_pages import auth
from extensions import db
from models.agencies import funders, programs, sites
from models.errors import StaleRecord
from models.record_history import check_version, refusing_stale
from models.staff import LANGUAGES, Staff

PROFILE_FIELDS = (
    "title",
    "phone",
    "reply_to_email",
    "default_site_id",
    "default_funder_id",
    "default_program_id",
    "interface_language",
)
CHOICE_FIELDS = {"default_site_id", "default_funder_id", "default_program_id", "interface_language"}


class ProfileForm(VersionFields, FlaskForm):
    title = StringField(lazy_gettext("Job title"), validators=[Length(max=100)], filters=[lambda v: (v or "").strip()])
    phone = StringField(lazy_gettext("Work phone"), validators=[Length(max=30), validation.phone])
    reply_to_email = EmailField(
        lazy_gettext("Client-safe reply-to email"),
        validators=[Optional(), Length(max=254), validation.email],
        description=lazy_gettext("Messages to clients carry it as Reply-To (a work address, never a personal one)."),
    )
    default_site_id = SelectField(lazy_gettext("Default site"))
    default_funder_id = SelectField(lazy_gettext("Default funder"))
    default_program_id = SelectField(lazy_gettext("Default program"))
    interface_language = SelectField(lazy_gettext("Interface language"))

    def __init__(self, me, *args, **kwargs):
        super().__init__(*args, **kwargs)
        none = [("", gettext("(none)"))]
        self.default_site_id.choices = none + options(sites(active_only=True), me.default_site)
        self.default_funder_id.choices = none + options(funders(), me.default_funder)
        self.default_program_id.choices = none + options(program_choices(me), me.default_program)
        self.interface_language.choices = [("", gettext("The browser's language")), *LANGUAGES.items()]

    def fill_from(self, me):
        for name in PROFILE_FIELDS:
            value = getattr(me, name)
            getattr(self, name).data = ("" if value is None else str(value)) if name in CHOICE_FIELDS else (value or "")
        self.stamp(me)

    def write_to(self, me):
        for name in PROFILE_FIELDS:
            value = getattr(self, name).data or ""
            if name in CHOICE_FIELDS:
                value = (int(value) if name.endswith("_id") else value) if value else None
            elif name == "reply_to_email":
                value = value.strip() or None
            setattr(me, name, value)


def program_choices(me):
    """The staff member's own programs, or every active one when they are in none."""
    return [p for p in me.programs if p.is_active] or programs(active_only=True)


def options(rows, current):
    """``(id, name)`` of ``rows``, plus the current choice when it is no longer offered."""
    listed = [(str(row.id), str(row)) for row in rows]
    if current is not None and str(current.id) not in {value for value, _ in listed}:
        listed.append((str(current.id), gettext("%(name)s (inactive)", name=current)))
    return listed


class PasswordForm(FlaskForm):
    current_password = PasswordField(lazy_gettext("Current password"), validators=[DataRequired(), Length(max=1000)])
    new_password = PasswordField(lazy_gettext("New password"), validators=[DataRequired(), Length(max=1000)])
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=lazy_gettext("The two passwords are not the same."))],
    )


class MyAccountView(ProjectView):
    """``/admin/my-account/``: the profile form and the password form, one page."""

    def is_visible(self):
        return False  # reached from the navigation bar's "My account" link

    def me(self):
        return db.session.get(Staff, current_user.id)

    def page(self, profile, password, status=200):
        return self.render("admin/my_account.html", profile=profile, password=password), status

    @expose("/", methods=("GET", "POST"))
    def index(self):
        me = self.me()
        form = ProfileForm(me)
        if request.method == "GET":
            form.fill_from(me)
            return self.page(form, PasswordForm(formdata=None))
        if not form.validate_on_submit():
            return self.page(form, PasswordForm(formdata=None), 400)
        try:
            save_profile(me, form)
        except StaleRecord as stale:
            flash_stale(stale, form_labels(form))
            form.stamp(me)
            return self.page(form, PasswordForm(formdata=None), 409)
        refresh()  # the confirmation in the interface language just saved
        flash(gettext("Your profile is saved."), "success")
        return redirect(url_for(".index"))

    @expose("/password/", methods=("POST",))
    def change_password(self):
        me = self.me()
        form = PasswordForm()
        profile = ProfileForm(me, formdata=None)
        profile.fill_from(me)
        if not form.validate_on_submit():
            return self.page(profile, form, 400)
        if (attempt := auth.claim_attempt(me.email.lower())) is None:
            form.current_password.errors.append(auth.locked_out_message())
            return self.page(profile, form, 429)
        if not me.check_password(form.current_password.data):
            form.current_password.errors.append(gettext("That is not your current password."))
            return self.page(profile, form, 400)  # the claimed attempt stays a failure
        if problem := validation.password_problem(form.new_password.data, (me.email, me.first_name, me.last_name)):
            auth.withdraw_attempt(attempt)
            form.new_password.errors.append(gettext(problem))
            return self.page(profile, form, 400)
        me.set_password(form.new_password.data)  # a new session token: every other session ends
        attempt.succeeded = True
        db.session.commit()
        login_user(me)  # this session carries the new token
        flash(gettext("Your password is changed. Your other sessions were signed out."), "success")
        return redirect(url_for(".index"))


def save_profile(me, form):
    loaded = form.loaded()
    check_version(me, loaded, fields=PROFILE_FIELDS)
    form.write_to(me)
    with refusing_stale([me], loaded.seen):
        db.session.commit()
