"""The agency's email templates (agency admins): one per message kind and language."""

from flask import request
from flask_babel import get_locale, gettext, lazy_gettext
from markupsafe import Markup
from sqlalchemy import select
from wtforms.validators import DataRequired, Length, ValidationError

from admin_views.base import ProjectModelView
from extensions import db
from models.message_templates import KINDS, LANGUAGES, MessageTemplate, default_wording, placeholder_problems

TEXT_FIELDS = {"subject": lazy_gettext("Subject"), "body_text": lazy_gettext("Text body"), "body_html": lazy_gettext("HTML body")}


def kind_choices(form):
    """The kinds' names and the placeholders' help in this request's language (Flask-Admin reads
    ``form_choices`` and ``column_descriptions`` once, when it builds the form class)."""
    form.kind.choices = [(key, str(kind.label)) for key, kind in KINDS.items()]
    form.body_text.description = placeholder_help()
    return form


def kind_label(view, context, model, name):
    return KINDS[model.kind].label if model.kind in KINDS else model.kind


def language_label(view, context, model, name):
    return LANGUAGES.get(model.language, model.language)


def placeholder_help():
    """Every kind with the placeholders its templates may use."""
    lines = [
        Markup("<li><strong>{}</strong>: {}</li>").format(kind.label, ", ".join(f"{{{{ {name} }}}}" for name in kind.allowed))
        for kind in KINDS.values()
    ]
    return Markup("<ul class='mb-0'>") + Markup("").join(lines) + Markup("</ul>")


class MessageTemplateView(ProjectModelView):
    required_roles = manage_roles = ("agency_admin",)
    can_export = False

    column_list = ("kind", "language", "subject", "updated_at")
    column_labels = {
        "kind": lazy_gettext("Message"),
        "language": lazy_gettext("Language"),
        "updated_at": lazy_gettext("Changed"),
        **TEXT_FIELDS,
    }
    column_formatters = {"kind": kind_label, "language": language_label}
    column_filters = ("kind", "language")
    column_default_sort = [("kind", False), ("language", False)]
    form_columns = ("kind", "language", "subject", "body_text", "body_html")
    form_choices = {"kind": [(key, kind.label) for key, kind in KINDS.items()], "language": list(LANGUAGES.items())}
    form_args = {
        "subject": {"validators": [DataRequired(), Length(max=300)]},
        "body_text": {"validators": [DataRequired(), Length(max=20000)]},
        "body_html": {"validators": [DataRequired(), Length(max=40000)]},
    }
    form_widget_args = {"body_text": {"rows": 10}, "body_html": {"rows": 10}}

    @property
    def column_descriptions(self):
        escaped = lazy_gettext("Placeholders are escaped: a value never adds markup.")
        return {"body_text": placeholder_help(), "body_html": escaped}

    def edit_form(self, obj=None):
        return kind_choices(super().edit_form(obj))

    def create_form(self, obj=None):
        """A new template starts from the shipped wording of the kind (``?kind=&language=``), in
        the interface's language unless the link names one."""
        form = kind_choices(super().create_form(obj))
        if request.method == "GET":
            kind = request.args.get("kind") if request.args.get("kind") in KINDS else next(iter(KINDS))
            mine = "fr_CA" if str(get_locale()).startswith("fr") else "en"
            language = request.args.get("language") if request.args.get("language") in LANGUAGES else mine
            words = default_wording(kind, language)
            form.kind.data, form.language.data = kind, language
            form.subject.data, form.body_text.data, form.body_html.data = words.subject, words.body_text, words.body_html
        return form

    def on_model_change(self, form, model, is_created):
        """Refuse an unknown placeholder (named) and a second template of a kind and language."""
        for name, label in TEXT_FIELDS.items():
            problems = placeholder_problems(getattr(model, name), model.kind)
            if problems:
                raise ValidationError(f"{label}: {'; '.join(problems)}")
        query = select(MessageTemplate.id).where(
            MessageTemplate.kind == model.kind, MessageTemplate.language == model.language, MessageTemplate.id != (model.id or 0)
        )
        with db.session.no_autoflush:
            if db.session.scalar(query) is not None:
                raise ValidationError(gettext("This message already has a template in this language: edit that one."))
