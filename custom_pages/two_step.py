"""Optional two-step sign-in (TOTP, RFC 6238, through pyotp): the settings page where any staff
member turns it on or off, the code page that follows the password, and the rule that an
agency admin must set it up first when their agency asks for it (``Agency.two_step_for_admins``).

A code is accepted once: ``Staff.totp_last_step`` keeps the last accepted time step, and only a
later step is accepted after it (a conditional UPDATE, so two requests cannot both use one code).
A wrong code counts as a failed sign-in attempt, so the sign-in throttle covers the code page."""

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import or_, update
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from custom_pages import auth
from custom_pages.session_timeout import is_static
from extensions import db
from models import recovery_codes
from models.principal import acting_as
from models.staff import Staff

bp = Blueprint("two_step", __name__)

ISSUER = "OCMS-Flask"
SETUP_NONCE = "totp_setup_nonce"
WRONG_CODE = lazy_gettext("That code is not right, or it was already used. Enter the newest code from your app.")
REQUIRED = lazy_gettext("Your agency asks agency admins to use two-step sign-in: set it up to go on.")
OPEN_DURING_SETUP = {"two_step.settings", "two_step.enable", "auth.logout"}


def code_field():
    return StringField(lazy_gettext("Code from your app"), validators=[DataRequired(), Length(max=12)], filters=[normalise_code])


def normalise_code(value):
    return "".join((value or "").split())


class CodeForm(FlaskForm):
    code = code_field()


class DisableForm(FlaskForm):
    password = PasswordField(lazy_gettext("Your password"), validators=[DataRequired(), Length(max=1000)])
    code = code_field()


class EnableForm(DisableForm):
    """Turning it on also asks for the password: someone at an unlocked screen could otherwise
    tie the account to their own phone and lock its owner out."""


def matching_step(secret, code, now=None):
    """The time step whose code this is (the previous, current or next 30 s), else ``None``."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in (current - 1, current, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def accept_code(staff, code):
    """Whether ``code`` opens this account now; an accepted step can never be used again."""
    step = matching_step(staff.totp_secret, code) if code.isdigit() else None
    if step is None:
        return False
    statement = (
        update(Staff)
        .where(Staff.id == staff.id, or_(Staff.totp_last_step.is_(None), Staff.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    with acting_as(auth.signing_in(staff)):
        accepted = db.session.execute(statement).rowcount == 1
        db.session.commit()
    return accepted


def accept_recovery_code(staff, code):
    """A recovery code instead of the app's code: each works once (``models/recovery_codes.py``)."""
    if code.isdigit():
        return False
    with acting_as(auth.signing_in(staff)):
        accepted = recovery_codes.use_code(staff, code)
        db.session.commit()
        left = recovery_codes.codes_left(staff) if accepted else None
    if accepted:
        used = gettext("You used a recovery code: %(count)d left. Make new ones on the two-step sign-in page.", count=left)
        flash(used, "warning")
    return accepted


def is_required(staff):
    return staff.role == "agency_admin" and staff.agency.two_step_for_admins


@bp.before_app_request
def require_setup_for_admins():
    """An agency admin without two-step sign-in, in an agency that requires it, can only set it up."""
    if is_static(request.endpoint) or request.endpoint in OPEN_DURING_SETUP:
        return None
    if current_user.is_authenticated and not current_user.totp_secret and is_required(current_user):
        flash(str(REQUIRED), "warning")
        return redirect(url_for("two_step.settings"))
    return None


@bp.route("/login/code", methods=["GET", "POST"])
def sign_in_code():
    """The second step: the password was right; the session holds who is pending, not signed in."""
    staff = auth.pending_two_step()
    if staff is None:
        flash(gettext("Sign in again: the two-step sign-in waited too long."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if (attempt := auth.claim_attempt(staff.email)) is None:
            session.pop(auth.PENDING_TWO_STEP, None)
            flash(auth.locked_out_message(), "error")
            return redirect(url_for("auth.login"))
        if accept_code(staff, form.code.data) or accept_recovery_code(staff, form.code.data):
            target = session[auth.PENDING_TWO_STEP]["next"]
            auth.finish_sign_in(staff, attempt)
            return redirect(auth.safe_next(target))
        flash(str(WRONG_CODE), "error")  # the claimed attempt stays a failure
    return render_template("custom_pages/two_step_code.html", form=form)


def setup_secret(staff=None):
    """The secret being set up. The session cookie (signed, but readable by whoever holds it)
    keeps only a random nonce; the secret is derived on the server from it, the app's secret
    key and the person's session token (a password change starts the set-up again)."""
    staff = staff or current_user
    if not isinstance(session.get(SETUP_NONCE), str):
        session[SETUP_NONCE] = secrets.token_urlsafe(16)
    message = f"totp-setup:{staff.id}:{staff.session_token}:{session[SETUP_NONCE]}".encode()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()  # 160 bits, as pyotp.random_base32()


def setup_details(secret):
    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.email, issuer_name=ISSUER)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"uri": uri, "secret": grouped, "qr": Markup(segno.make(uri, error="m").svg_inline(scale=4))}


