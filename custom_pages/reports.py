"""The reports: one criteria page for every report of the catalogue (``reports/``).

``/admin/reports/`` lists the catalogue; ``/admin/reports/<key>/?from=...&to=...&site=...``
runs one report (the URL holds the criteria, so it can be bookmarked and shared), with its
table, chart, drill-down links, xlsx and CSV exports and a print view. Bad criteria get plain
messages on the page, never an error page or a silently wrong number.
"""

from urllib.parse import urlencode as url_encode

from flask import Response, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import Integer
from werkzeug.datastructures import MultiDict

from admin_views.base import ProjectView
from exports.reports import report_csv, report_workbook
from extensions import db
from models.audit import record_event
from models.base import utcnow
from models.principal import current_principal
from reports import REPORT_LIST, REPORTS, drill_down, read_criteria, run_report
from reports.chart import chart_of
from reports.criteria import LABELS, carried, carried_names
from reports.drill import UNKNOWN_VALUE
from reports.query import is_form_question, question_problem
from reports.results import folded, label_values
from reports.scope import allowed_choices
from reports.table import shown_number, table_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KNOWN_ARGS = set(LABELS)
DRILL_ARGS = ("row", "column", "measure")


def categories(words=()):
    """The reports by category; with ``words``, only those whose title, description or category
    holds every word (in the interface's language, ignoring case and accents)."""
    found = {}
    for item in REPORT_LIST:
        if all(word in searchable(item) for word in words):
            found.setdefault(item.category, []).append(item)
    return found


def searchable(item):
    return folded(f"{item.title} {item.description} {item.category}")


def criteria_args():
    """The query string without the drill-down's own arguments."""
    return MultiDict([(k, v) for k, v in request.args.items(multi=True) if k not in DRILL_ARGS])


def catalogue_links(pairs):
    """Each report's link on the catalogue: with the carried criteria that report uses (a report
    opened with criteria runs at once; one it would only call ignored are left for the next)."""
    links, form_question = {}, names_a_form_question(pairs)
    for item in REPORT_LIST:
        asks = form_question and item.grain != "form"  # a form's question, for a report of clients: left for the next
        used = [(k, v) for k, v in pairs if k in item.filters and not (asks and k in QUESTION_ARGS)]
        links[item.key] = url_for(".show", key=item.key) + ("?" + url_encode(used) if used else "")
    return links


QUESTION_ARGS = ("question", "answer")


def names_a_form_question(pairs):
    """Whether the carried criteria name a service form's question (only the form reports
    take it; ``query.question_problem`` refuses it elsewhere)."""
    question_id = next((int(v) for k, v in pairs if k == "question"), None)
    return question_id is not None and is_form_question(question_id)


def ignored_args(report, args):
    """Names in the query string this report does not use (shown, never silently dropped)."""
    return sorted({str(LABELS.get(k, k)) for k in args if k not in KNOWN_ARGS or k not in report.filters})


def axis_label(dimension, criteria, value):
    """A drill-down's row or column value (as in its URL) named as the table names it; a
    client's stays the id (a typed URL never names a client the report did not list)."""
    if value == UNKNOWN_VALUE:
        return str(dimension.empty)
    if dimension.key == "client":
        return value
    if isinstance(dimension.expr(criteria).type, Integer):
        if not (value.isascii() and value.isdecimal() and len(value) < 10):
            return value
        value = int(value)
    return label_values(dimension, [value])[value]


def is_agency_wide():
    """The acting principal is an agency admin, who reports on the whole agency: a report opens
    on every site, not on their default site as a worker's or a coordinator's does."""
    principal = current_principal()
    return principal is not None and principal.role == "agency_admin"


