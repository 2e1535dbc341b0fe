"""The mentor and tutor directory (/admin/mentors/): filterable by skill, language and
availability; a mentor's page lists their matches. Beside it: the matches page (active
matches, and those without an update for the agency's number of weeks) and the mentors
available by skill, language and availability."""

from datetime import date

from flask import request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual, FilterLike
from flask_babel import gettext, lazy_gettext
from wtforms import SelectMultipleField

from admin_views.base import ALL_ROLES, ProjectModelView, per_request
from admin_views.formatters import value_list
from admin_views.referrals import labelled, refusing
from models.mentors import (
    AVAILABILITY,
    MENTOR_KINDS,
    Mentor,
    active_matches,
    available_mentors,
    json_contains,
    matches_of_mentor,
    stale_matches,
    update_weeks,
)
from models.reference import choices

MANAGERS = ("coordinator", "agency_admin")


def language_options():
    return choices("languages")


def availability_text(view, context, model, name):
    return ", ".join(str(AVAILABILITY.get(key, key)) for key in model.availability or [])


def screening_text(view, context, model, name):
    """The screening's expiry, and what stops a match (never colour alone)."""
    expires = model.screening_expires_on.isoformat() if model.screening_expires_on else ""
    problem = model.refusal()
    return gettext("%(date)s (cannot be matched)", date=expires).strip() if problem else expires


class ListHolds(FilterEqual):
    """Mentors whose JSON list (languages, availability) holds the chosen value."""

    def apply(self, query, value, alias=None):
        return query.filter(json_contains(self.column, value))


class ScreenedFilter(BooleanEqualFilter):
    """Mentors who may be matched today (active, screened, screening not expired)."""

    def apply(self, query, value, alias=None):
        ids = [m.id for m in available_mentors()]
        return query.filter(Mentor.id.in_(ids) if value == "1" else Mentor.id.not_in(ids))


class MentorView(ProjectModelView):
    required_roles = ALL_ROLES
    manage_roles = MANAGERS
    allow_delete = False  # deactivate instead: matches keep their mentor
    details_template = "admin/mentors/details.html"

    column_list = ("name", "kind", "skills", "languages", "availability", "areas", "screening_expires_on", "is_active")
    column_labels = {
        "kind": lazy_gettext("Volunteer or staff"),
        "skills": lazy_gettext("Skills"),
        "languages": lazy_gettext("Languages"),
        "availability": lazy_gettext("Availability"),
        "areas": lazy_gettext("Areas"),
        "screened_on": lazy_gettext("Screening (background check) done on"),
        "screening_expires_on": lazy_gettext("Screening expires on"),
        "is_active": lazy_gettext("Active"),
        "staff": lazy_gettext("Staff member"),
        "language_list": lazy_gettext("Languages"),
        "availability_list": lazy_gettext("Availability"),
    }
    column_formatters = {
        "kind": labelled(MENTOR_KINDS),
        "languages": value_list("languages"),
        "availability": availability_text,
        "screening_expires_on": screening_text,
    }
    column_formatters_export = column_formatters
    column_searchable_list = ("name", "skills", "areas")
    column_filters = (
        FilterLike(Mentor.skills, lazy_gettext("Skill")),
        ListHolds(Mentor.languages, lazy_gettext("Language"), options=per_request(language_options)),
        ListHolds(Mentor.availability, lazy_gettext("Availability"), options=list(AVAILABILITY.items())),
        FilterEqual(Mentor.kind, lazy_gettext("Volunteer or staff"), options=list(MENTOR_KINDS.items())),
        BooleanEqualFilter(Mentor.is_active, lazy_gettext("Active")),
        ScreenedFilter(Mentor.screening_expires_on, lazy_gettext("Can be matched today")),
    )
    column_sortable_list = ("name", "kind", "screening_expires_on", "is_active")
    column_default_sort = "name"
    column_details_list = (
        "name",
        "kind",
        "staff",
        "email",
        "phone",
        "skills",
        "languages",
        "availability",
        "areas",
        "screened_on",
        "screening_expires_on",
        "is_active",
        "notes",
    )
    form_columns = (
        "name",
        "kind",
        "staff",
        "email",
        "phone",
        "skills",
        "language_list",
        "availability_list",
        "areas",
        "screened_on",
        "screening_expires_on",
        "is_active",
        "notes",
    )
    form_choices = {"kind": list(MENTOR_KINDS.items())}
    form_extra_fields = {
        "language_list": SelectMultipleField(lazy_gettext("Languages")),
        "availability_list": SelectMultipleField(lazy_gettext("Availability"), choices=list(AVAILABILITY.items())),
    }
    column_descriptions = {
        "skills": lazy_gettext("Separate skills with commas (e.g. accounting, job interviews, English conversation)."),
        "areas": lazy_gettext("Neighbourhoods or areas where they can meet clients."),
    }
    version_writes = {"language_list": ("languages",), "availability_list": ("availability",)}

    def create_form(self, obj=None):
        return self._with_languages(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._with_languages(super().edit_form(obj))

    def _with_languages(self, form):
        form.language_list.choices = language_options()
        form.availability_list.choices = [(key, str(label)) for key, label in AVAILABILITY.items()]
        return form

    def on_form_prefill(self, form, id):
        mentor = self.get_one(id)
        form.language_list.data = list(mentor.languages or [])
        form.availability_list.data = list(mentor.availability or [])

    def on_model_change(self, form, model, is_created):
        model.languages = list(form.language_list.data or [])
        model.availability = list(form.availability_list.data or [])
        model.skills = ", ".join(s.strip() for s in (model.skills or "").split(",") if s.strip())
        refusing(Mentor.check, model)

    def render(self, template, **kwargs):
        """A mentor's page lists their matches (those on forms the viewer may open)."""
        if template == self.details_template and kwargs.get("model") is not None:
            kwargs["matches"] = matches_of_mentor(kwargs["model"])
        return super().render(template, **kwargs)

    @expose("/matches/")
    def matches(self):
        """Active matches, and those without an update for the agency's number of weeks."""
        weeks = update_weeks()
        return self.render(
            "admin/mentors/matches.html", active=active_matches(), stale=stale_matches(weeks), weeks=weeks, today=date.today()
        )

    @expose("/available/")
    def available(self):
        """Mentors who may be matched today, by skill, language and availability."""
        wanted = {name: request.args.get(name, "")[:100] for name in ("skill", "language", "availability")}
        return self.render(
            "admin/mentors/available.html",
            mentors=available_mentors(**wanted),
            wanted=wanted,
            languages=language_options(),
            availability=list(AVAILABILITY.items()),
        )
