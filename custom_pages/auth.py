"""Staff sign-in and sign-out, with a per-account throttle on failed attempts.

A staff member with two-step sign-in gives the password here, then a code on the page in
``custom_pages/two_step.py``; between the two they are *not* signed in: the session only holds
who is pending, for ``TWO_STEP_PENDING`` (5 minutes)."""

import secrets
import time

from argon2.exceptions import VerificationError
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from custom_pages import session_timeout
from extensions import db, login_manager
from i18n import STAFF_LANGUAGE_KEY
from models.base import utcnow
from models.principal import Principal, acting_as, install_request_principal
from models.staff import LANGUAGES, SignInAttempt, Staff, password_hasher
from models.tenancy import unscoped_options
from validation import is_local_path

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = lazy_gettext("That email and password do not match an active account.")
PENDING_TWO_STEP = "two_step_pending"


class SignInForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=1000)])


@login_manager.user_loader
def load_staff(session_token):
    """Find the signed-in staff member by their rotating session token (agency unknown yet), with
    their agency, which every admin page names beside theirs (one statement, not two)."""
    query = select(Staff).where(Staff.session_token == session_token, Staff.is_active.is_(True))
    query = query.options(joinedload(Staff.agency))
    return db.session.execute(query, execution_options=unscoped_options).scalar_one_or_none()


def safe_next(target):
    """Only a path on this site; anything else goes to the home page."""
    return target if is_local_path(target) else url_for("admin.index")


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
    """An unknown or deactivated email costs what a known one does: one verify of a hash made
    with the current cost parameters, and nothing else (no hashing on the way)."""
    hasher = password_hasher()
    try:
        hasher.verify(dummy_hash(hasher), password)
    except VerificationError:
        pass


def dummy_hash(hasher):
    """A throw-away hash, made once per set of cost parameters and kept for the app's life."""
    key = (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len, hasher.salt_len)
    cache = current_app.extensions.setdefault("dummy_password_hashes", {})
    if key not in cache:
        cache[key] = hasher.hash(secrets.token_urlsafe(16))
    return cache[key]


def claim_attempt(email):
    """Record an attempt (a password, or a two-step code) *before* it is checked, as a failure
    until it succeeds, then count: requests made in parallel each see the others' claims, so
    no more than ``SIGN_IN_MAX_FAILURES`` guesses are ever checked in a lock-out window.
    Returns the claim, or ``None`` when the email is locked out (the claim is withdrawn)."""
    attempt = SignInAttempt(email=email, succeeded=False, remote_addr=request.remote_addr or "")
    db.session.add(attempt)
    db.session.commit()
    if recent_failures(email) <= current_app.config["SIGN_IN_MAX_FAILURES"]:
        return attempt
    withdraw_attempt(attempt)
    return None


def withdraw_attempt(attempt):
    """Forget a claim that was not a guess (locked out, or a right password awaiting its code)."""
    db.session.delete(attempt)
    db.session.commit()


def locked_out_message():
    return gettext(
        "Too many failed sign-in attempts for this account. Wait %(minutes)d minutes and try again, or ask your agency admin.",
        minutes=int(current_app.config["SIGN_IN_LOCKOUT"].total_seconds() // 60),
    )


def check_credentials(email, password):
    """The staff member these credentials open, or ``None`` (the claimed attempt stays a failure)."""
    staff = find_active_staff(email)
    if staff is None:
        spend_hash_time(password)
    if staff is None or not staff.check_password(password):
        return None
    with acting_as(signing_in(staff)):
        db.session.commit()  # a password hash upgraded by check_password
    return staff


def signing_in(staff):
    """The person signing in acts for themselves before their session exists."""
    return Principal.staff(staff, *request_origin())


def request_origin():
    return (request.remote_addr or ""), (request.endpoint or "")


def request_principal():
    """Who is acting in this request: the signed-in staff member, or nobody (also while the
    account itself is being loaded)."""
    if g.get("loading_principal"):
        return None
    g.loading_principal = True
    try:
        signed_in = current_user and current_user.is_authenticated
    finally:
        g.loading_principal = False
    return Principal.staff(current_user, *request_origin()) if signed_in else None


def init_app(app):
    """Make the signed-in staff member the principal of every request (``models/principal.py``)."""
    install_request_principal(app, request_principal, request_origin)


def finish_sign_in(staff, attempt):
    """Sign the staff member in: the claimed attempt becomes a success, which resets the
    throttle, and the idle clock starts."""
    with acting_as(signing_in(staff)):
        staff.last_sign_in_at = utcnow()
        attempt.succeeded = True
        db.session.commit()
    session.clear()  # nothing of whoever used this browser before (nor the pending two-step)
    login_user(staff)
    session_timeout.touch()


def start_two_step(staff, target):
    """Password right, code still needed: remember who, briefly; nobody is signed in yet."""
    until = time.time() + current_app.config["TWO_STEP_PENDING"].total_seconds()
    session.clear()
    session[PENDING_TWO_STEP] = {"staff_id": staff.id, "token": staff.session_token, "until": until, "next": target}
    return redirect(url_for("two_step.sign_in_code"))


def pending_two_step():
    """The staff member waiting for their code, or ``None`` when there is none or it expired."""
    pending = session.get(PENDING_TWO_STEP)
    if not isinstance(pending, dict) or time.time() > pending.get("until", 0):
        session.pop(PENDING_TWO_STEP, None)
        return None
    query = select(Staff).where(Staff.id == pending.get("staff_id"), Staff.is_active.is_(True))
    staff = db.session.execute(query, execution_options=unscoped_options).scalar_one_or_none()
    return staff if staff is not None and staff.session_token == pending.get("token") and staff.totp_secret else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if (attempt := claim_attempt(email)) is None:
            flash(locked_out_message(), "error")
        elif (staff := check_credentials(email, form.password.data)) is None:
            flash(str(BAD_CREDENTIALS), "error")
        elif staff.totp_secret:
            withdraw_attempt(attempt)  # the code is the guess that counts
            return start_two_step(staff, safe_next(request.args.get("next")))
        else:
            finish_sign_in(staff, attempt)
            return redirect(safe_next(request.args.get("next")))
    return render_template("custom_pages/login.html", form=form)


@bp.route("/login/language", methods=["POST"])
def choose_language():
    """The sign-in page's language switch (before anyone signs in; each language named in its
    own): kept in this browser's session until someone signs in."""
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session[STAFF_LANGUAGE_KEY] = language
    target = request.form.get("next")
    return redirect(url_for("auth.login", next=target) if is_local_path(target) else url_for("auth.login"))


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out here and everywhere else (the session token is rotated); this browser's session
    is emptied."""
    if current_user.is_authenticated:
        current_user.end_all_sessions()
        db.session.commit()
    session_timeout.end_session()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
def root():
    return redirect(url_for("admin.index"))
