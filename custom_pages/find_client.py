"""Find a client: one search box for names, phone, email, dates and numbers, plus
additional options that narrow the results. A GET form, so a search can be bookmarked."""

from flask import request, url_for
from flask_admin import expose
from flask_babel import gettext, lazy_gettext
from markupsafe import escape
from werkzeug.routing import BuildError
from wtforms import BooleanField, Form, SearchField, SelectField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import Select

from admin_views.base import ProjectView
from custom_pages.lookup_fields import LookupSelectField
from models.agencies import sites
from models.find_client import FindOptions, find_clients, parse_query
from models.reference import choices
from validation import DateField

RESULT_LIMIT = 50
ANY = [("", lazy_gettext("Any"))]
NARROWING = ("gender", "dob_from", "dob_to", "immigration_status", "site", "worker", "language")


class ListSelect(Select):
    """WTForms' select writing each plain option itself: the same HTML, a few times faster.
    Every search page holds the 260 languages, and WTForms' ``html_params`` per option was
    the largest part of rendering the page after the search itself."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        return f'<option{selected} value="{escape(choice.value)}">{escape(choice.label or choice.value)}</option>'


class FindClientForm(Form):
    """The search box and the additional options (read from the query string)."""

    q = SearchField(lazy_gettext("Find a client"))
    gender = SelectField(lazy_gettext("Gender"), validators=[Optional()], widget=ListSelect())
    dob_from = DateField(
        lazy_gettext("Born on or after"), validators=[Optional()], render_kw={"placeholder": lazy_gettext("YYYY-MM-DD")}
    )
    dob_to = DateField(
        lazy_gettext("Born on or before"), validators=[Optional()], render_kw={"placeholder": lazy_gettext("YYYY-MM-DD")}
    )
    immigration_status = SelectField(lazy_gettext("Immigration status"), validators=[Optional()], widget=ListSelect())
    site = SelectField(lazy_gettext("Registration site"), validators=[Optional()], widget=ListSelect())
    worker = LookupSelectField(lazy_gettext("Assigned worker"), validators=[Optional()], kind="staff", blank=ANY)
    language = SelectField(
        lazy_gettext("Language"),
        validators=[Optional()],
        description=lazy_gettext("First language or another language"),
        widget=ListSelect(),
    )
    archived = BooleanField(lazy_gettext("Include archived clients"))

    def validate_dob_to(self, field):
        if field.data and self.dob_from.data and field.data < self.dob_from.data:
            raise ValidationError(gettext("This date is before the 'born on or after' date."))

    def load_choices(self):
        """Option lists of the current agency (scoped queries), each starting with "Any"."""
        self.gender.choices = ANY + choices("genders")
        self.immigration_status.choices = ANY + choices("immigration_statuses")
        self.language.choices = ANY + choices("languages")
        self.site.choices = ANY + [(str(site.id), site.name) for site in sites()]

    @property
    def query(self):
        return (self.q.data or "").strip()

    @property
    def narrows(self):
        """Whether an option other than "include archived" is set."""
        return any(self[name].data for name in NARROWING)

    @property
    def shows_options(self):
        """Keep "Additional options" open when one is set or has an error."""
        return self.narrows or self.archived.data or any(self[name].errors for name in NARROWING)

    def find_options(self):
        return FindOptions(
            gender=self.gender.data or None,
            dob_from=self.dob_from.data,
            dob_to=self.dob_to.data,
            immigration_status=self.immigration_status.data or None,
            registration_site_id=int(self.site.data) if self.site.data else None,
            staff_id=int(self.worker.data) if self.worker.data else None,
            language=self.language.data or None,
            include_archived=self.archived.data,
        )


def register_url(query):
    """Registration starting with the searched name (first word the first name, the rest the
    last name), or ``None`` when the query is not a name (a phone, email, date or number)."""
    plan = parse_query(query)
    words = query.split()
    if not plan.names or plan.phone or plan.email or plan.date_of_birth or plan.client_id or len(words) > 4:
        return None
    try:
        return url_for("registration.index", first_name=words[0], last_name=" ".join(words[1:]) or None)
    except BuildError:
        return None


def dashboard_url(client):
    """The client's dashboard page."""
    try:
        return url_for("clients.dashboard", client_id=client.id)
    except BuildError:
        return f"/admin/clients/{client.id}/"


class FindClientView(ProjectView):
    """Every staff role may search the clients of their own agency."""

    @expose("/")
    def index(self):
        form = FindClientForm(request.args)
        form.load_choices()
        searched = bool(request.args) and form.validate() and bool(form.query or form.narrows)
        results = find_clients(form.query, form.find_options(), limit=RESULT_LIMIT + 1) if searched else []
        return self.render(
            "admin/find_client.html",
            form=form,
            searched=searched,
            results=results[:RESULT_LIMIT],
            capped=len(results) > RESULT_LIMIT,
            limit=RESULT_LIMIT,
            dashboard_url=dashboard_url,
            register_url=register_url(form.query) if searched and not results else None,
        )