@bp.route("/two-step")
@login_required
def settings():
    if current_user.totp_secret:
        return render_template(
            "custom_pages/two_step.html",
            form=DisableForm(),
            codes_form=DisableForm(prefix="codes"),
            codes_left=recovery_codes.codes_left(current_user),
            required=is_required(current_user),
        )
    return render_template("custom_pages/two_step.html", form=EnableForm(), setup=setup_details(setup_secret()))


@bp.route("/two-step/enable", methods=["POST"])
@login_required
def enable():
    """Save the secret only once a code made from it is right: the app is set up correctly."""
    form = EnableForm()
    if current_user.totp_secret or not isinstance(session.get(SETUP_NONCE), str):
        return redirect(url_for(".settings"))
    if (attempt := auth.claim_attempt(current_user.email)) is None:
        flash(auth.locked_out_message(), "error")
        return redirect(url_for(".settings"))
    secret = setup_secret()
    valid = form.validate_on_submit() and current_user.check_password(form.password.data)
    step = matching_step(secret, form.code.data) if valid else None
    if step is None:
        flash(
            gettext(
                "The password or the code is not right. "
                "That code is not right, or it was already used. Enter the newest code from your app."
            ),
            "error",
        )
        return redirect(url_for(".settings"))
    auth.withdraw_attempt(attempt)
    current_user.totp_secret, current_user.totp_last_step = secret, step
    db.session.commit()
    session.pop(SETUP_NONCE, None)
    flash(gettext("Two-step sign-in is on: from now on you will be asked for a code after your password."), "success")
    return redirect(url_for("admin.index"))


def proves_identity(staff, form):
    code = form.code.data
    return staff.check_password(form.password.data) and (accept_code(staff, code) or accept_recovery_code(staff, code))


@bp.route("/two-step/disable", methods=["POST"])
@login_required
def disable():
    """Turn it off with the password and a code; refused where the agency requires it."""
    form = DisableForm()
    if not current_user.totp_secret or is_required(current_user):
        flash(gettext("Your agency requires two-step sign-in for agency admins."), "error")
        return redirect(url_for(".settings"))
    if (attempt := auth.claim_attempt(current_user.email)) is None:
        flash(auth.locked_out_message(), "error")
    elif form.validate_on_submit() and proves_identity(current_user, form):
        auth.withdraw_attempt(attempt)
        current_user.totp_secret = current_user.totp_last_step = None
        recovery_codes.remove_codes(current_user)
        db.session.commit()
        flash(gettext("Two-step sign-in is off."), "success")
    else:
        flash(gettext("The password or the code is not right."), "error")  # the claimed attempt stays a failure
    return redirect(url_for(".settings"))


@bp.route("/two-step/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    """Ten new recovery codes (the old ones stop working), shown on this answer only: the
    password and a code (or a recovery code) first, as for turning it off."""
    form = DisableForm(prefix="codes")
    if not current_user.totp_secret:
        return redirect(url_for(".settings"))
    if (attempt := auth.claim_attempt(current_user.email)) is None:
        flash(auth.locked_out_message(), "error")
        return redirect(url_for(".settings"))
    if not (form.validate_on_submit() and proves_identity(current_user, form)):
        flash(gettext("The password or the code is not right."), "error")  # the claimed attempt stays a failure
        return redirect(url_for(".settings"))
    auth.withdraw_attempt(attempt)
    codes = recovery_codes.new_codes(current_user)
    db.session.commit()
    response = make_response(render_template("custom_pages/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response
