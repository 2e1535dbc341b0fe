"""Read-only grid of the reference value lists (they are edited in ``reference_data/``)."""

from flask_babel import lazy_gettext

from admin_views.base import ProjectModelView, ReadOnlyMixin


class ReferenceValueView(ReadOnlyMixin, ProjectModelView):
    required_roles = ("coordinator", "agency_admin")

    column_list = ("list_name", "value", "code", "position", "is_active")
    column_searchable_list = ("value", "code")
    column_filters = ("list_name", "is_active")
    column_default_sort = [("list_name", False), ("position", False)]
    column_labels = {"list_name": lazy_gettext("List"), "is_active": lazy_gettext("Active")}
    page_size = 50
