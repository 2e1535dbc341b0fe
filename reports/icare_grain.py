"""The iCARE grain of the report catalogue: ``icare_item``, one record of a final file (a
service form or a client profile row, ``models/icare_uploads.py``), dated by the month the file
is for. An agency admin reports on every final file; a coordinator or worker on the records they
(or their team) entered, and on the files they made. A record on a form the viewer's program or
Private rules hide counts, and its drill-down row shows only its date.

Records pending upload are forms (the form grain, with ``models/icare_records``' eligibility
conditions): ``PENDING_TEMPLATE`` names the template each form kind goes to.
"""

from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import and_, case, false, func, not_, or_, select

from models.icare_records import client_kinds, eligible_conditions
from models.icare_templates import service_templates, templates
from models.icare_uploads import IcareUpload, IcareUploadItem
from models.service_forms import ServiceForm
from models.visibility import Viewer, people_of, visible_clause
from reports.dimensions import Dimension, Measure, count_distinct, fixed
from reports.grains import RecordGrain, scoped

ICARE_FILTERS = ("from", "to")
ITEM_STATUSES = {
    "uploaded": lazy_gettext("Uploaded"),
    "accepted": lazy_gettext("Accepted"),
    "rejected": lazy_gettext("Rejected"),
}


def item_rows(columns):
    query = select(*columns).select_from(IcareUploadItem).join(IcareUpload, IcareUpload.id == IcareUploadItem.upload_id)
    return query.outerjoin(ServiceForm, ServiceForm.id == IcareUploadItem.form_id)


def months_between(criteria):
    """The files for the months the range touches (``month`` is ``YYYY-MM``)."""
    return [IcareUpload.month.between(criteria.date_from.strftime("%Y-%m"), criteria.date_to.strftime("%Y-%m"))]


def item_scope(viewer):
    people = people_of(viewer)
    return or_(ServiceForm.author_id.in_(people), IcareUpload.created_by_id.in_(people))


def item_hidden(viewer):
    if not isinstance(viewer, Viewer):
        return false()
    return and_(IcareUploadItem.form_id.isnot(None), not_(visible_clause(viewer, ServiceForm)))


def item_drill():
    return [
        IcareUpload.created_at.label("record_date"),
        IcareUploadItem.id.label("record_id"),
        func.coalesce(ServiceForm.client_id, IcareUploadItem.profile_client_id).label("client_id"),
        IcareUpload.created_by_id.label("staff_id"),
        ServiceForm.session_id,
        IcareUploadItem.form_id,
        IcareUpload.sheet,
        IcareUploadItem.status,
        IcareUploadItem.message,
    ]


def item_describe(row, names):
    status = str(ITEM_STATUSES.get(row.status, row.status))
    return template_titles([row.sheet])[row.sheet], f"{status}: {row.message}" if row.message else status


def as_date(value):
    """A drill row's date (SQLite returns text for a timestamp)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


ICARE_ITEM = RecordGrain(
    "icare_item",
    rows=item_rows,
    in_range=months_between,
    scope=scoped(item_scope),
    filters=ICARE_FILTERS,
    narrow=lambda c: [],
    hidden=item_hidden,
    drill=item_drill,
    order=lambda: [IcareUpload.created_at, IcareUploadItem.id],
    describe=item_describe,
    names=lambda rows: {},
)


def template_titles(values):
    """A template's name (by sheet name or slug) in the interface's language."""
    titles = {t.sheet: t.label for t in templates()} | {t.slug: t.label for t in templates()}
    return {v: titles.get(v, v) for v in values if v is not None}


def pending_template():
    """The template a form of the row goes to (its slug)."""
    found = [(ServiceForm.kind.in_(t.kinds), t.slug) for t in service_templates() if not t.is_course]
    return case(*found)


def pending_conditions(criteria):
    """iCARE's eligibility (complete, not yet uploaded unless rejected or amended, named and
    attended: ``models/icare_records.eligible_conditions``, its completeness subqueries
    included: without them PostgreSQL chose a plan 2.3 times slower at 1,000,000 forms), the
    month aside: the criteria's dates bound the sessions."""
    return list(eligible_conditions(client_kinds(), False))


UPLOAD_MONTH = Dimension("upload_month", lazy_gettext("Month"), lambda c: IcareUpload.month, order="value")
UPLOAD_TEMPLATE = Dimension("upload_template", lazy_gettext("iCARE template"), lambda c: IcareUpload.sheet, template_titles)
ITEM_STATUS = Dimension("item_status", lazy_gettext("Status"), lambda c: IcareUploadItem.status, fixed(ITEM_STATUSES))
ITEM_MESSAGE = Dimension(
    "item_message", lazy_gettext("iCARE's message"), lambda c: IcareUploadItem.message, empty=lazy_gettext("No message")
)
PENDING_TEMPLATE = Dimension(
    "pending_template", lazy_gettext("iCARE template"), lambda c: pending_template(), template_titles, needs="form"
)
RECORDS = Measure("records", lazy_gettext("Records"), (lambda: IcareUploadItem.id,), count_distinct)
REJECTED = [IcareUploadItem.status == "rejected"]
