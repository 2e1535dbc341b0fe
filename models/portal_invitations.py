"""Inviting a client to the portal and sending them a password reset: a single-use link that
expires (``models/sign_in_links.py``), emailed through the notifications mechanism (so it is on
the client's Notifications tab). Nothing is written when the message could not go (no email, no
consent to notifications): ``InvalidEntry`` says why."""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext

from models.base import utcnow
from models.errors import InvalidEntry
from models.notifications import REASONS, queue_message, refusal
from models.portal_accounts import account_of, prepare_account
from models.reminders import site_url
from models.sign_in_links import issue_link, token_hash

INVITE, RESET = "portal_invite", "portal_password_reset"
LIFETIMES = {INVITE: timedelta(days=7), RESET: timedelta(hours=24)}
ALREADY_SIGNED_IN = lazy_gettext("The client has already signed in to the portal: send a password reset instead.")
NOT_ACCEPTED = lazy_gettext("The client has not accepted the portal invitation yet: resend the invitation instead.")


def lifetime(purpose):
    return current_app.config.get(f"{purpose.upper()}_LIFETIME", LIFETIMES[purpose])


def check_deliverable(client, kind):
    if reason := refusal(client, kind, "email"):
        raise InvalidEntry("email", REASONS[reason])


def invite(client, staff):
    """Invite (or invite again, while the client has never signed in); returns the message."""
    check_deliverable(client, INVITE)
    account = account_of(client)
    if account is not None and account.has_signed_in:
        raise InvalidEntry("client", ALREADY_SIGNED_IN)
    prepare_account(client, staff)
    return send_link(client, staff, INVITE, "invite_url", "/portal/accept/")


def send_password_reset(client, staff=None):
    """A new-password link for a client who accepted the invitation (sent by ``staff``, or asked
    for by the client on the sign-in page); returns the message."""
    check_deliverable(client, RESET)
    account = account_of(client)
    if account is None or account.accepted_at is None:
        raise InvalidEntry("client", NOT_ACCEPTED)
    return send_link(client, staff, RESET, "reset_url", "/portal/reset/")


def send_link(client, staff, purpose, placeholder, path):
    token = issue_link(purpose, client=client, lifetime=lifetime(purpose))
    context = {
        placeholder: site_url(path + token),
        "expires_at": (utcnow() + lifetime(purpose)).strftime("%Y-%m-%d %H:%M UTC"),
        "staff_name": staff.name if staff else "",
    }
    return queue_message(client, purpose, context, f"{purpose}:{client.id}:{token_hash(token)[:32]}", sender=staff)
