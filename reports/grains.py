"""Grains over a table of their own (not the sessions): referrals, tasks, iCARE upload items.

A ``RecordGrain`` says, as data, what the query builder (``reports/query.py``) and the
drill-down (``reports/drill.py``) need: the rows it selects from, how the criteria's dates and
the viewer's scope narrow them, the criteria it takes, which rows a viewer's program and Private
rules hide (a hidden row **counts**; the drill-down shows it as "Restricted", its date only),
and the columns a drill-down lists. The settlement plans' grains (``reports/plan_grain.py``)
came first and follow the same idea.
"""

from dataclasses import dataclass

from sqlalchemy import false, true

from models.visibility import JobViewer, PortalViewer


@dataclass(frozen=True)
class RecordGrain:
    """``rows(columns)``: ``select(*columns)`` over the grain's tables; ``in_range(criteria)``,
    ``narrow(criteria)`` and ``scope(people, viewer)``: its conditions; ``hidden(viewer)``: true
    for the rows the viewer may not open; ``drill()``: the drill-down's labelled columns
    (``record_date``, ``client_id``, ``staff_id``, ``session_id``, ``form_id``, ``what``...)
    and ``order()`` their order; ``describe(row, names)``: a drill row's kind and description."""

    key: str
    rows: object
    in_range: object
    scope: object
    filters: tuple
    narrow: object
    hidden: object
    drill: object
    order: object
    describe: object
    names: object  # ``names(rows)``: what ``describe`` looks up for a page of rows


def whole_agency(viewer):
    """Nobody acting (tests), a job (the CLI) or an agency admin: the agency."""
    return viewer is None or isinstance(viewer, JobViewer) or viewer.role == "agency_admin"


def scoped(condition_of):
    """A grain's scope: the agency for an admin or a job, nothing for a portal client, else
    ``condition_of(viewer)``."""

    def scope(viewer):
        if whole_agency(viewer):
            return true()
        if isinstance(viewer, PortalViewer):
            return false()
        return condition_of(viewer)

    return scope


def ids_in(column, chosen):
    return [column.in_(chosen)] if chosen else []
