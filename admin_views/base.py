"""The one project base view: access by role, tenant-safe lookups, safe exports.

Every admin view inherits ``ProjectModelView`` (or ``ProjectView`` for custom pages) and
declares who may use it with ``required_roles``. Tenant scope itself is not done here: it is
the ORM hook in ``models/tenancy.py``; this view only makes sure Flask-Admin's own paths
(details, edit, delete, actions, filter options) go through scoped SQL and answer 404.
"""

from collections import OrderedDict
from functools import partial
from types import SimpleNamespace

from flask import abort, g, has_request_context, jsonify, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.helpers import flash_errors, get_redirect_target
from flask_admin.model import template
from flask_admin.model.template import BaseListRowAction
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError

from admin_views.date_filters import FilterConverter
from admin_views.formatters import DETAIL_TYPE_FORMATTERS, TYPE_FORMATTERS
from admin_views.grid_exports import StreamedExport
from admin_views.grid_paging import CappedCount
from admin_views.grid_rows import GridRows
from admin_views.labels import COMMON_LABELS
from admin_views.locking import VersionFields, flash_stale, form_labels
from models.base import Versioned
from models.errors import StaleRecord
from models.record_history import check_version, refusing_stale
from models.staff import ROLES
from models.visibility import refuse, require_change

ALL_ROLES = tuple(ROLES)


class RoleRequired:
    """Mixin: ``required_roles`` says who may open the view; others get 403, visitors /login."""

    required_roles = ALL_ROLES

    def is_accessible(self):
        return current_user.is_authenticated and current_user.has_role(*self.required_roles)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)


class ProjectView(RoleRequired, BaseView):
    """Base for custom (non-model) admin pages."""


class ProjectIndexView(RoleRequired, AdminIndexView):
    """Base for the admin home page."""


class PerRequest:
    """Filter options read from the database: built per request (so tenant-scoped and never
    stale), empty at start-up when there is no signed-in agency, and only when asked: a grid page
    never builds them; its filter menu asks ``<grid>/filter-options/`` for them when a filter row
    needs them (``ProjectModelView.lazy_filter_options``, static/js/grid_filters.js).

    Options over a table that grows (staff) are not listed whole: ``search(query, limit)`` gives
    the rows matching what was typed and ``label(value)`` names a chosen one, as ``[(id, label)]``
    (the filter becomes a look-up); ``options`` says so with ``looked_up``."""

    def __init__(self, options):
        self.options = options
        self.search = getattr(options, "search", None)
        self.label = getattr(options, "label", None)

    def __call__(self):
        return self.options() if has_request_context() else []


def per_request(options):
    return PerRequest(options)


def looked_up(search, label):
    """Decorate a filter's options function: its filter is a look-up (see ``PerRequest``)."""

    def decorate(options):
        options.search, options.label = search, label
        return options

    return decorate


PAGE_PERMISSIONS = {
    "create_view": "can_create",
    "edit_view": "can_edit",
    "delete_view": "can_delete",
    "details_view": "can_view_details",
}


LOOKUP_ROWS = 20  # rows a look-up filter offers for what was typed
MAX_LOOKUP = 100
MAX_ID = 2**31 - 1  # id columns are 32-bit integers on PostgreSQL


def is_id(value):
    """An id typed in a URL: ASCII digits only ("²".isdigit() is true), within an id column's range."""
    value = str(value)
    return value.isascii() and value.isdecimal() and int(value) <= MAX_ID


ROW_MARK = 987654321980  # stands for a row's ids in a link built once per page (never an id: ids are 32-bit)


def row_url(endpoint, ids, **fixed):
    """``url_for(endpoint, **ids, **fixed)`` for one row of a list, ``ids`` naming the row's id
    arguments: the link is built by ``url_for`` once per request and set of other arguments (a
    list builds one per row and link), then the row's ids put in. Values other than ids go
    through ``url_for`` itself."""
    if not has_request_context() or not all(isinstance(v, int) or is_id(v) for v in ids.values()):
        return url_for(endpoint, **ids, **fixed)
    cache = g.setdefault("row_urls", {})
    signature = (request.blueprint, endpoint, tuple(ids), tuple(sorted(fixed.items(), key=lambda item: item[0])))
    if signature not in cache:
        marks = {name: ROW_MARK + number for number, name in enumerate(ids)}
        cache[signature] = url_for(endpoint, **marks, **fixed)
    link = cache[signature]
    for number, value in enumerate(ids.values()):
        link = link.replace(str(ROW_MARK + number), str(int(value)), 1)
    return link


def coerce_pk(column, value):
    """The primary key value as its column's Python type; 404 for anything else."""
    if column.type.python_type is int:
        return int(value) if is_id(value) else abort(404)
    try:
        return column.type.python_type(value)
    except (TypeError, ValueError):
        abort(404)


