"""A report's chart as plain geometry, drawn as inline SVG by the page's template (no
script, no style attribute: it holds under the Content-Security-Policy). Bars for categories,
a line for months; the first measure, or each row's total in a cross-tab."""

from dataclasses import dataclass

from reports.results import TOTAL
from reports.table import shown_number

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 720, 22, 6, 240
MAX_BARS = 40
LINE_HEIGHT = 220


@dataclass(frozen=True)
class Bar:
    label: str
    value: object
    y: int
    width: float
    shown: str = ""  # the value as the interface's language writes it


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar" or "line"
    title: str
    bars: tuple = ()
    points: str = ""  # "x,y x,y" for a line
    dots: tuple = ()  # (x, y, label, value as written)
    height: int = 0
    maximum: float = 0
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def series(result):
    """``[(label, value)]``: what the chart shows, in the table's order."""
    report = result.report
    if report.indicators:
        return [(label, result.cell(measure=cells[0][1])) for label, cells in report.indicators]
    measure = report.measures[0].key
    return [(result.label("row", r), result.cell(r, TOTAL, measure)) for r in result.rows]


def chart_of(result):
    """The chart of ``result``, or ``None`` (no chart declared, nothing to draw, a date measure)."""
    report = result.report
    if report.chart is None or result.is_empty or report.measures[0].kind == "date":
        return None
    values = [(label, value or 0) for label, value in series(result)][:MAX_BARS]
    top = max((v for _, v in values), default=0)
    title = report.measures[0].label if not report.indicators else report.indicators[0][1][0][0]
    kind = report.measures[0].kind
    if report.chart == "line" and len(values) > 1:
        return line(values, top, title, kind)
    room = WIDTH - LABEL_WIDTH - 60
    bars = tuple(
        Bar(label, value, i * (BAR_HEIGHT + GAP), room * value / top if top else 0, shown_number(value, kind))
        for i, (label, value) in enumerate(values)
    )
    return Chart("bar", title, bars=bars, height=len(bars) * (BAR_HEIGHT + GAP), maximum=top)


def line(values, top, title, kind="count"):
    left, room = 50, WIDTH - 80
    step = room / (len(values) - 1)
    dots = tuple(
        (
            round(left + i * step, 1),
            round(LINE_HEIGHT - 30 - (LINE_HEIGHT - 60) * (v / top if top else 0), 1),
            label,
            shown_number(v, kind),
        )
        for i, (label, v) in enumerate(values)
    )
    return Chart("line", title, points=" ".join(f"{x},{y}" for x, y, _, _ in dots), dots=dots, height=LINE_HEIGHT, maximum=top)
