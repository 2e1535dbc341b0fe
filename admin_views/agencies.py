"""Grids for the agency's own settings, sites, programs and funders."""

from flask_babel import gettext, lazy_gettext
from sqlalchemy import func, inspect, select
from wtforms.validators import URL, Length, NumberRange, Optional, ValidationError

from admin_views.base import ALL_ROLES, ProjectModelView
from extensions import db
from models.agencies import SITE_KINDS
from models.mentors import DEFAULT_UPDATE_WEEKS
from models.service_sessions import session_funders
from validation import phone

ADMIN = ("agency_admin",)
MANAGERS = ("coordinator", "agency_admin")


def web_address(form, field):
    """An http(s) address with a host name (it goes into emails as a link). The message is a
    plain string: Flask-Admin shows only string errors, not lazy ones."""
    message = gettext("Enter a web address starting with https://")
    if not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError(message)
    URL(require_tld=True, message=message)(form, field)


def site_kind_label(view, context, model, name):
    return SITE_KINDS.get(model.kind, model.kind)


class AgencySettingsView(ProjectModelView):
    """The signed-in staff member's own agency (the tenant scope hides all others)."""

    required_roles = manage_roles = ADMIN
    allow_create = allow_delete = False
    can_export = False

    column_list = ("name", "code", "privacy_statement_version", "retention_months", "two_step_for_admins", "updated_at")
    form_columns = (
        "name",
        "address",
        "phone",
        "privacy_statement_en",
        "privacy_statement_fr",
        "retention_months",
        "two_step_for_admins",
        "incomplete_session_reminder_days",
        "follow_up_survey_url",
        "mentor_update_weeks",
    )
    column_labels = {
        "address": lazy_gettext("Address"),
        "phone": lazy_gettext("Phone"),
        "privacy_statement_en": lazy_gettext("Privacy statement (English)"),
        "privacy_statement_fr": lazy_gettext("Privacy statement (French)"),
        "retention_months": lazy_gettext("Retention period (months)"),
        "two_step_for_admins": lazy_gettext("Two-step sign-in required for agency admins"),
        "incomplete_session_reminder_days": lazy_gettext("Remind the session lead of an incomplete session after (days)"),
        "follow_up_survey_url": lazy_gettext("Follow-up survey link"),
        "mentor_update_weeks": lazy_gettext("A mentor match needs an update every (weeks)"),
    }
    column_descriptions = {
        "mentor_update_weeks": lazy_gettext(
            "Ongoing matches without a Mentor/Tutor Update for longer are listed on Mentor matches."
        ),
        "address": lazy_gettext("Printed on the registration receipt, with the phone number."),
        "retention_months": lazy_gettext(
            "Clients with no activity for longer are anonymised by the scheduled retention job. Empty: never."
        ),
        "two_step_for_admins": lazy_gettext("Agency admins must set up an authenticator app and enter its code at each sign-in."),
        "incomplete_session_reminder_days": lazy_gettext(
            "Emailed once per session by the scheduled notifications job. Empty: never."
        ),
        "follow_up_survey_url": lazy_gettext(
            "Emailed to the client once a referral is attended or closed (clients who agreed to notifications). Empty: never."
        ),
    }
    form_args = {
        "address": {"validators": [Optional(), Length(max=300)], "filters": [lambda value: (value or "").strip()]},
        "phone": {"validators": [Optional(), phone], "filters": [lambda value: (value or "").strip()]},
        "retention_months": {"validators": [Optional(), NumberRange(min=12, max=1200)]},
        "incomplete_session_reminder_days": {"validators": [Optional(), NumberRange(min=1, max=365)]},
        "mentor_update_weeks": {"validators": [Optional(), NumberRange(min=1, max=52)]},
        "follow_up_survey_url": {
            "validators": [Optional(), web_address],
            "filters": [lambda value: (value or "").strip() or None],
        },
    }
    form_widget_args = {
        "privacy_statement_en": {"rows": 8},
        "privacy_statement_fr": {"rows": 8},
    }

    def on_model_change(self, form, model, is_created):
        """A new wording is a new version: consents record which one the client accepted. No
        number of weeks for mentor updates: the default."""
        model.mentor_update_weeks = model.mentor_update_weeks or DEFAULT_UPDATE_WEEKS
        history = [inspect(model).attrs[name].history for name in ("privacy_statement_en", "privacy_statement_fr")]
        if any(h.has_changes() for h in history):
            model.privacy_statement_version = (model.privacy_statement_version or 0) + 1


class SiteView(ProjectModelView):
    required_roles = ALL_ROLES
    manage_roles = ADMIN

    column_list = ("name", "kind", "address", "city", "postal_code", "is_active")
    column_searchable_list = ("name", "address", "city", "postal_code")
    column_filters = ("kind", "city", "is_active")
    column_sortable_list = ("name", "kind", "city", "postal_code")
    column_default_sort = "name"
    column_formatters = {"kind": site_kind_label}
    column_labels = {"is_active": lazy_gettext("Active")}
    form_columns = ("name", "kind", "address", "city", "postal_code", "is_active")
    form_choices = {"kind": list(SITE_KINDS.items())}


class FunderView(ProjectModelView):
    required_roles = ALL_ROLES
    manage_roles = ADMIN

    column_list = ("name", "code")
    column_searchable_list = ("name", "code")
    column_default_sort = "name"
    form_columns = ("name", "code")

    def on_model_delete(self, model):
        """Refuse to delete a funder that sessions name (the database would silently take it
        off them, and each would then fail "Choose at least one funder" when edited). The count
        reads the link table: every session of the agency counts, seen or not; only the number
        is shown."""
        count = db.session.scalar(select(func.count()).where(session_funders.c.funder_id == model.id))
        if count:
            raise ValidationError(
                gettext(
                    "%(funder)s funds %(count)s session(s), so it cannot be deleted. Choose another funder on those "
                    "sessions first, or keep this one.",
                    funder=model,
                    count=count,
                )
            )


class ProgramView(ProjectModelView):
    required_roles = ALL_ROLES
    manage_roles = ADMIN

    column_list = ("name", "funder", "description", "is_active")
    column_searchable_list = ("name", "description")
    column_filters = ("funder.name", "is_active")
    column_sortable_list = ("name", ("funder", "funder.name"))
    column_default_sort = "name"
    column_labels = {"is_active": lazy_gettext("Active"), "funder.name": lazy_gettext("Funder")}
    form_columns = ("name", "funder", "description", "is_active")