class RenderedOnce(BaseListRowAction):
    """One of Flask-Admin's own row buttons (view, edit, delete: the same markup on every row but
    for the row's id), rendered by its macro once per page, then the row's id put in: a page of
    20 rows rendered the delete form's fields 20 times. The markup is the macro's own."""

    def __init__(self, action):
        super().__init__(title=action.title)
        self.action = action

    def renderer(self, context):
        """``render(row_id, row)`` for the rows of this page: the macro rendered once (with a
        stand-in id), then each row's id put in."""
        view, back = context.resolve("admin_view"), str(context.resolve("return_url") or "")
        each_row = partial(self.action.render, context)
        if str(ROW_MARK) in back or isinstance(view._primary_key, tuple):
            return each_row
        rendered = g.setdefault("row_actions", {})
        key = (view.endpoint, type(self.action), back)
        if key not in rendered:
            stand_in = SimpleNamespace(**{view._primary_key: ROW_MARK})  # what the macro reads of the row
            rendered[key] = str(self.action.render(context, str(ROW_MARK), stand_in))
        once = rendered[key]

        def render(row_id, row):
            return Markup(once.replace(str(ROW_MARK), str(int(row_id)))) if is_id(row_id) else each_row(row_id, row)

        return render

    def render(self, context, row_id, row):
        return self.renderer(context)(row_id, row)


RENDERED_ONCE = (template.ViewRowAction, template.EditRowAction, template.DeleteRowAction)


