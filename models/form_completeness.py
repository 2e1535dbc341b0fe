"""A form's completeness follows its agency questions: when a question of a form kind becomes
required (or stops being required, or is switched off), every form of that kind in the agency
is judged again in the same transaction, those hidden from whoever made the change included
(read and written on the table itself, the agency named explicitly; row-level security applies)."""

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from extensions import db
from models.base import utcnow
from models.questions import AgencyQuestion
from service_forms.catalogue import FORMS

PENDING = "questions_changed"
WATCHED = ("is_required", "is_active", "target")


def _changed(question):
    state = inspect(question)
    if state.pending or question in question_session(question).new:
        return question.is_required
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def question_session(question):
    return inspect(question).session


def unanswered(value):
    return value in (None, "", [])


def judged(kind, data, required_keys):
    """Whether a form of ``kind`` with these answers is complete."""
    return not FORMS[kind].missing(data) and not any(unanswered(data.get(key)) for key in required_keys)


def refresh_forms(connection, agency_id, kind):
    """Judge again every form of ``kind`` in the agency; how many changed."""
    questions, forms = AgencyQuestion.__table__, db.metadata.tables["service_forms"]
    required = select(questions.c.id).where(
        questions.c.agency_id == agency_id,
        questions.c.target == kind,
        questions.c.is_active.is_(True),
        questions.c.is_required.is_(True),
    )
    keys = [f"q{qid}" for qid in connection.execute(required).scalars()]
    rows = connection.execute(
        select(forms.c.id, forms.c.data, forms.c.is_complete).where(forms.c.agency_id == agency_id, forms.c.kind == kind)
    ).all()
    changed = 0
    for form_id, data, was_complete in rows:
        complete = judged(kind, data or {}, keys)
        if complete != bool(was_complete):
            values = {"is_complete": complete, "completed_at": utcnow() if complete else None, "version": forms.c.version + 1}
            connection.execute(update(forms).where(forms.c.id == form_id).values(**values))
            changed += 1
    return changed


@event.listens_for(Session, "before_flush")
def _note_question_changes(db_session, flush_context, instances):
    for obj in (*db_session.new, *db_session.dirty):
        if isinstance(obj, AgencyQuestion) and obj.target in FORMS and _changed(obj):
            db_session.info.setdefault(PENDING, set()).add((obj.agency_id, obj.target))
            history = inspect(obj).attrs["target"].history
            for old in history.deleted or ():
                if old in FORMS:
                    db_session.info[PENDING].add((obj.agency_id, old))


@event.listens_for(Session, "after_flush_postexec")
def _refresh_forms(db_session, flush_context):
    pending = db_session.info.pop(PENDING, set())
    for agency_id, kind in pending:
        if agency_id is not None:
            refresh_forms(db_session.connection(), agency_id, kind)
