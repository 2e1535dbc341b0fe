"""Reports: the catalogue declared once as data (``catalogue.py``), the criteria
(``criteria.py``), the one query builder (``query.py``), results, drill-downs and charts."""

from reports.catalogue import REPORT_LIST, REPORTS, Report, UnknownReport, report
from reports.criteria import Allowed, Criteria, read_criteria
from reports.drill import UNKNOWN_VALUE, Record, drill_down
from reports.results import TOTAL, Result, run_report

__all__ = [
    "REPORT_LIST",
    "REPORTS",
    "TOTAL",
    "UNKNOWN_VALUE",
    "Record",
    "drill_down",
    "Allowed",
    "Criteria",
    "Report",
    "Result",
    "UnknownReport",
    "read_criteria",
    "report",
    "run_report",
]
