"""The form answers reports count, stored: one row per (form, field) whose answer is "Yes"
(``service_form_yes_answers``). The indicator reports (I&O topics, needs and referrals, support
services, target groups, RAP services) count these rows, grouped by field, through an index,
instead of reading every form's JSON answers once per field.

A row exists exactly when ``service_forms.data ->> field = 'Yes'`` (a string answer), for every
form, Private and restricted ones included (a restricted form **counts**; its content is never
listed). The rows are kept right by every write: whenever a flush inserts or updates a form,
its rows are computed again from its stored answers in the same transaction (the same SQL as
the backfill, ``refresh_yes_answers``); a deleted form's rows go with it (``ON DELETE CASCADE``).
Bulk writers that bypass the ORM build the rows with the forms (seed-scale: ``demo/scale.py``)
or call ``models.first_services.refresh_all``, which refreshes these too (the benchmarks); the
migration fills them.
"""

from sqlalchemy import case, cast, event, func, literal, select, true
from sqlalchemy.orm import Session

from extensions import db
from models.base import replace_stored_rows
from models.service_forms import ServiceForm
from models.tenancy import AgencyOwned

YES = "Yes"
PENDING = "yes_answers_pending"


class FormYesAnswer(AgencyOwned, db.Model):
    __tablename__ = "service_form_yes_answers"

    form_id = db.Column(db.Integer, db.ForeignKey("service_forms.id", ondelete="CASCADE"), primary_key=True)
    field = db.Column(db.String(), primary_key=True)


def answer_pairs(dialect):
    """``(each, key, value)``: the form's answers as rows (a JSON object's keys and text values)."""
    if dialect == "postgresql":
        data = ServiceForm.data
        whole = case((func.json_typeof(data) == "object", data), else_=cast(literal("{}"), db.JSON))
        each = func.json_each_text(whole).table_valued("key", "value").render_derived("answer")
        return each, each.c.key, each.c.value
    each = func.json_each(ServiceForm.data).table_valued("key", "value", "type").alias("answer")
    return each, each.c.key, case((each.c.type == "text", each.c.value))


def yes_rows_select(connection, form_ids=None, agency_id=None):
    """``(form_id, agency_id, field)`` of every "Yes" answer of these forms."""
    each, key, value = answer_pairs(connection.dialect.name)
    query = select(ServiceForm.id, ServiceForm.agency_id, key).select_from(ServiceForm).join(each, true()).where(value == YES)
    if form_ids is not None:
        query = query.where(ServiceForm.id.in_(form_ids))
    if agency_id is not None:
        query = query.where(ServiceForm.agency_id == agency_id)
    return query.distinct()


def refresh_yes_answers(connection, form_ids=None, agency_id=None):
    """Store the "Yes" answers of these forms again (``None``: every form; ``agency_id``: of one
    agency), on ``connection`` (core statements: no ORM event)."""
    replace_stored_rows(
        connection,
        FormYesAnswer.__table__,
        "form_id",
        form_ids,
        agency_id,
        ["form_id", "agency_id", "field"],
        lambda ids: yes_rows_select(connection, ids, agency_id),
    )


@event.listens_for(Session, "before_flush")
def _note_forms(session, flush_context, instances):
    forms = [obj for obj in [*session.new, *session.dirty] if isinstance(obj, ServiceForm)]
    if forms:
        session.info.setdefault(PENDING, set()).update(forms)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_forms(session, flush_context):
    forms = session.info.pop(PENDING, set())
    ids = {form.id for form in forms if form.id is not None and db.inspect(form).persistent}
    if ids:
        refresh_yes_answers(session.connection(), ids)
