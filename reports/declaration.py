"""The declaration of one report (``Report``): the catalogue (``reports/catalogue.py``,
``reports/activity_reports.py``) is a list of these."""

from dataclasses import dataclass

from flask_babel import lazy_gettext

from reports.criteria import CLIENT_OPTIONS
from reports.dimensions import Dimension
from reports.plan_grain import PLAN_FILTERS, PLAN_GRAINS
from reports.record_grains import RECORD_GRAINS

SESSION_FILTERS = ("from", "to", "site", "worker", "program", "funder", "session_type")


@dataclass(frozen=True)
class Report:
    """One report. ``grain``: what a row of its facts is (``attendance``: a client in a complete
    session who attended; ``session``; ``form``; ``incomplete``: an incomplete session;
    the New/Returning status asks ``reports/query.served_before``).
    ``indicators``: rows that are yes/no answers, ``((row label, ((column label, measure key), ...)), ...)``."""

    key: str
    title: str
    description: str
    grain: str
    rows: Dimension | None = None
    columns: Dimension | None = None
    measures: tuple = ()
    kinds: tuple = ()  # form kinds counted (form grain)
    session_types: tuple = ()  # session types counted
    where: object = None  # ``lambda criteria: [conditions]``
    chart: str | None = "bar"  # "bar", "line" or None
    indicators: tuple = ()
    listing: object = None  # ``lambda row values: ({value: label}, {value: [extra cells]})`` (contact lists)
    listing_headers: tuple = ()
    category: str = lazy_gettext("Services")
    counts_absent: bool = False  # the forms saying the client did not attend count too (an attendance rate's denominator)

    @property
    def dimensions(self):
        return tuple(d for d in (self.rows, self.columns) if d is not None)

    def axes(self):
        return [(axis, i, d) for i, (axis, d) in enumerate((("row", self.rows), ("column", self.columns))) if d is not None]

    def joins(self):
        names = [name for d in self.dimensions for name in d.joins]
        return tuple(dict.fromkeys(names))

    @property
    def filters(self):
        """The criteria this report accepts."""
        if self.grain in PLAN_GRAINS:
            return PLAN_FILTERS
        if self.grain in RECORD_GRAINS:
            return RECORD_GRAINS[self.grain].filters
        client = self.grain in ("attendance", "form")
        return SESSION_FILTERS + (CLIENT_OPTIONS + ("question", "answer") if client else ())

    @property
    def row_label(self):
        return self.rows.label if self.rows else lazy_gettext("Item")

    def measure(self, key):
        return next((m for m in self.measures if m.key == key), None)
