"""``/admin/lookup/<kind>/?q=``: the rows a searchable drop-down offers for what was typed, as
JSON ``{"results": [{"value": id, "text": label}]}`` (static/js/searchable_select.js asks it for
a ``<select data-lookup="...">``). The kinds and their scoped queries are in models/lookups.py."""

from flask import jsonify, request
from flask_admin import expose

from admin_views.base import ProjectView
from models.lookups import LOOKUPS, look_up


class LookupView(ProjectView):
    """Every staff role may look up the clients and staff of their own agency."""

    def is_visible(self):
        return False  # not a menu entry: the drop-downs call it

    @expose("/")
    def index(self):
        """The kinds there are."""
        return jsonify(kinds=sorted(LOOKUPS))

    @expose("/<kind>/")
    def rows(self, kind):
        rows = look_up(kind, request.args.get("q", ""))
        response = jsonify(results=[{"value": str(row_id), "text": label} for row_id, label in rows])
        response.headers["Cache-Control"] = "no-store"
        return response
