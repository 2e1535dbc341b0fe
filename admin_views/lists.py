"""Small agency-editable lists: group activity names (coordinators) and agency questions (admins)."""

from flask_babel import gettext, lazy_gettext
from wtforms import TextAreaField
from wtforms.validators import ValidationError

from admin_views.base import ALL_ROLES, ProjectModelView
from models.questions import ANSWER_TYPES, CLIENT_PROFILE
from service_forms.catalogue import FORMS

MANAGERS = ("coordinator", "agency_admin")
TARGETS = [(CLIENT_PROFILE, lazy_gettext("Client profile"))] + [(kind, spec.label) for kind, spec in FORMS.items()]


def target_label(view, context, model, name):
    return dict(TARGETS).get(model.target, model.target)


def answer_type_label(view, context, model, name):
    return ANSWER_TYPES.get(model.answer_type, model.answer_type)


class GroupActivityNameView(ProjectModelView):
    required_roles = ALL_ROLES
    manage_roles = MANAGERS
    allow_delete = False  # deactivate instead: past sessions keep their name

    column_list = ("name", "is_active")
    column_labels = {"is_active": lazy_gettext("Active")}
    column_searchable_list = ("name",)
    column_default_sort = "name"
    form_columns = ("name", "is_active")


class AgencyQuestionView(ProjectModelView):
    required_roles = manage_roles = ("agency_admin",)
    allow_delete = False  # deactivate instead: answers already given stay readable

    column_list = ("target", "position", "label", "answer_type", "is_required", "is_active")
    column_labels = {
        "target": lazy_gettext("Asked on"),
        "answer_type": lazy_gettext("Answer"),
        "is_required": lazy_gettext("Required"),
        "is_active": lazy_gettext("Active"),
    }
    column_formatters = {"target": target_label, "answer_type": answer_type_label}
    column_filters = ("target", "answer_type", "is_active")
    column_default_sort = [("target", False), ("position", False)]
    form_columns = ("target", "label", "answer_type", "choice_lines", "is_required", "position", "is_active")
    form_choices = {"target": TARGETS, "answer_type": list(ANSWER_TYPES.items())}
    form_extra_fields = {"choice_lines": TextAreaField(lazy_gettext("Choices (one per line, for choice questions)"))}
    version_writes = {"choice_lines": ("choices",)}

    def on_form_prefill(self, form, id):
        form.choice_lines.data = "\n".join(self.get_one(id).choices or [])

    def on_model_change(self, form, model, is_created):
        """Keep the choices as a list; a choice question needs at least two."""
        model.choices = [line.strip() for line in (form.choice_lines.data or "").splitlines() if line.strip()]
        if model.answer_type in ("choice", "multichoice") and len(model.choices) < 2:
            raise ValidationError(gettext("A choice question needs at least two choices, one per line."))
        if model.answer_type not in ("choice", "multichoice"):
            model.choices = []
