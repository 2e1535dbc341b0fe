"""Grids of the referral partners (/admin/partners/), referrals (/admin/referrals/) and tasks
(/admin/tasks/). Referrals and tasks are made from the client dashboard (custom_pages/referrals.py);
the grids find, follow up and update them."""

from datetime import date

from flask import url_for
from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual
from flask_babel import lazy_gettext
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError

from admin_views.base import ALL_ROLES, ProjectModelView, per_request
from admin_views.clients import IdFilter, staff_options
from models.errors import InvalidEntry
from models.referrals import (
    OPEN_STATUSES,
    PARTNER_KINDS,
    REFERRAL_STATUSES,
    Referral,
    ReferralPartner,
    active_partners,
    check_referral,
    need_choices,
    need_label,
)
from models.tasks import PRIORITIES, TASK_STATUSES, Task, check_task

MANAGERS = ("coordinator", "agency_admin")


def partner_options():
    return [(str(p.id), p.name) for p in active_partners()]


def need_areas_text(view, context, model, name):
    return ", ".join(str(need_label(code)) for code in model.need_areas or [])


def client_link(view, context, model, name):
    if model.client is None:
        return ""
    return Markup('<a href="{}">{}</a>').format(
        url_for("clients.dashboard", client_id=model.client_id, tab="referrals"), model.client.display_name
    )


def labelled(values):
    return lambda view, context, model, name: str(values.get(getattr(model, name), getattr(model, name)))


def partner_services(view, context, model, name):
    return model.services_label


def refusing(check, model):
    """A domain refusal as the form's error message (Flask-Admin shows it; nothing is saved)."""
    try:
        check(model)
    except InvalidEntry as refused:
        raise ValidationError(str(refused.message)) from refused


class ReferralPartnerView(ProjectModelView):
    required_roles = ALL_ROLES
    manage_roles = MANAGERS
    allow_delete = False  # deactivate instead: referrals keep their partner

    column_list = ("name", "kind", "services", "need_areas", "languages", "phone", "is_active")
    column_labels = {
        "is_active": lazy_gettext("Active"),
        "need_areas": lazy_gettext("Need areas"),
        "eligibility_notes": lazy_gettext("Eligibility"),
    }
    column_formatters = {"need_areas": need_areas_text, "kind": labelled(PARTNER_KINDS), "services": partner_services}
    column_formatters_export = column_formatters
    column_searchable_list = ("name", "services", "languages", "eligibility_notes", "address", "contact_name")
    column_filters = (FilterEqual(ReferralPartner.kind, lazy_gettext("Kind"), options=list(PARTNER_KINDS.items())), "is_active")
    column_default_sort = "name"
    column_details_exclude_list = ("agency", "version", "partnership")
    form_columns = (
        "name",
        "services",
        "need_area_list",
        "contact_name",
        "phone",
        "email",
        "address",
        "languages",
        "eligibility_notes",
        "is_active",
    )
    form_extra_fields = {"need_area_list": SelectMultipleField(lazy_gettext("Need areas"), choices=need_choices())}
    version_writes = {"need_area_list": ("need_areas",)}

    def on_form_prefill(self, form, id):
        form.need_area_list.data = list(self.get_one(id).need_areas or [])

    def on_model_change(self, form, model, is_created):
        """External partners are made here; agency partners come with an accepted partnership."""
        model.need_areas = list(form.need_area_list.data or [])
        if is_created:
            model.kind = "external"


class FollowUpDueFilter(BooleanEqualFilter):
    """Open referrals whose follow-up date has come (yes) or not yet (no)."""

    def apply(self, query, value, alias=None):
        due = Referral.status.in_(OPEN_STATUSES) & (Referral.follow_up_date <= date.today())
        return query.filter(due if value else ~due)


