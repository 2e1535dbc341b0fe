"""Staff accounts (agency admins) and the read-only employee directory (everyone)."""

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import func, select
from wtforms import PasswordField
from wtforms.validators import ValidationError

import validation
from admin_views.base import ALL_ROLES, ProjectModelView, ReadOnlyMixin
from extensions import db
from models.audit import record_event
from models.recovery_codes import reset_two_step
from models.staff import LANGUAGES, ROLES, Staff
from models.tenancy import unscoped_options


def role_label(view, context, model, name):
    return ROLES.get(model.role, model.role)


def language_label(view, context, model, name):
    return LANGUAGES.get(model.interface_language) or lazy_gettext("The browser's language")


def program_names(view, context, model, name):
    return ", ".join(program.name for program in model.programs)


def email_link(view, context, model, name):
    return Markup('<a href="mailto:{0}">{0}</a>').format(escape(model.email))


def coordinators():
    return Staff.query.filter(Staff.role.in_(("coordinator", "agency_admin"))).order_by(Staff.last_name)


class StaffView(ProjectModelView):
    required_roles = manage_roles = ("agency_admin",)
    allow_delete = False  # deactivate instead: their records keep their author
    edit_template = "admin/staff_edit.html"  # adds "Reset two-step sign-in"

    @expose("/<int:staff_id>/reset-two-step/", methods=("POST",))
    def reset_two_step(self, staff_id):
        """An agency admin turns a colleague's two-step sign-in off (a lost phone): their secret
        and recovery codes go, their sessions end, and the audit trail records who did it."""
        colleague = self.get_one(staff_id)
        if colleague.id == current_user.id:
            flash(gettext("Use your own two-step sign-in page to change your own."), "error")
        elif not colleague.totp_secret:
            flash(gettext("%(name)s does not use two-step sign-in.", name=colleague.name), "info")
        else:
            reset_two_step(colleague)
            record_event("two_step_reset", "staff", colleague.id, detail=f"two-step sign-in reset by {current_user.name}")
            db.session.commit()
            done = gettext(
                "Two-step sign-in is reset for %(name)s: they sign in with their password and set it up again.",
                name=colleague.name,
            )
            flash(done, "success")
        return redirect(url_for(".edit_view", id=colleague.id))

    column_list = ("last_name", "first_name", "email", "role", "title", "default_site", "manager", "is_active", "last_sign_in_at")
    column_searchable_list = ("first_name", "last_name", "email", "title")
    column_filters = ("role", "is_active", "default_site.name", "programs.name")
    column_sortable_list = ("last_name", "first_name", "email", "role", "last_sign_in_at")
    column_default_sort = "last_name"
    column_formatters = {"role": role_label, "programs": program_names, "interface_language": language_label}
    column_labels = {
        "interface_language": lazy_gettext("Interface language"),
        "is_active": lazy_gettext("Active"),
        "is_icare_uploader": lazy_gettext("iCARE uploader"),
        "last_sign_in_at": lazy_gettext("Last sign-in"),
        "default_site.name": lazy_gettext("Default site"),
        "programs.name": lazy_gettext("Program"),
    }
    column_details_exclude_list = ("password_hash", "session_token", "totp_secret", "totp_last_step")
    column_export_exclude_list = column_details_exclude_list
    form_columns = (
        "email",
        "first_name",
        "last_name",
        "title",
        "phone",
        "role",
        "manager",
        "default_site",
        "programs",
        "interface_language",
        "reply_to_email",
        "is_active",
        "is_icare_uploader",
        "new_password",
    )
    form_choices = {"role": list(ROLES.items()), "interface_language": list(LANGUAGES.items())}
    form_extra_fields = {"new_password": PasswordField(lazy_gettext("New password"), validators=[validation.password_policy])}
    form_args = {
        "email": {"validators": [validation.email]},
        "reply_to_email": {
            "validators": [validation.email],
            "label": lazy_gettext("Client-safe reply-to email"),
            "description": lazy_gettext("Messages to clients carry it as Reply-To (a work address, never a personal one)."),
        },
        "phone": {"validators": [validation.phone]},
        "manager": {"query_factory": coordinators},
        "interface_language": {"blank_text": lazy_gettext("The browser's language")},
    }
    form_widget_args = {"new_password": {"autocomplete": "new-password"}}
    version_writes = {"new_password": ()}  # sets a fresh hash: never an old value back

    def on_model_change(self, form, model, is_created):
        """Check the email is free, keep the admin's own access, and set a new password."""
        model.email = model.email.strip().lower()
        self._check_email_free(model)
        if model.id is not None and model.id == current_user.id:
            if not model.is_active or model.role != "agency_admin":
                raise ValidationError(gettext("You cannot remove your own agency admin access."))
        if is_created and not form.new_password.data:
            raise ValidationError(gettext("Give the new staff member a password."))
        if form.new_password.data:
            model.set_password(form.new_password.data)

    @staticmethod
    def _check_email_free(model):
        query = select(Staff.id).where(func.lower(Staff.email) == model.email, Staff.id != (model.id or 0))
        with db.session.no_autoflush:  # the new row must not find itself
            taken = db.session.execute(query, execution_options=unscoped_options).first()
        if taken:
            raise ValidationError(gettext("This email address is already used by another staff account."))


class DirectoryView(ReadOnlyMixin, ProjectModelView):
    """Who works here and how to reach them; active staff only."""

    required_roles = ALL_ROLES
    can_export = False

    column_list = ("last_name", "first_name", "title", "programs", "default_site", "phone", "email")
    column_details_list = column_list
    column_searchable_list = ("first_name", "last_name", "title", "email")
    column_filters = ("default_site.name", "programs.name")
    column_sortable_list = ("last_name", "first_name", "title")
    column_default_sort = "last_name"
    column_formatters = {"programs": program_names, "email": email_link}
    column_labels = {
        "default_site": lazy_gettext("Site"),
        "default_site.name": lazy_gettext("Site"),
        "programs.name": lazy_gettext("Program"),
    }

    def get_query(self):
        return super().get_query().filter(Staff.is_active.is_(True))
