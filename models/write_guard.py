"""The one place that keeps writes within the program, Private and break-glass rules, whatever
page, panel or job makes them (a ``before_flush`` hook):

- a restricted row is changed only by someone who sees it without break-glass;
- its program, Private flag or owners (author, uploader, lead) change, and it is deleted, only
  by its owner's side (``visibility.on_owner_side``), judged on the values it had before;
- a session is deleted only when every form it holds may go too.
"""

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from extensions import db
from models.errors import ReadOnlyRecord
from models.visibility import (
    NOT_OWNER,
    READ_ONLY,
    current_viewer,
    followed,
    on_owner_side,
    rules,
    skip_visibility_options,
    undeletable_forms,
    visible_clause,
)

SESSION_HOLDS_FORMS = (
    "This session holds forms you may not delete (of another program, private, or not yours). Ask their author or a coordinator."
)


def orphans(session):
    """Rows a flush is about to delete because they were removed from a delete-orphan collection."""
    for obj in session.dirty:
        state = inspect(obj)
        for rel in state.mapper.relationships:
            if rel.cascade.delete_orphan and rel.key in state.dict:
                yield from state.attrs[rel.key].history.deleted


def before(obj, name):
    """The value ``name`` had when ``obj`` was loaded (its current one if unchanged)."""
    history = inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(obj, name)


def restricting_columns(rule):
    program = (rule.program_column,) if rule.program_column else ()
    return (*program, *rule.owner_columns, *((rule.private_column,) if rule.private_column else ()))


def moves(obj, rule):
    """Whether this change moves the row: its program, Private flag or owners change."""
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in restricting_columns(rule))


def was_owned_by_viewer_side(viewer, obj, rule):
    """On the owner side of ``obj`` as it was, or of the record it follows (a file's form)."""
    owners = tuple(before(obj, name) for name in rule.owner_columns)
    private = bool(rule.private_column and before(obj, rule.private_column))
    if on_owner_side(viewer, rule, owners, private):
        return True
    parent = followed(obj)
    return parent is not None and was_owned_by_viewer_side(viewer, parent, rules()[type(parent)])


def refuse_unseen(viewer, objects):
    """Every changed or deleted restricted row must be visible to the viewer without break-glass."""
    by_class = {}
    for obj in objects:
        by_class.setdefault(type(obj), set()).add(obj.id)
    for cls, ids in by_class.items():
        query = select(cls.id).where(cls.id.in_(ids), visible_clause(viewer, cls, grants=False))
        if ids - set(db.session.scalars(query.execution_options(**skip_visibility_options))):
            raise ReadOnlyRecord(READ_ONLY)


def guard_writes(session):
    viewer = current_viewer()
    if viewer is None:
        return
    table = rules()
    changed = [obj for obj in session.dirty if type(obj) in table and session.is_modified(obj, include_collections=False)]
    deleted = [obj for obj in [*session.deleted, *orphans(session)] if type(obj) in table and obj.id is not None]
    refuse_unseen(viewer, changed + deleted)
    for obj in changed:
        if moves(obj, table[type(obj)]) and not was_owned_by_viewer_side(viewer, obj, table[type(obj)]):
            raise ReadOnlyRecord(NOT_OWNER)
    for obj in deleted:
        if not was_owned_by_viewer_side(viewer, obj, table[type(obj)]):
            raise ReadOnlyRecord(NOT_OWNER)
        if type(obj).__name__ == "ServiceSession" and undeletable_forms(obj, viewer):
            raise ReadOnlyRecord(SESSION_HOLDS_FORMS)


@event.listens_for(Session, "before_flush")
def _guard_restricted_writes(session, flush_context, instances):
    """Program, Private and break-glass rules on writes (see ``guard_writes``)."""
    guard_writes(session)
