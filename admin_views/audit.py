"""The audit trail grid: agency admins only, read-only (no create, edit, delete or mass action);
above it, the date before which rows were archived (``flask --app app archive-audit``)."""

from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike
from flask_babel import gettext, lazy_gettext
from markupsafe import Markup, escape

from admin_views.base import ProjectModelView, ReadOnlyMixin, per_request
from admin_views.clients import IdFilter, staff_options
from admin_views.date_filters import DateRangeFilter
from custom_pages.client_audit import detail_label, field_label
from custom_pages.client_dashboard import TABS
from models.audit import AUDIT_ACTIONS, AuditEvent
from models.audit_archive import latest_archive
from models.client_profile import FIELDS as PROFILE_FIELDS
from models.referrals import need_label
from service_forms.labels import option_label
from service_forms.session_types import DELIVERY_LABELS, stored_session_type


def changes_table(view, context, model, name):
    """Old and new values, escaped, one line per field."""
    if not model.changes:
        return escape(detail_label(model.detail, TABS))  # "dashboard: Case notes" in the reader's language
    lines = (
        Markup("<div>{}: {} &rarr; {}</div>").format(field_label(field), _short(field, old), _short(field, new))
        for field, (old, new) in model.changes.items()
    )
    return Markup("").join(lines)


# Values the trail records as codes (kept as stored: the trail says what was written), read in
# the reader's language: a hidden value's marker, a list's English value, a session type's or a
# need area's key.
MASKED_LABELS = {"changed": lazy_gettext("changed"), "[private]": lazy_gettext("[private]")}
CODED_FIELDS = {
    "session_type": lambda value: stored_session_type(value).label,
    "need_area": need_label,
}


def shown_value(field, value):
    """A recorded value as the reader reads it: ``Female`` -> "Femme" in French, ``Yes`` ->
    "Oui", ``in_person`` and ``language_training`` by their labels; anything else as stored."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(shown_value(field, item)) for item in value)
    if not isinstance(value, str):
        return str(value)
    if value in MASKED_LABELS:
        return str(MASKED_LABELS[value])
    if field in PROFILE_FIELDS:
        return str(PROFILE_FIELDS[field].shown(value))
    if field in CODED_FIELDS:
        return str(CODED_FIELDS[field](value))
    if field == "delivery_method" and value in DELIVERY_LABELS:
        return str(DELIVERY_LABELS[value])
    return str(option_label(value))  # a service form's choice ("Yes", "In Person"...), else as stored


def _short(field, value, limit=120):
    text = shown_value(field, value)
    return text if len(text) <= limit else text[:limit] + "…"


def shown_detail(view, context, model, name):
    return detail_label(model.detail, TABS)


def changes_text(view, context, model, name):
    return "; ".join(f"{field}: {old} -> {new}" for field, (old, new) in (model.changes or {}).items()) or model.detail


class AuditView(ReadOnlyMixin, ProjectModelView):
    required_roles = manage_roles = ("agency_admin",)
    can_view_details = True
    action_disallowed_list = ["delete"]
    page_size = 50
    simple_list_pager = True  # no count over a table that only grows
    list_template = "admin/audit/list.html"  # says before when rows were archived

    column_list = ("at", "staff", "action", "record_type", "record_id", "client", "changes", "remote_addr")
    column_details_list = (
        "at",
        "staff",
        "remote_addr",
        "source",
        "action",
        "record_type",
        "record_id",
        "client",
        "changes",
        "detail",
    )
    column_labels = {
        "at": lazy_gettext("When (UTC)"),
        "record_type": lazy_gettext("Record"),
        "record_id": lazy_gettext("Id"),
        "remote_addr": lazy_gettext("From"),
        "changes": lazy_gettext("Changes"),
    }
    column_formatters = {
        "changes": changes_table,
        "detail": shown_detail,
        "action": lambda v, c, m, n: m.action_label,
        "record_type": lambda v, c, m, n: m.record_label,
        "client": lambda v, c, m, n: m.client.display_name if m.client else "",
    }
    column_formatters_export = {
        "changes": changes_text,
        "action": column_formatters["action"],
        "record_type": column_formatters["record_type"],
        "client": column_formatters["client"],
    }
    column_default_sort = ("at", True)
    column_sortable_list = ("at",)
    column_filters = (
        IdFilter(AuditEvent.client_id, lazy_gettext("Client id")),
        IdFilter(AuditEvent.staff_id, lazy_gettext("Staff"), options=per_request(staff_options)),
        FilterEqual(AuditEvent.action, lazy_gettext("Action"), options=list(AUDIT_ACTIONS.items())),
        FilterLike(AuditEvent.record_type, lazy_gettext("Record type")),
        IdFilter(AuditEvent.record_id, lazy_gettext("Record id")),
        DateRangeFilter(AuditEvent.at, lazy_gettext("When")),
    )

    def render(self, template, **kwargs):
        """The list page also gets the agency's latest archiving, so that nobody takes the
        archived months for missing history."""
        if template == self.list_template:
            kwargs["archived"] = latest_archive()
        return super().render(template, **kwargs)
