"""Job postings and the job search reference lists (occupations with NOC 2021 codes, sectors,
companies, skills), under "Jobs". Every staff member reads and posts jobs; coordinators and
agency admins keep the lists (NOC 2021's broad categories and major groups come preloaded)."""

from flask_babel import lazy_gettext
from flask_login import current_user
from wtforms.validators import ValidationError

from admin_views.base import ALL_ROLES, ProjectModelView
from models.errors import InvalidEntry
from models.job_postings import NOC_LEVELS, check_posting

MANAGERS = ("coordinator", "agency_admin")


def level_label(view, context, model, name):
    return NOC_LEVELS.get(model.level, model.level)


def skills_list(view, context, model, name):
    return ", ".join(skill.name for skill in model.skills)


class JobListView(ProjectModelView):
    required_roles = ALL_ROLES
    manage_roles = MANAGERS

    column_list = ("name",)
    column_searchable_list = ("name",)
    column_default_sort = "name"
    form_columns = ("name",)


class JobCompanyView(JobListView):
    column_list = form_columns = ("name", "website")


class JobOccupationView(JobListView):
    column_list = ("noc_code", "name", "level")
    column_labels = {"noc_code": lazy_gettext("NOC 2021 code"), "name": lazy_gettext("Occupation")}
    column_searchable_list = ("noc_code", "name")
    column_filters = ("level",)
    column_default_sort = "noc_code"
    column_formatters = {"level": level_label}
    form_columns = ("noc_code", "name", "level")
    form_choices = {"level": list(NOC_LEVELS.items())}


class JobPostingView(ProjectModelView):
    required_roles = manage_roles = ALL_ROLES

    column_list = ("title", "company", "occupation", "sector", "location", "posted_on", "closes_on", "skills")
    column_labels = {
        "company": lazy_gettext("Employer"),
        "occupation": lazy_gettext("Occupation (NOC 2021)"),
        "skills": lazy_gettext("Required skills"),
        "url": lazy_gettext("Link"),
    }
    column_searchable_list = ("title", "location")
    column_filters = ("posted_on", "closes_on", "location")
    column_sortable_list = ("title", "location", "posted_on", "closes_on")
    column_default_sort = ("posted_on", True)
    column_formatters = {"skills": skills_list}
    form_columns = (
        "title",
        "company",
        "occupation",
        "sector",
        "skills",
        "location",
        "posted_on",
        "closes_on",
        "url",
        "description",
    )

    def on_model_change(self, form, model, is_created):
        """The model's rules, on the form (gettext-free: Flask-Admin shows the text as is)."""
        try:
            check_posting(model)
        except InvalidEntry as error:
            raise ValidationError(str(error.message)) from error
        if is_created:
            model.created_by_id = current_user.id
