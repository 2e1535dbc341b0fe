"""A result as a table: headers and rows of cells, each cell knowing the number's drill-down
(row value, column value, measure). The page, the print view and the exports all read this."""

from dataclasses import dataclass

from flask_babel import format_decimal, lazy_gettext

from reports.drill import UNKNOWN_VALUE
from reports.results import TOTAL

TOTAL_LABEL = lazy_gettext("Total")
NUMBER_FORMATS = {"hours": "#,##0.00", "percent": "#,##0.0"}  # CLDR patterns; counts: "#,##0"


def shown_number(value, kind="count"):
    """A measure's value as the interface's language writes it (6.25 / 6,25); "—": none."""
    if value is None:
        return "\u2014"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value, format=NUMBER_FORMATS.get(kind))
    return str(value)


@dataclass(frozen=True)
class Cell:
    value: object
    drill: tuple | None = None  # (row, column, measure) as URL values; None: not a number
    kind: str = "text"

    @property
    def shown(self):
        """The cell as the page writes it (the exports keep ``value``, a real number)."""
        return self.value if self.kind == "text" else shown_number(self.value, self.kind)


@dataclass(frozen=True)
class Table:
    headers: tuple
    rows: tuple  # tuples of Cell
    total: tuple | None  # the total row, or None
    column_label: str | None = None  # a cross-tab's column dimension, named above its value columns


def url_value(value):
    if value == TOTAL:
        return None
    return UNKNOWN_VALUE if value is None else str(value)


def number(result, row, column, measure):
    kind = result.kind(measure)
    drill = (url_value(row), url_value(column), measure) if kind != "date" else None
    return Cell(result.cell(row, column, measure), drill, kind)


def table_of(result):
    report = result.report
    if report.indicators:
        return indicator_table(result)
    if report.columns is not None:
        return cross_table(result)
    measures = [m.key for m in report.measures]
    headers = tuple(map(str, (report.row_label, *report.listing_headers, *(m.label for m in report.measures))))
    rows = tuple(
        (Cell(result.label("row", r)), *map(Cell, result.listing.get(r, [""] * len(report.listing_headers))))
        + tuple(number(result, r, TOTAL, m) for m in measures)
        for r in result.rows
    )
    total = (
        Cell(str(TOTAL_LABEL)),
        *(Cell("") for _ in report.listing_headers),
        *(number(result, TOTAL, TOTAL, m) for m in measures),
    )
    return Table(headers, rows, total)


def cross_table(result):
    report, measure = result.report, result.report.measures[0].key
    headers = (str(report.row_label), *(result.label("column", c) for c in result.columns), str(TOTAL_LABEL))
    rows = tuple(
        (
            Cell(result.label("row", r)),
            *(number(result, r, c, measure) for c in result.columns),
            number(result, r, TOTAL, measure),
        )
        for r in result.rows
    )
    total = (
        Cell(str(TOTAL_LABEL)),
        *(number(result, TOTAL, c, measure) for c in result.columns),
        number(result, TOTAL, TOTAL, measure),
    )
    return Table(headers, rows, total, str(report.columns.label))


def indicator_table(result):
    report = result.report
    labels = list(dict.fromkeys(str(label) for _, cells in report.indicators for label, _ in cells))
    rows = []
    for row_label, cells in report.indicators:
        by_label = {str(label): key for label, key in cells}
        rows.append(
            (Cell(row_label), *(number(result, TOTAL, TOTAL, by_label[c]) if c in by_label else Cell("") for c in labels))
        )
    return Table((str(lazy_gettext("Item")), *labels), tuple(rows), None)


def plain_rows(table):
    """Headers then rows of plain values (exports)."""
    body = [[cell.value for cell in row] for row in table.rows]
    total = [[cell.value for cell in table.total]] if table.total else []
    return [list(table.headers)] + body + total
