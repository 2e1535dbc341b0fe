"""Forgotten passwords: the "Forgot your password?" page and the reset page its email links to.

Both are pages of someone not signed in. The request page answers the same whatever email is
typed (an account, none, a deactivated one, one asked too often): the mail, when there is one,
is sent after the answer has gone (``call_on_close``), so the answer takes the same time too.
The link (``models/sign_in_links.py``) works once, for ``RESET_LIFETIME``; a new request ends the
older link. Setting the new password ends every session of the account (``Staff.set_password``
rotates the session token); two-step sign-in stays on and is still asked for."""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from custom_pages import auth
from extensions import db
from models.base import utcnow
from models.errors import LinkNotValid
from models.notification_sending import send_now
from models.notifications import queue_message
from models.principal import Declaration, acting_as, tenant_scope
from models.reminders import site_url
from models.sign_in_links import SignInLink, issue_link, peek_link, redeem_link, token_hash
from models.staff import SignInAttempt
from models.tenancy import unscoped_options
from validation import MIN_PASSWORD_LENGTH, password_problem

bp = Blueprint("password_reset", __name__)

PURPOSE = "staff_password_reset"
RESET_LIFETIME = timedelta(hours=1)
MAX_MAILS = 3  # reset mails per account within the sign-in lock-out window (15 minutes)
SENDING = Declaration.of("password reset mail")
SAME_ANSWER = lazy_gettext(
    "If that email belongs to an active account, a link to choose a new password is on its way. "
    "It works once, within an hour. Check your inbox (and spam folder)."
)
LINK_PROBLEMS = {
    "unknown": lazy_gettext("This link is not a valid password reset link. Check that the whole link was copied."),
    "expired": lazy_gettext("This link has expired: links work for one hour."),
    "used": lazy_gettext("This link was already used, or a newer link was sent since."),
}


class ForgotForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Email(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(lazy_gettext("New password"), validators=[DataRequired(), Length(max=1000)])
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[DataRequired(), EqualTo("password", message=lazy_gettext("The two passwords are not the same."))],
    )


def too_many_mails(staff):
    since = utcnow() - current_app.config["SIGN_IN_LOCKOUT"]
    query = select(func.count(SignInLink.id)).where(
        SignInLink.staff_id == staff.id, SignInLink.purpose == PURPOSE, SignInLink.created_at >= since
    )
    return db.session.scalar(query, execution_options=unscoped_options) >= MAX_MAILS


def queue_reset_mail(staff):
    """A new link and its message, committed; returns ``(agency id, message id)`` to send."""
    with acting_as(auth.signing_in(staff)):
        token = issue_link(PURPOSE, staff=staff, lifetime=RESET_LIFETIME)
        context = {
            "agency_name": staff.agency.name,
            "reset_url": site_url(url_for("password_reset.reset", token=token)),
            "minutes": int(RESET_LIFETIME.total_seconds() // 60),
        }
        note = queue_message(staff, PURPOSE, context, f"{PURPOSE}:{token_hash(token)}")
        db.session.commit()
    return staff.agency_id, note.id if note is not None and note.status == "queued" else None


def send_after_response(app, agency_id, note_id):
    """Send at once, through the sending job's claim (a failure waits for the job); the sent
    copy keeps no usable link (``notification_sending.forget_link``)."""
    with app.app_context(), tenant_scope(agency_id, SENDING):
        try:
            send_now([note_id])
        except Exception:  # the answer has gone: logged; the message stays for the sending job
            current_app.logger.exception("sending a password reset mail at once failed")
            db.session.rollback()


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot():
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = ForgotForm()
    if not form.validate_on_submit():
        return render_template("custom_pages/forgot_password.html", form=form)
    staff = auth.find_active_staff(form.email.data.strip().lower())
    to_send = queue_reset_mail(staff) if staff is not None and not too_many_mails(staff) else None
    flash(str(SAME_ANSWER), "info")
    response = redirect(url_for("auth.login"))
    if to_send and to_send[1] is not None:
        app = current_app._get_current_object()
        response.call_on_close(lambda: send_after_response(app, *to_send))
    return response


def link_problem_page(error):
    return render_template("custom_pages/reset_link_problem.html", message=LINK_PROBLEMS[error.reason]), 410


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset(token):
    try:
        staff = peek_link(token, PURPOSE).staff
    except LinkNotValid as error:
        return link_problem_page(error)
    form = NewPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data, (staff.email, staff.first_name, staff.last_name))
        if problem:
            form.password.errors.append(gettext(problem))
        else:
            return set_new_password(token, form.password.data)
    return render_template("custom_pages/reset_password.html", form=form, staff=staff, min_length=MIN_PASSWORD_LENGTH)


def set_new_password(token, password):
    """Use the link and set the password in one transaction: both, or neither."""
    try:
        staff = redeem_link(token, PURPOSE).staff
    except LinkNotValid as error:
        db.session.rollback()
        return link_problem_page(error)
    with acting_as(auth.signing_in(staff)):
        staff.set_password(password)  # a new session token: every session of the account ends
        db.session.add(SignInAttempt(email=staff.email.lower(), succeeded=True, remote_addr=auth.request_origin()[0]))
        db.session.commit()
    flash(gettext("Your password is changed, and every session of your account was signed out. Sign in with it now."), "success")
    return redirect(url_for("auth.login"))
