"""Message kinds and their email templates: the agency's own wording, else the shipped default.

Every kind of message (``KINDS``) names who receives it (staff or clients) and the placeholders
its templates may use. Agencies edit a subject, a text body and an HTML body per kind and
language (``MessageTemplate``); without one, the twin files
``templates/notifications/<kind>.<language>.txt`` (first line ``Subject: ...``) and ``.html``
shipped with the code are used. Placeholders are Jinja expressions (``{{ client_name }}``),
rendered in a sandbox: the HTML body with autoescaping, so a value can never add markup. A
template naming a placeholder its kind does not offer is refused when saved, naming it.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import force_locale, gettext, lazy_gettext
from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from extensions import db
from models.base import Timestamped, Versioned
from models.tenancy import AgencyOwned

DEFAULTS_FOLDER = Path(__file__).resolve().parent.parent / "templates" / "notifications"
LANGUAGES = {"en": "English", "fr_CA": "Français (Canada)"}
COMMON_PLACEHOLDERS = ("recipient_name", "agency_name")


@dataclass(frozen=True)
class MessageKind:
    key: str
    label: object  # a lazy string
    audience: str  # "staff" or "client"
    placeholders: tuple  # beyond COMMON_PLACEHOLDERS
    may_opt_out: bool = True  # a security notice (break-glass) always goes
    link_path: str = ""  # where its single-use link points: the stored copy loses the token once sent

    @property
    def allowed(self):
        return COMMON_PLACEHOLDERS + self.placeholders

    def without_link(self, body):
        """``body`` with its single-use link's token replaced (what the outbox keeps once sent)."""
        if not self.link_path:
            return body
        return re.sub(re.escape(self.link_path) + r"[A-Za-z0-9_-]+", self.link_path + "[sent]", body)


# A new kind: one entry here and its four default files (en/fr_CA, .txt/.html).
KINDS = {
    kind.key: kind
    for kind in (
        MessageKind(
            "session_incomplete",
            lazy_gettext("Session still incomplete"),
            "staff",
            ("session_date", "session_type", "days", "session_url"),
        ),
        MessageKind(
            "appointment_reminder",
            lazy_gettext("Appointment reminder"),
            "client",
            ("client_name", "session_date", "session_type", "staff_name"),
        ),
        MessageKind(
            "task_due",
            lazy_gettext("Task due"),
            "staff",
            ("task_title", "due_date", "priority", "client_name", "task_url"),
        ),
        MessageKind(
            "referral_follow_up",
            lazy_gettext("Referral follow-up due"),
            "staff",
            ("client_name", "need", "partner", "referral_date", "follow_up_date", "referral_url"),
        ),
        MessageKind(
            "referral_reminder",
            lazy_gettext("Referral reminder"),
            "client",
            ("client_name", "partner", "partner_contact", "need", "referral_date", "follow_up_date", "staff_name"),
        ),
        MessageKind(
            "follow_up_survey",
            lazy_gettext("Follow-up survey"),
            "client",
            ("client_name", "partner", "need", "survey_url", "staff_name"),
        ),
        MessageKind(
            "plan_follow_up",
            lazy_gettext("Settlement plan follow-up due"),
            "staff",
            ("client_name", "follow_up_date", "plan_start_date", "plan_url"),
        ),
        MessageKind(
            "break_glass",
            lazy_gettext("Break-glass opening of my record"),
            "staff",
            ("opener_name", "record_label", "client_name", "opened_at", "reason", "minutes"),
            may_opt_out=False,
        ),
        MessageKind(
            "staff_password_reset",
            lazy_gettext("Password reset link"),
            "staff",
            ("reset_url", "minutes"),
            may_opt_out=False,
            link_path="/password-reset/",
        ),
        MessageKind(
            "portal_invite",
            lazy_gettext("Client portal invitation"),
            "client",
            ("invite_url", "expires_at", "staff_name"),
            may_opt_out=False,
            link_path="/portal/accept/",
        ),
        MessageKind(
            "portal_password_reset",
            lazy_gettext("Client portal password reset"),
            "client",
            ("reset_url", "expires_at", "staff_name"),
            may_opt_out=False,
            link_path="/portal/reset/",
        ),
    )
}


def kinds_for(audience, opt_out_only=False):
    return [kind for kind in KINDS.values() if kind.audience == audience and (kind.may_opt_out or not opt_out_only)]


class MessageTemplate(Versioned, AgencyOwned, Timestamped, db.Model):
    """An agency's wording of one message kind in one language."""

    __tablename__ = "message_templates"
    __table_args__ = (db.UniqueConstraint("agency_id", "kind", "language"),)

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)
    language = db.Column(db.String(10), nullable=False, default="en")
    subject = db.Column(db.String(300), nullable=False)
    body_text = db.Column(db.Text, nullable=False)
    body_html = db.Column(db.Text, nullable=False)

    def __str__(self):
        kind = KINDS.get(self.kind)
        return f"{kind.label if kind else self.kind} ({LANGUAGES.get(self.language, self.language)})"


TEXT = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
HTML = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


@dataclass(frozen=True)
class Wording:
    subject: str
    body_text: str
    body_html: str


def default_wording(kind, language):
    """The shipped twin files of a kind (English when a language has none)."""
    if not (DEFAULTS_FOLDER / f"{kind}.{language}.txt").exists():
        language = "en"
    text = (DEFAULTS_FOLDER / f"{kind}.{language}.txt").read_text(encoding="utf-8")
    html = (DEFAULTS_FOLDER / f"{kind}.{language}.html").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    return Wording(first.removeprefix("Subject:").strip(), body.lstrip("\n"), html)


def wording(kind, language):
    """The agency's template of this kind and language, else its default."""
    row = db.session.scalar(db.select(MessageTemplate).filter_by(kind=kind, language=language))
    return Wording(row.subject, row.body_text, row.body_html) if row else default_wording(kind, language)


def placeholder_problems(source, kind):
    """What is wrong with one template text of ``kind``: a syntax error or unknown placeholders."""
    try:
        names = meta.find_undeclared_variables(TEXT.parse(source or ""))
    except TemplateSyntaxError as error:
        return [gettext("The template cannot be read (line %(line)s): %(error)s", line=error.lineno, error=error.message)]
    unknown = sorted(names - set(KINDS[kind].allowed))
    return [gettext("Unknown placeholder: {{ %(name)s }}", name=name) for name in unknown]


def _rendered(words, values):
    subject = TEXT.from_string(words.subject).render(values)
    text = TEXT.from_string(words.body_text).render(values)
    return " ".join(subject.split())[:300], text, HTML.from_string(words.body_html).render(values)


def render(kind, language, context):
    """``(subject, text, html)`` of ``kind`` with ``context`` (a missing placeholder reads empty).
    Rendered in ``language``: a label of the context given as a lazy string (a session type, a
    priority, a need area) reads in the recipient's language, not the job's or the sender's."""
    values = {name: context.get(name, "") for name in KINDS[kind].allowed}
    with force_locale(language):
        try:
            return _rendered(wording(kind, language), values)
        except (TemplateSyntaxError, UndefinedError, SecurityError):  # saved before the kind lost a placeholder
            return _rendered(default_wording(kind, language), values)
