"""A report's answer: the grouped rows turned into a table with labels and totals, in the
order the declaration asks; every page, chart and export reads this one object."""

import re
from dataclasses import dataclass, field
from datetime import date

from unidecode import unidecode

from reports.dimensions import Named
from reports.query import grouped_statement, indicator_statement, report_viewer, run_statement, stored_indicators

TOTAL = "__total__"  # the key of a totalled dimension (a real value may be None: "Unknown")


@dataclass
class Result:
    report: object
    criteria: object
    rows: list = field(default_factory=list)  # row values, in order
    columns: list = field(default_factory=list)  # column values (a cross-tab), in order
    labels: dict = field(default_factory=dict)  # (axis, value) -> label
    cells: dict = field(default_factory=dict)  # (row, column) -> {measure: value}; TOTAL: a total
    listing: dict = field(default_factory=dict)  # row value -> extra columns (contact lists)

    def cell(self, row=TOTAL, column=TOTAL, measure=None):
        measure = measure or self.report.measures[0].key
        return self.cells.get((row, column), {}).get(measure, None if self.kind(measure) in ("percent", "date") else 0)

    def kind(self, key):
        return next((m.kind for m in self.report.measures if m.key == key), "count")

    def label(self, axis, value):
        return self.labels.get((axis, value), str(value))

    @property
    def is_empty(self):
        return not self.rows if not self.report.indicators else not any(self.cells.get((TOTAL, TOTAL), {}).values())


def clean(measure, value):
    if value is None:
        return None if measure.kind in ("percent", "date") else 0
    if measure.kind == "hours":
        return round(float(value), 2)
    if measure.kind == "percent":
        return round(float(value), 1)
    if measure.kind == "date":
        return date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return int(value)


def read_rows(report, raw):
    """``{(row, column): {measure: value}}``, with ``TOTAL`` for a totalled dimension. The
    statement's columns are ``d0.., g0.., measures, n0..`` (``grouped_statement``), read by
    position: a contact list has a row per client."""
    count = len(report.dimensions)
    measures = [(m.key, m, 2 * count + j) for j, m in enumerate(report.measures)]
    cells = {}
    for record in raw:
        key = [TOTAL if record[count + i] else record[i] for i in range(count)]
        key = tuple((key + [TOTAL, TOTAL])[:2])
        cells[key] = {name: clean(m, record[at]) for name, m, at in measures}
    return cells


def read_names(report, raw):
    """``{position: {value: name}}``: the names the statement gave the values of each dimension
    named in SQL (``Named``; columns ``n0..`` after the measures)."""
    count = len(report.dimensions)
    named = [i for i, d in enumerate(report.dimensions) if isinstance(d.names, Named)]
    first = 2 * count + len(report.measures)
    names = {i: {} for i in named}
    for record in raw if named else ():
        for j, i in enumerate(named):
            if not record[count + i] and record[first + j] is not None:
                names[i][record[i]] = record[first + j]
    return names


DIGITS = re.compile(r"(\d+)")


def folded(text):
    """A text without accents or case ("Émile" -> "emile"): for sorting and searching."""
    return unidecode(text).casefold()


def natural(text):
    """A sort key that reads the numbers in a text as numbers ("7", "8", "10+", not "10+", "7")
    and its letters without accents ("Émile" beside "Emma", not after "Zoë")."""
    parts = DIGITS.split(folded(text))
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part]


def ordered(dimension, values, labels):
    if dimension.order == "value":
        return sorted(values, key=lambda v: (v is None, natural(str(v)) if v is not None else []))
    return sorted(values, key=lambda v: (v is None, natural(str(labels[v]))))


def label_values(dimension, values, named=None):
    if named is None:
        named = dimension.names(values) if dimension.names else {}
    return {v: (str(dimension.empty) if v is None else str(named.get(v, v))) for v in values}


def build(report, criteria, cells, names=None):
    """The result of ``cells``; ``names``: the values the statement named (``read_rows``)."""
    result = Result(report, criteria, cells=cells)
    names = names or {}
    if report.indicators:
        result.rows = [label for label, _ in report.indicators]
        return result
    for axis, position, dimension in report.axes():
        values = {key[position] for key in cells if key[position] != TOTAL}
        if axis == "row" and report.listing is not None:  # the list names its rows itself, in the same statement
            named, result.listing = report.listing(values)
            labels = label_values(dimension, values, named)
        else:
            labels = label_values(dimension, values, names.get(position))
        result.labels.update({(axis, v): label for v, label in labels.items()})
        setattr(result, "rows" if axis == "row" else "columns", ordered(dimension, values, labels))
    return result


def run_report(report, criteria):
    """Run ``report`` for ``criteria`` as the acting principal sees it: one SQL statement."""
    if stored_indicators(report):
        counts = dict(run_statement(indicator_statement(report, criteria, report_viewer())))
        return build(report, criteria, {(TOTAL, TOTAL): {m.key: counts.get(m.yes_field, 0) for m in report.measures}})
    raw = run_statement(grouped_statement(report, criteria, report_viewer()))
    return build(report, criteria, read_rows(report, raw), read_names(report, raw))
