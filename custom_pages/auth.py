"""Staff sign-in and sign-out, with a per-account throttle on failed attempts."""

from urllib.parse import urlsplit

from argon2.exceptions import VerificationError
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from extensions import db, login_manager
from models.base import utcnow
from models.staff import SignInAttempt, Staff, password_hasher
from models.tenancy import tenant_scope, unscoped_options

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = "That email and password do not match an active account."
LOCKED_OUT = "Too many failed sign-in attempts for this account. Wait {minutes} minutes and try again, or ask your agency admin."


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])


@login_manager.user_loader
def load_staff(session_token):
    """Find the signed-in staff member by their rotating session token (agency unknown yet)."""
    query = select(Staff).where(Staff.session_token == session_token, Staff.is_active.is_(True))
    return db.session.execute(query, execution_options=unscoped_options).scalar_one_or_none()


def safe_next(target):
    """Only a path on this site; anything else goes to the home page."""
    parts = urlsplit(target or "")
    if (
        target
        and not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
    ):
        return target
    return url_for("admin.index")


def recent_failures(email):
    """Failed attempts for this email inside the lock-out window since its last success."""
    since = utcnow() - current_app.config["SIGN_IN_LOCKOUT"]
    last_success = (
        select(func.max(SignInAttempt.attempted_at))
        .where(SignInAttempt.email == email, SignInAttempt.succeeded.is_(True))
        .scalar_subquery()
    )
    query = select(func.count(SignInAttempt.id)).where(
        SignInAttempt.email == email,
        SignInAttempt.succeeded.is_(False),
        SignInAttempt.attempted_at >= since,
        SignInAttempt.attempted_at > func.coalesce(last_success, since),
    )
    return db.session.scalar(query)


def find_active_staff(email):
    query = select(Staff).where(func.lower(Staff.email) == email, Staff.is_active.is_(True))
    return db.session.execute(query, execution_options=unscoped_options).scalar_one_or_none()


def spend_hash_time(password):
    """Verify against a throw-away hash so an unknown email answers as slowly as a known one."""
    hasher = password_hasher()
    dummy = current_app.extensions.setdefault("dummy_password_hash", hasher.hash("not a password"))
    try:
        hasher.verify(dummy, password)
    except VerificationError:
        pass


def attempt_sign_in(email, password):
    """The staff member these credentials open, or ``None``; every attempt is logged."""
    staff = find_active_staff(email)
    if staff is None:
        spend_hash_time(password)
    succeeded = staff is not None and staff.check_password(password)
    db.session.add(SignInAttempt(email=email, succeeded=succeeded, remote_addr=request.remote_addr or ""))
    if not succeeded:
        db.session.commit()
        return None
    with tenant_scope(staff.agency_id):
        staff.last_sign_in_at = utcnow()
        db.session.commit()
    return staff


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if recent_failures(email) >= current_app.config["SIGN_IN_MAX_FAILURES"]:
            minutes = int(current_app.config["SIGN_IN_LOCKOUT"].total_seconds() // 60)
            flash(LOCKED_OUT.format(minutes=minutes), "error")
        elif (staff := attempt_sign_in(email, form.password.data)) is None:
            flash(BAD_CREDENTIALS, "error")
        else:
            login_user(staff)
            return redirect(safe_next(request.args.get("next")))
    return render_template("custom_pages/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out here and everywhere else: the session token is rotated."""
    if current_user.is_authenticated:
        current_user.end_all_sessions()
        db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
def root():
    return redirect(url_for("admin.index"))
