"""Portal sign-in, sign-out, accepting an invitation and choosing a new password.

The same rules as staff sign-in (``custom_pages/auth.py``, whose helpers these are): the throttle
counts failures per email in ``sign_in_attempts`` (under ``portal:<email>``, apart from staff's),
an unknown email costs one password verify like a known one, the same password policy
(``validation.password_problem``), CSRF on every form, a fresh session at sign-in. Invitation
and reset links are single-use and expire (``models/sign_in_links.py``).
"""

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from custom_pages.auth import BAD_CREDENTIALS, claim_attempt, locked_out_message, spend_hash_time
from extensions import db
from models.base import utcnow
from models.clients import Client
from models.errors import LinkNotValid
from models.notification_sending import send_now
from models.notifications import refusal
from models.portal_accounts import accept, account_of, find_account_by_email, load_client, may_sign_in
from models.portal_invitations import send_password_reset
from models.principal import Principal, acting_as, tenant_scope
from models.sign_in_links import peek_link, redeem_link
from portal import sessions
from portal.blueprint import bp
from portal.language import end_session_keeping_language, keep_chosen_language
from validation import password_problem

INVITE, RESET = "portal_invite", "portal_password_reset"
LINK_PROBLEMS = {
    "unknown": lazy_gettext("This link is not valid. Ask your caseworker for a new one."),
    "expired": lazy_gettext("This link has expired. Ask your caseworker to send a new one."),
    "used": lazy_gettext("This link was already used. Sign in, or ask your caseworker for a new link."),
}


class PortalSignInForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=240)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=1000)])


class ForgotForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=240)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(lazy_gettext("New password"), validators=[DataRequired(), Length(max=1000)])
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[DataRequired(), EqualTo("password", message=lazy_gettext("The two passwords differ."))],
    )

    def __init__(self, client, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.personal = [client.email or "", client.first_name or "", client.last_name or ""]

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.personal)
        if problem:
            raise ValidationError(problem)


class AcceptForm(NewPasswordForm):
    consent = BooleanField(
        lazy_gettext("I agree to use the client portal: my caseworkers and I will see the same tasks, files and job search."),
        validators=[DataRequired(message=lazy_gettext("Tick this box to use the portal."))],
    )


def as_client(client):
    return acting_as(Principal.portal_client(client))


def check_credentials(email, password):
    """The account these credentials open (its client may use the portal), or ``None``."""
    account = find_account_by_email(email)
    if account is None or not account.password_hash:
        spend_hash_time(password)
        return None
    client = load_client(account)
    with as_client(client):
        opened = account.check_password(password) and may_sign_in(account, client)
        db.session.commit()  # a password hash upgraded by check_password
    return account if opened else None


def finish_sign_in(account, attempt=None):
    with as_client(load_client(account)):
        account.last_sign_in_at = utcnow()
        keep_chosen_language(account)
        if attempt is not None:
            attempt.succeeded = True
        db.session.commit()
    sessions.start(account)


@bp.route("/", methods=("GET", "POST"))
def sign_in():
    if g.portal_client is not None:
        return redirect(url_for("portal.overview"))
    form = PortalSignInForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if (attempt := claim_attempt("portal:" + email)) is None:
            flash(locked_out_message(), "error")
        elif (account := check_credentials(email, form.password.data)) is None:
            flash(str(BAD_CREDENTIALS), "error")
        else:
            finish_sign_in(account, attempt)
            return redirect(url_for("portal.overview"))
    return render_template("portal/sign_in.html", form=form)


@bp.route("/sign-out", methods=("POST",))
def sign_out():
    """Sign out here and in every other browser (the account's token is rotated)."""
    if g.portal_account is not None:
        g.portal_account.end_all_sessions()
        db.session.commit()
    end_session_keeping_language()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("portal.sign_in"))


RESET_ON_ITS_WAY = lazy_gettext("If this email signs in to a portal account, a link to choose a new password is on its way.")


def send_self_reset(email):
    """A reset link for the account of ``email`` if it may sign in; nothing otherwise (the page
    says the same either way). Sent as a job of the account's agency (nobody is signed in)."""
    account = find_account_by_email(email)
    if account is None or account.accepted_at is None:
        return
    with tenant_scope(account.agency_id):
        client = db.session.get(Client, account.client_id)
        if not may_sign_in(account_of(client), client) or refusal(client, RESET, "email"):
            db.session.rollback()
            return
        note = send_password_reset(client)
        db.session.commit()
        if note is not None:
            send_now([note.id])


def send_reset_after_response(app, email):
    with app.app_context():
        try:
            send_self_reset(email)
        except Exception:  # the answer has gone: a failure is logged, the client may ask again
            current_app.logger.exception("portal password reset for a requested address failed")
            db.session.rollback()


@bp.route("/forgot", methods=("GET", "POST"))
def forgot_password():
    """Ask for a reset link: throttled per email like sign-in (a flood of mail to one address is
    refused after a few), and the same answer whether the account exists or not."""
    form = ForgotForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        response = redirect(url_for("portal.sign_in"))
        if claim_attempt("portal-reset:" + email) is not None:  # sent after the answer: it takes the same time
            app = current_app._get_current_object()
            response.call_on_close(lambda: send_reset_after_response(app, email))
        flash(str(RESET_ON_ITS_WAY), "info")
        return response
    return render_template("portal/forgot.html", form=form)


def link_problem(error):
    return render_template("portal/link_problem.html", message=LINK_PROBLEMS[error.reason]), 404


@bp.route("/accept/<token>", methods=("GET", "POST"))
def accept_invite(token):
    """The invitation: choose a password and consent to the portal; then signed in."""
    return password_page(token, INVITE, AcceptForm, "portal/accept.html")


@bp.route("/reset/<token>", methods=("GET", "POST"))
def reset_password(token):
    """A password reset sent by staff: choose a new password; then signed in."""
    return password_page(token, RESET, NewPasswordForm, "portal/reset.html")


def password_page(token, purpose, form_class, template):
    try:
        link = peek_link(token, purpose)
    except LinkNotValid as error:
        return link_problem(error)
    form = form_class(link.client)
    if not form.validate_on_submit():
        with as_client(link.client):
            account = account_of(link.client)
            return render_template(template, form=form, client=link.client, email=account.email if account else "")
    try:
        link = redeem_link(token, purpose)
    except LinkNotValid as error:
        db.session.rollback()
        return link_problem(error)
    with as_client(link.client):
        account = account_of(link.client)
        if account is None or (account.accepted_at is None) == (purpose == RESET):  # an invitation opens a new account only
            db.session.rollback()
            abort(404)
        accept(account, form.password.data) if purpose == INVITE else account.set_password(form.password.data)
        db.session.commit()
        allowed = may_sign_in(account, link.client)
    if not allowed:
        flash(gettext("Your password is saved, but your portal access is closed. Ask your caseworker."), "error")
        return redirect(url_for("portal.sign_in"))
    finish_sign_in(account)
    flash(gettext("Welcome to your portal."), "success")
    return redirect(url_for("portal.overview"))