class ReferralView(ProjectModelView):
    allow_create = False  # from the client dashboard, with the client
    allow_delete = False  # closed, not deleted

    column_list = (
        "client",
        "need_area",
        "target",
        "referral_date",
        "status",
        "partner_answer",
        "follow_up_date",
        "referring_staff",
    )
    column_labels = {
        "partner_answer": lazy_gettext("Partner agency's answer"),
        "need_area": lazy_gettext("Need"),
        "target": lazy_gettext("Referred to"),
        "referring_staff": lazy_gettext("Referred by"),
        "follow_up_date": lazy_gettext("Follow-up"),
    }
    column_formatters = {
        "client": client_link,
        "need_area": lambda v, c, m, n: m.need_label,
        "target": lambda v, c, m, n: m.target_name,
        "status": labelled(REFERRAL_STATUSES),
        "partner_answer": lambda v, c, m, n: m.shared.status_label if m.shared else "",
    }
    column_formatters_export = {**column_formatters, "client": lambda v, c, m, n: m.client.display_name}
    column_filters = (
        FilterEqual(Referral.status, lazy_gettext("Status"), options=list(REFERRAL_STATUSES.items())),
        IdFilter(Referral.referring_staff_id, lazy_gettext("Worker"), options=per_request(staff_options)),
        IdFilter(Referral.partner_id, lazy_gettext("Partner"), options=per_request(partner_options)),
        FilterEqual(Referral.need_area, lazy_gettext("Need"), options=need_choices()),
        FollowUpDueFilter(Referral.follow_up_date, lazy_gettext("Follow-up due")),
    )
    column_sortable_list = ("referral_date", "follow_up_date", "status")
    column_default_sort = ("referral_date", True)
    column_details_list = ("client", "need_area", "target", "referral_date", "status", "follow_up_date", "outcome", "notes")
    form_columns = ("status", "follow_up_date", "outcome", "notes")
    form_choices = {"status": list(REFERRAL_STATUSES.items())}
    edit_template = "admin/referral_edit.html"  # which referral it is (client, need, partner, date) above the form

    def get_query(self):
        """The partner agency's answers and the "Referred to" partner or program in one query each
        (Flask-Admin loads the listed relationships)."""
        loads = (selectinload(Referral.shared), selectinload(Referral.partner), selectinload(Referral.to_program))
        return super().get_query().options(*loads)

    def on_model_change(self, form, model, is_created):
        refusing(check_referral, model)


class TaskView(ProjectModelView):
    allow_create = False  # from the client dashboard
    allow_delete = False  # cancelled, not deleted

    column_list = ("title", "assignee", "client", "due_date", "priority", "status", "created_by")
    column_labels = {"assignee": lazy_gettext("For"), "created_by": lazy_gettext("Given by"), "due_date": lazy_gettext("Due")}
    column_formatters = {
        "assignee": lambda v, c, m, n: m.assignee_name,
        "client": client_link,
        "priority": labelled(PRIORITIES),
        "status": labelled(TASK_STATUSES),
    }
    column_formatters_export = {**column_formatters, "client": lambda v, c, m, n: m.client.display_name if m.client else ""}
    column_searchable_list = ("title",)
    column_filters = (
        FilterEqual(Task.status, lazy_gettext("Status"), options=list(TASK_STATUSES.items())),
        FilterEqual(Task.priority, lazy_gettext("Priority"), options=list(PRIORITIES.items())),
        IdFilter(Task.assigned_to_id, lazy_gettext("For staff member"), options=per_request(staff_options)),
        IdFilter(Task.created_by_id, lazy_gettext("Given by"), options=per_request(staff_options)),
    )
    column_sortable_list = ("due_date", "priority", "status")
    column_default_sort = [("due_date", False)]
    column_details_list = ("title", "details", "assignee", "client", "due_date", "priority", "status", "done_date", "created_by")
    form_columns = ("title", "details", "due_date", "priority", "status")
    form_choices = {"priority": list(PRIORITIES.items()), "status": list(TASK_STATUSES.items())}

    def on_model_change(self, form, model, is_created):
        refusing(check_task, model)
