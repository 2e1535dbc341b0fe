"""The client grid (/admin/clients/) and, through mixins, the client dashboard and its actions."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from admin_views.answer_filter import AnswerFilter
from admin_views.base import ProjectModelView, ReadOnlyMixin, is_id, looked_up, per_request, row_url
from admin_views.formatters import profile_choices, value_list
from admin_views.locking import flash_stale, form_labels
from custom_pages.case_notes import CaseNotesMixin
from custom_pages.client_dashboard import ClientDashboardMixin
from custom_pages.client_documents import ClientDocumentsMixin
from custom_pages.client_eap import ClientEapMixin
from custom_pages.client_files import ClientFilesMixin
from custom_pages.client_forms import profile_form
from custom_pages.client_jobs import ClientJobsMixin
from custom_pages.client_merge import ClientMergeMixin
from custom_pages.client_portal import ClientPortalMixin
from custom_pages.client_print import ClientPrintMixin
from custom_pages.client_privacy import ClientPrivacyMixin
from custom_pages.client_training import ClientTrainingMixin
from custom_pages.notifications import ClientNotificationsMixin
from custom_pages.plans import ClientPlansMixin
from custom_pages.referrals import ClientReferralsMixin
from custom_pages.registration import fresh_consent, take_consent
from extensions import db
from models import lookups
from models.agencies import sites
from models.base import utcnow
from models.clients import CLIENT_KINDS, Client, ClientAssignment, assign_staff
from models.errors import StaleRecord
from models.find_client import CANDIDATES, find_clients
from models.questions import CLIENT_PROFILE
from models.record_history import check_version, refusing_stale
from models.reference import choices
from models.staff import staff_members


def dashboard_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(row_url(".dashboard", {"client_id": model.id}), model.display_name)


def staff_names(view, context, model, name):
    return ", ".join(a.staff.name for a in model.assignments)


def kind_label(view, context, model, name):
    return CLIENT_KINDS[model.kind]


def staff_search(query, limit):
    """Staff, past ones too (their records stay theirs), matching what was typed."""
    return lookups.staff(query, limit, past_too=True)


def staff_label(staff_id):
    return lookups.staff_names([staff_id], past_too=True)


@looked_up(staff_search, staff_label)
def staff_options():
    """A staff filter is a look-up (``staff_search``): the list is never built whole for it."""
    return [(str(s.id), s.name) for s in staff_members()]


def site_options():
    return [(str(s.id), s.name) for s in sites()]


class IdFilter(FilterEqual):
    def validate(self, value):
        return is_id(value)

    def clean(self, value):
        return int(value)  # compared as a number (PostgreSQL has no integer = varchar)


class AssignedWorkerFilter(IdFilter):
    """Clients assigned to one staff member."""

    def apply(self, query, value, alias=None):
        return query.filter(Client.assignments.any(ClientAssignment.staff_id == int(value)))


class ArchivedFilter(BooleanEqualFilter):
    """Archived clients are hidden unless this filter is used."""


class ClientView(
    ClientDashboardMixin,
    CaseNotesMixin,
    ClientFilesMixin,
    ClientPrintMixin,
    ClientPrivacyMixin,
    ClientReferralsMixin,
    ClientNotificationsMixin,
    ClientPlansMixin,
    ClientMergeMixin,
    ClientPortalMixin,
    ClientJobsMixin,
    ClientDocumentsMixin,
    ClientTrainingMixin,
    ClientEapMixin,
    ReadOnlyMixin,
    ProjectModelView,
):
    allow_edit = True  # the profile form below, with optimistic locking; new clients come from registration
    list_template = "admin/clients/list.html"

    column_list = (
        "registration_number",
        "display_name",
        "date_of_birth",
        "phone",
        "registration_site",
        "assigned",
        "kind",
        "immigration_status",
        "registration_date",
    )
    column_labels = {
        "registration_number": lazy_gettext("No."),
        "display_name": lazy_gettext("Name"),
        "date_of_birth": lazy_gettext("Date of birth"),
        "assigned": lazy_gettext("Assigned staff"),
        "is_archived": lazy_gettext("Archived"),
        "registration_site": lazy_gettext("Registration site"),
    }
    column_formatters = {
        "display_name": dashboard_link,
        "assigned": staff_names,
        "kind": kind_label,
        "immigration_status": value_list("immigration_statuses"),
    }
    column_searchable_list = ("last_name",)
    column_filters = (
        AssignedWorkerFilter(Client.id, lazy_gettext("Assigned worker"), options=per_request(staff_options)),
        IdFilter(Client.registration_site_id, lazy_gettext("Registration site"), options=per_request(site_options)),
        FilterEqual(Client.kind, lazy_gettext("Kind"), options=list(CLIENT_KINDS.items())),
        FilterEqual(
            Client.immigration_status,
            lazy_gettext("Immigration status"),
            options=per_request(lambda: choices("immigration_statuses")),
        ),
        ArchivedFilter(Client.is_archived, lazy_gettext("Archived")),
        AnswerFilter(Client.answers, lazy_gettext("Agency question"), targets=(CLIENT_PROFILE,)),
    )
    column_sortable_list = (
        ("display_name", ("last_name", "first_name")),
        "date_of_birth",
        "registration_date",
        ("registration_number", "id"),
    )
    column_default_sort = ("id", True)
    column_details_exclude_list = ("search_text", "phone_digits", "email_key", "version", "agency")
    column_export_list = (
        "registration_number",
        "kind",
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        "phone",
        "email",
        "registration_site",
        "registration_date",
        "immigration_status",
        "assigned",
    )
    # the profile's choices by their labels (gender, immigration status...), as the grid and the profile show them
    column_formatters_export = {"assigned": staff_names, "kind": kind_label, **profile_choices(column_export_list)}

    def get_query(self):
        """Each row's assigned workers (listed): the assignments and their staff in one statement."""
        query = super().get_query().options(selectinload(Client.assignments).joinedload(ClientAssignment.staff))
        return query if self._showing_archived() else query.filter(Client.is_archived.is_(False))

    def get_one_query(self):
        """The dashboard and edit page open archived clients too."""
        return super(ProjectModelView, self).get_query()

    def _showing_archived(self):
        return any(isinstance(flt, ArchivedFilter) for _, _, flt, _ in self._active_filters())

    def _active_filters(self):
        filters = self._get_list_filter_args() if request else None
        return [(i, name, self._filters[i], value) for i, name, value in (filters or [])]

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """Search through find-a-client's index instead of a LIKE scan of every column."""
        ids = find_clients(search, include_archived=True, limit=CANDIDATES, ids_only=True)
        query = query.filter(Client.id.in_(ids))
        count_query = count_query.filter(Client.id.in_(ids)) if count_query is not None else None
        return query, count_query, joins, count_joins

    def search_placeholder(self):
        return gettext("Name, phone, email, date of birth, IRCC id, family code...")

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        """Edit the profile; a version check refuses to overwrite someone else's changes."""
        client = self.get_one(request.args.get("id"))
        consent = None
        if client.needs_profile and client.privacy_consent_at is None:  # a quick attendee: the statement first
            consent = fresh_consent()
            if consent is None:
                flash(gettext("Read the privacy statement with the client before completing their profile."), "warning")
                return redirect(url_for("registration.index", completing=client.id))
        form = profile_form(client.kind)
        if client.kind == "named":
            form.keep_assigned(client)
        if request.method == "GET":
            form.load(client)
        elif form.validate_on_submit():
            try:
                self._save_profile(client, form, consent)
            except StaleRecord as stale:
                flash_stale(stale, profile_labels(form))
                form.stamp(client)  # saving again, after reading what changed, is the person's choice
            else:
                flash(gettext("Profile saved."), "success")
                return redirect(url_for(".dashboard", client_id=client.id))
        template = "admin/clients/register_named.html" if client.kind == "named" else "admin/clients/register_anonymous.html"
        return self.render(
            template,
            form=form,
            duplicates=[],
            title=gettext("Edit %(name)s (%(number)s)", name=client.display_name, number=client.registration_number),
        )

    def _save_profile(self, client, form, consent=None):
        """Save in one transaction, refused (``StaleRecord``) if the profile changed since the
        form was loaded, its contacts and assignments included."""
        loaded = form.loaded()
        check_version(client, loaded)
        form.fill(client)
        client.updated_at = utcnow()  # an UPDATE (and a new version) even if only contacts changed
        if client.kind == "named":
            assign_staff(client, form.assigned_staff.data, by=current_user)
            if consent is not None:
                take_consent(client, consent)
            client.needs_profile = False  # a quick attendee's profile has now been completed
        with refusing_stale([client], loaded.seen):
            db.session.commit()


def profile_labels(form):
    """Names of what a profile save writes, as the audit trail keys them."""
    return {
        **form_labels(form),
        **form_labels(form, prefix="answers."),
        "emergency_contact": gettext("Emergency contacts"),
        "client_assignment": gettext("Assigned staff"),
    }
