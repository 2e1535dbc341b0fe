"""Every grid's export: CSV and xlsx of the grid as filtered, searched and sorted, streamed.

- The rows are the grid's own query (``get_list``: tenancy, the program and Private rules, the
  view's ``get_query``, its filters, search and sort), without a row cap, read a batch at a time
  (``yield_per``: a server-side cursor on PostgreSQL). The relationships the export columns
  name are loaded per batch (``selectinload``), and so are a view's ``column_export_loads``.
- A view may add ``export_facts(rows)``: facts about one batch read in one query each (which
  sessions are complete, which forms are hidden), handed to the export formatters as their
  ``context`` argument (a dict; ``None`` elsewhere).
- CSV is streamed as it is read (``stream_with_context``: the reads run in the request's
  context, so under the signed-in principal and its agency's row-level security, in a session
  that the end of the stream closes). xlsx is written, in xlsxwriter's constant-memory mode, to
  a temporary file inside the request, then streamed from disk.
- Every export is audited, and committed, before its first row leaves (an interrupted download
  is still on the trail). Every cell goes through ``exports.spreadsheets`` (``safe_cell`` in CSV,
  ``write_cells`` in xlsx).
"""

import itertools
from datetime import date, datetime

from flask import Response, flash, g, redirect, request, stream_with_context
from flask_admin import expose
from flask_admin.helpers import get_redirect_target
from flask_admin.model import typefmt
from flask_babel import gettext, lazy_gettext
from sqlalchemy import inspect
from sqlalchemy.orm import selectinload
from werkzeug.utils import secure_filename

from exports.spreadsheets import csv_chunks, file_chunks, workbook_file
from extensions import db
from models.audit import record_event, record_type_of

EXPORT_BATCH_ROWS = 500  # a 1,000,000-row CSV export then adds about 12 MiB to the process (bench/README.md)
MIMETYPES = {
    "csv": "text/csv",  # Werkzeug adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
YES, NO = lazy_gettext("Yes"), lazy_gettext("No")
RESTRICTED = lazy_gettext("Restricted")


def text_of(lazy):
    """A lazy string's text in the request's language, translated once per request (an export
    asks for "Yes" a million times)."""
    words = g.setdefault("export_words", {})
    if id(lazy) not in words:
        words[id(lazy)] = str(lazy)
    return words[id(lazy)]


def yes_no(view, value, name):
    return text_of(YES if value else NO)


def as_list(view, value, name):
    return "; ".join(str(item) for item in value)


EXPORT_TYPE_FORMATTERS = {
    **typefmt.EXPORT_FORMATTERS,
    bool: yes_no,
    list: as_list,
    datetime: lambda view, value, name: value.strftime("%Y-%m-%d %H:%M"),
    date: lambda view, value, name: value.isoformat(),
}


class StreamedExport:
    """Mixin of the base model view: ``/export/csv/`` and ``/export/xlsx/`` for every grid
    with ``can_export``; per view, only readable columns to declare."""

    export_types = ["csv", "xlsx"]
    export_max_rows = 0  # no cap: the export streams
    export_batch_rows = EXPORT_BATCH_ROWS
    column_export_loads = ()  # loader options the export formatters need beyond the columns
    query_joined_loads = ()  # relationships the view's ``get_query`` already loads from its join
    column_export_labels = {}  # headings of export-only columns (the grid's labels otherwise)
    column_type_formatters_export = EXPORT_TYPE_FORMATTERS

    def scaffold_auto_joins(self):
        """Join only the many-to-one relationships of the list (Flask-Admin also joins
        many-to-many ones, which ``yield_per`` refuses: the export loads those per batch)."""
        return [join for join in super().scaffold_auto_joins() if not join.property.uselist]

    def get_export_columns(self):
        """``(name, heading)`` per export column: ``column_export_labels``, else the grid's label."""
        columns = super().get_export_columns()
        return [(name, self.column_export_labels.get(name, title)) for name, title in columns]

    def export_facts(self, rows):
        """Hook: facts about one batch of rows for the export formatters (their ``context``)."""
        return None

    @expose("/export/<export_type>/")
    def export(self, export_type):
        """The grid as a file: audited, then streamed (CSV) or written to disk and sent (xlsx)."""
        if not self.can_export or export_type not in self.export_types:
            flash(gettext("This list cannot be exported in that format."), "error")
            return redirect(get_redirect_target() or self.get_url(".index_view"))
        count, query = self.export_query()
        self.audit_export(export_type, count)
        db.session.commit()
        headers = [str(title) for _, title in self._export_columns]
        if export_type == "xlsx":
            book = workbook_file(str(self.name), headers, self.export_rows(query))
            body, finish = file_chunks(book), book.close
        else:
            body, finish = streamed_in_this_session(csv_chunks(headers, self.export_rows(query)))
        filename = secure_filename(self.get_export_name(export_type=export_type))
        disposition = {"Content-Disposition": f"attachment;filename={filename}"}
        response = Response(body, mimetype=MIMETYPES[export_type], headers=disposition)
        response.call_on_close(finish)  # also when the body never ran (the download stopped at once)
        return response

    def export_query(self):
        """The grid's count and query as the list shows them (filters, search, sort), no limit."""
        args = self._get_list_extra_args()
        sort = self._get_column_by_idx(args.sort)
        count, query = self.get_list(
            0, sort[0] if sort else None, args.sort_desc, args.search, args.filters, execute=False, page_size=0
        )
        return count, query.options(*self.export_loads())

    def export_loads(self):
        """``selectinload`` of each relationship an export column names (``site``,
        ``session.service_date``), per batch, unless the grid already joins it; plus the view's own."""
        relationships = inspect(self.model).relationships
        joined = {getattr(join, "key", None) for join in self._auto_joins} | set(self.query_joined_loads)
        named = {name.split(".")[0] for name, _ in self._export_columns} & set(relationships.keys())
        return [
            *(selectinload(relationships[name].class_attribute) for name in sorted(named - joined)),
            *self.column_export_loads,
        ]

    def export_rows(self, query):
        """The export's rows, read ``export_batch_rows`` at a time."""
        names = [name for name, _ in self._export_columns]
        batches = _batched(query.yield_per(self.export_batch_rows), self.export_batch_rows)
        for batch in batches:
            facts = self.export_facts(batch)
            for row in batch:
                yield [self.export_value(facts, row, name) for name in names]

    def export_value(self, facts, row, name):
        return self._get_list_value(facts, row, name, self.column_formatters_export, self.column_type_formatters_export)

    def audit_export(self, export_type, count):
        """One audit event per export: the grid, the format, the row count and the criteria."""
        rows = "?" if count is None else count
        detail = f"{self.name} grid export ({export_type}, {rows} rows)"
        criteria = request.query_string.decode(errors="replace")
        record_event("export", record_type_of(self.model), detail=f"{detail} {criteria}".strip())


def streamed_in_this_session(chunks):
    """A response body that goes on reading in the request's database session after the view
    has returned, and what closes that session. The end of the request would close it (and
    detach the signed-in staff member, whom every statement's principal is read from): it is
    taken out of the request's registry and put back while the body runs
    (``stream_with_context`` pushes the request's context again); the end of the body, or the
    response's close if the body never ran, closes it."""
    session = db.session()
    db.session.registry.clear()

    def body():
        db.session.registry.set(session)
        try:
            yield from chunks
        finally:
            session.close()

    return stream_with_context(body()), session.close


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
