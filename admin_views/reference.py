"""Read-only grid of the reference value lists (they are edited in ``reference_data/``): each
list by its name in the interface's language, the values as stored (English, as iCARE has them)."""

from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual
from flask_babel import lazy_gettext

from admin_views.base import ProjectModelView, ReadOnlyMixin
from models.reference import LIST_LABELS, ReferenceValue, list_label


def list_name_label(view, context, model, name):
    return list_label(model.list_name)


class ReferenceValueView(ReadOnlyMixin, ProjectModelView):
    required_roles = ("coordinator", "agency_admin")

    column_list = ("list_name", "value", "code", "position", "is_active")
    column_searchable_list = ("value", "code")
    column_filters = (
        FilterEqual(ReferenceValue.list_name, lazy_gettext("List"), options=list(LIST_LABELS.items())),
        BooleanEqualFilter(ReferenceValue.is_active, lazy_gettext("Active")),
    )
    column_default_sort = [("list_name", False), ("position", False)]
    column_labels = {"list_name": lazy_gettext("List"), "is_active": lazy_gettext("Active")}
    column_formatters = {"list_name": list_name_label}
    page_size = 50