class ReportsView(ProjectView):
    """Every role: a worker reports on their own work, a coordinator on their team's and
    programs', an agency admin on the agency (``reports/query.scope_clause``)."""

    @expose("/")
    def index(self):
        return self.catalogue()

    def catalogue(self, missing=None):
        """The catalogue; criteria in its query string (a report's breadcrumb carries them) are
        checked again, named in a note and carried by every report link."""
        allowed = allowed_choices() if request.args else None
        pairs = carried(request.args, allowed, utcnow().date()) if allowed else []
        search = request.args.get("q", "").strip()[:100]
        found = categories(folded(search).split())
        return self.render(
            "admin/reports/index.html",
            categories=found,
            search=search,
            found_count=sum(len(items) for items in found.values()),
            carried_pairs=pairs,
            all_reports_url=url_for(".index") + ("?" + url_encode(pairs) if pairs else ""),
            missing=missing,
            links=catalogue_links(pairs),
            carried=carried_names(pairs, allowed) if pairs else "",
        )

    def catalogue_url(self, report, allowed):
        """The breadcrumb back to the catalogue, carrying this report's valid criteria."""
        pairs = [(k, v) for k, v in carried(criteria_args(), allowed, utcnow().date()) if k in report.filters]
        return url_for(".index") + ("?" + url_encode(pairs) if pairs else "")

    def load(self, key):
        """``(report, criteria, allowed, problems)``; ``report`` is ``None`` for an unknown key."""
        report = REPORTS.get(key)
        if report is None:
            return None, None, None, []
        allowed = allowed_choices()
        args = criteria_args()
        default_site = current_user.default_site_id if "site" in report.filters and not is_agency_wide() else None
        criteria, problems = read_criteria(args, allowed, utcnow().date(), default_site)
        problems += [p for p in (question_problem(report, criteria),) if p]
        return report, criteria, allowed, problems

    def unknown(self, key):
        return self.catalogue(missing=key), 404

    @expose("/<key>/")
    def show(self, key):
        report, criteria, allowed, problems = self.load(key)
        if report is None:
            return self.unknown(key)
        if not request.args:
            return redirect(self.report_url(key, criteria))
        result = None if problems else run_report(report, criteria)
        return self.render(
            "admin/reports/report.html",
            report=report,
            criteria=criteria,
            allowed=allowed,
            problems=problems,
            ignored=ignored_args(report, criteria_args()),
            result=result,
            table=table_of(result) if result else None,
            chart=chart_of(result) if result else None,
            args=url_encode(criteria.query_args()),
            drill_url=lambda cell: self.drill_url(key, criteria, cell),
            catalogue_url=self.catalogue_url(report, allowed),
        )

    def report_url(self, key, criteria, endpoint=".show", **extra):
        return url_for(endpoint, key=key) + "?" + url_encode(criteria.query_args() + list(extra.items()))

    def drill_url(self, key, criteria, cell):
        row, column, measure = cell.drill
        extra = {name: value for name, value in (("row", row), ("column", column), ("measure", measure)) if value is not None}
        return self.report_url(key, criteria, ".records", **extra)

    @expose("/<key>/records")
    def records(self, key):
        report, criteria, allowed, problems = self.load(key)
        if report is None:
            return self.unknown(key)
        found, more = ([], False) if problems else drill_down(report, criteria, *(request.args.get(n) for n in DRILL_ARGS))
        measure = report.measure(request.args.get("measure") or "")
        summed = measure if measure is not None and any(r.quantity is not None for r in found) else None
        return self.render(
            "admin/reports/records.html",
            report=report,
            criteria=criteria,
            allowed=allowed,
            problems=problems,
            records=found,
            more=more,
            summed=summed,
            # The whole list's total is the cell's number; the first 500's would tell, less the rows
            # shown, what the restricted ones among them add: no total then.
            summed_total=sum(r.quantity for r in found) if summed and not more else None,
            restricted_count=sum(r.restricted for r in found),
            shown_number=shown_number,
            back=self.report_url(key, criteria),
            cell=self.cell_label(report, criteria, request.args),
            catalogue_url=self.catalogue_url(report, allowed),
        )

    def cell_label(self, report, criteria, args):
        measure = report.measure(args.get("measure") or "")
        parts = [axis_label(d, criteria, args[axis]) for axis, _position, d in report.axes() if args.get(axis)]
        return ", ".join(parts + ([str(measure.label)] if measure else []))

    def exported(self, key, kind):
        report, criteria, allowed, problems = self.load(key)
        if report is None:
            return self.unknown(key)
        if problems:
            return self.show(key)  # the criteria page with the messages (the URL keeps what was asked)
        result = run_report(report, criteria)
        record_event("export", "report", detail=f"report {key} ({kind}): {url_encode(criteria.query_args())}")
        db.session.commit()
        name = f"{key}_{criteria.date_from.isoformat()}_{criteria.date_to.isoformat()}.{kind}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        if kind == "csv":
            return Response(report_csv(result), mimetype="text/csv", headers=headers)
        return Response(report_workbook(result, current_user.name, utcnow(), allowed), mimetype=XLSX, headers=headers)

    @expose("/<key>/export.xlsx")
    def export_xlsx(self, key):
        return self.exported(key, "xlsx")

    @expose("/<key>/export.csv")
    def export_csv(self, key):
        return self.exported(key, "csv")

    @expose("/<key>/print")
    def print_view(self, key):
        report, criteria, allowed, problems = self.load(key)
        if report is None:
            return self.unknown(key)
        result = None if problems else run_report(report, criteria)
        return self.render(
            "admin/reports/print.html",
            report=report,
            criteria=criteria,
            allowed=allowed,
            problems=problems,
            table=table_of(result) if result else None,
            chart=chart_of(result) if result else None,
            printed_at=utcnow(),
            back=self.report_url(key, criteria),
        )