class ProjectModelView(RoleRequired, GridRows, CappedCount, StreamedExport, ModelView):
    """The base of every model grid.

    ``manage_roles`` may create, edit and delete (as far as ``allow_*`` permit); the other
    ``required_roles`` only read. A write page refused this way is a 403, not a redirect.
    Lists count at most 1,000 rows (``admin_views/grid_paging.py``); their rows are written from
    cells worked out once in Python (``admin_views/grid_rows.py``, templates/admin/grid.html).
    """

    manage_roles = ALL_ROLES
    allow_create = allow_edit = allow_delete = True
    create_label = None  # the grid's "Create" tab, when its create page has a name of its own
    can_view_details = True
    can_export = True  # CSV and xlsx, streamed, without a row cap (admin_views/grid_exports.py)
    page_size = 20
    can_set_page_size = True
    column_display_pk = False
    filter_converter = FilterConverter()  # date ranges in either language (admin_views/date_filters.py)

    column_type_formatters = TYPE_FORMATTERS  # Yes/No titled by the column's label, dates ISO (formatters.py)
    column_type_formatters_detail = DETAIL_TYPE_FORMATTERS  # Yes/No, not "True"

    def __init__(self, *args, **kwargs):
        """Every column a label: the view's own, else the shared translated one."""
        self.column_labels = {**COMMON_LABELS, **(self.column_labels or {})}
        super().__init__(*args, **kwargs)

    def scaffold_form(self):
        """An optional relationship's empty choice reads "(none)" (WTForms shows an empty
        label as the option's value, "__None")."""
        form_class = super().scaffold_form()
        for field in vars(form_class).values():
            kwargs = getattr(field, "kwargs", None)
            is_optional_choice = getattr(field, "field_class", None) is QuerySelectField and kwargs.get("allow_blank")
            if is_optional_choice and not kwargs.get("blank_text"):
                kwargs["blank_text"] = lazy_gettext("(none)")
        return form_class

    def get_list_row_actions(self):
        return [RenderedOnce(a) if type(a) in RENDERED_ONCE else a for a in super().get_list_row_actions()]

    def get_url(self, endpoint, **kwargs):
        """A list's row links (details, edit: two per row) through ``row_url``."""
        if endpoint in (".details_view", ".edit_view") and "id" in kwargs:
            return row_url(endpoint, {"id": kwargs.pop("id")}, **kwargs)
        return super().get_url(endpoint, **kwargs)

    def search_placeholder(self):
        """Name the searched columns by their labels, not their database names."""
        names = [self.get_column_name(name) for name in self.column_searchable_list or ()]
        return gettext("Search %(columns)s", columns=", ".join(str(name) for name in names).lower()) if names else None

    def _may_manage(self):
        return current_user.is_authenticated and current_user.has_role(*self.manage_roles)

    @property
    def can_create(self):
        return self.allow_create and self._may_manage()

    @property
    def can_edit(self):
        return self.allow_edit and self._may_manage()

    @property
    def can_delete(self):
        return self.allow_delete and self._may_manage()

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is None and name in PAGE_PERMISSIONS and not getattr(self, PAGE_PERMISSIONS[name]):
            abort(403)
        return response

    def get_one(self, id):
        """Look the row up through scoped SQL (never the identity map); 404 when not visible."""
        pk = self.model.__mapper__.primary_key[0]
        model = self.get_one_query().filter(pk == coerce_pk(pk, id)).one_or_none()
        if model is None:
            refuse(self.model, coerce_pk(pk, id))  # 404, or 403 with break-glass for a restricted row
        if request.method == "POST":
            require_change(model)  # a row seen through break-glass is read-only
        return model

    def get_one_query(self):
        """Where single-row lookups look (the list's query unless a view says otherwise)."""
        return self.get_query()

    # Optimistic locking on every edit form (models/record_history.py). ``version_writes``
    # names, for a form field that is not a column or relationship of the model, the columns it
    # can overwrite (none: it only triggers fresh values, like a new password); a form with an
    # unnamed such field refuses any change made meanwhile instead of merging.
    version_writes = {}

    def get_edit_form(self):
        """The edit form carries the version it was loaded with (hidden fields)."""
        form_class = super().get_edit_form()
        if not issubclass(self.model, Versioned):
            return form_class

        class VersionedEditForm(VersionFields, form_class):
            pass

        return VersionedEditForm

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if isinstance(form, VersionFields) and request.method == "GET":
            form.stamp(obj)
        return form

    def update_model(self, form, model):
        """Refuse a save from a form loaded before someone else changed the row (a change to
        columns the form does not write is merged); the typed input stays on the page."""
        if not isinstance(form, VersionFields):
            return super().update_model(form, model)
        loaded = form.loaded()
        try:
            check_version(model, loaded, fields=self.written_columns(form))
            with refusing_stale([model], loaded.seen):
                return super().update_model(form, model)
        except StaleRecord as stale:
            flash_stale(stale, self.column_labels_of(form))
            form.stamp(model)
            return False

    def handle_view_exception(self, exc):
        """A stale row at commit is refused by ``update_model``, not shown as a failure."""
        if isinstance(exc, StaleDataError):
            raise exc
        return super().handle_view_exception(exc)

    def written_columns(self, form):
        """The columns this form can overwrite, as the audit trail names them; ``None`` when a
        field's effect is unknown."""
        mapper, written = inspect(self.model), set()
        for field in form:
            relationship = mapper.relationships.get(field.name)
            if field.type in ("HiddenField", "CSRFTokenField"):
                continue
            if relationship is not None and relationship.secondary is None:
                written |= {column.key for column in relationship.local_columns}
            elif field.name in mapper.attrs:
                written.add(field.name)
            elif field.name in self.version_writes:
                written |= set(self.version_writes[field.name])
            else:
                return None
        return written

    def column_labels_of(self, form):
        labels = form_labels(form)
        for name, relationship in inspect(self.model).relationships.items():
            for column in relationship.local_columns if name in labels else ():
                labels.setdefault(column.key, labels[name])
        return labels

    def handle_action(self, return_view=None):
        """Refuse a mass action naming any row this staff member cannot see; hand the action the
        ids as numbers (Flask-Admin passes the form's strings, which PostgreSQL will not compare
        with an integer column)."""
        pk = self.model.__mapper__.primary_key[0]
        ids = {coerce_pk(pk, value) for value in request.form.getlist("rowid")}
        visible = self.get_query().filter(pk.in_(ids)).count() if ids else 0
        if visible != len(ids):
            abort(404)
        form = self.action_form()
        if self.validate_form(form):
            handler = self._actions_data.get(form.action.data)
            if handler and self.is_action_allowed(form.action.data):
                response = handler[0](sorted(ids))
                if response is not None:
                    return response
        else:
            flash_errors(form, message="Failed to perform action. %(error)s")
        return redirect(self.get_url("." + return_view) if return_view else get_redirect_target() or self.get_url(".index_view"))

    extra_js = property(lambda self: [url_for("static", filename="js/grid_filters.js")])

    def _get_filter_groups(self):
        """The filter menu, never written into the view (one instance serves concurrent
        requests). Options read from the database (``per_request``) are not built here: the filter
        row asks ``lazy_filter_options`` for them (its type names the URL, for
        static/js/grid_filters.js); fixed lists stay in the page."""
        if not self._filter_groups:
            return None
        groups = OrderedDict()
        for group in self._filter_groups.values():
            label, items = group.non_lazy()  # copies
            for item in items:
                flt = self._filters[item["index"]]
                if isinstance(flt.options, PerRequest):
                    kind = "ocms-lookup" if flt.options.search else "ocms-options"
                    item["options"], item["type"] = None, f"{kind}:{self.get_url('.lazy_filter_options', arg=item['arg'])}"
                    continue
                options = flt.get_options(self)
                item["options"] = [(key, str(value)) for key, value in options] if options else None
            groups[label] = items
        return groups

    @expose("/filter-options/")
    def lazy_filter_options(self):
        """``{"options": [[value, label], ...]}`` of one filter (``?arg=``, as in the filter's URL
        argument): its whole list, or for a look-up the rows matching ``?q=`` (``?value=``: the
        chosen row's label). Read through the ORM like the grid, so scoped to the agency and the
        viewer by the tenancy hook. A filter with no such options: 404."""
        flt = (self._filter_args or {}).get(request.args.get("arg", ""), (None, None))[1]
        source = getattr(flt, "options", None)
        if not isinstance(source, PerRequest):
            abort(404)
        if source.search is None:
            rows = source()
        elif "value" in request.args:
            value = request.args["value"]
            rows = source.label(flt.clean(value)) if flt.validate(value) else []
        else:
            query = request.args.get("q", "").strip()[:MAX_LOOKUP]
            rows = source.search(query, LOOKUP_ROWS) if query else []
        response = jsonify(options=[(str(key), str(value)) for key, value in rows])
        response.headers["Cache-Control"] = "no-store"
        return response


class ReadOnlyMixin:
    """Grid that lists and shows rows but never changes them."""

    allow_create = allow_edit = allow_delete = False
