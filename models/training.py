"""Training opportunities of a client: recommended by staff (the dashboard's *Training* tab) or
found and added by the client (the portal's *Training* page). One row per client and
opportunity: its details, the client's status and progress (a percentage, 0 to 100).

Who may change what (``check_training``, a ``before_flush`` hook, whatever page writes):

- the **details** (title, provider, kind, link, dates, cost, place, notes) belong to the side
  that added the row: staff edit what staff recommended, the client what they found;
- the **status and progress** are both sides' (the client follows the training, the caseworker
  may record an enrolment); *Recommended* is only the state a staff recommendation starts in,
  which the client leaves by accepting it (Interested) or any other status;
- removing a row is for the side that added it (a client drops a recommendation instead).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from extensions import db
from models.base import Timestamped, Versioned
from models.errors import InvalidEntry, ReadOnlyRecord
from models.principal import current_principal
from models.tenancy import AgencyOwned

KINDS = {
    "course": lazy_gettext("Course"),
    "certificate": lazy_gettext("Certificate"),
    "workshop": lazy_gettext("Workshop"),
    "apprenticeship": lazy_gettext("Apprenticeship"),
    "other": lazy_gettext("Other"),
}
STATUSES = {
    "recommended": lazy_gettext("Recommended"),
    "interested": lazy_gettext("Interested"),
    "enrolled": lazy_gettext("Enrolled"),
    "in_progress": lazy_gettext("In progress"),
    "completed": lazy_gettext("Completed"),
    "dropped": lazy_gettext("Dropped"),
}
CHOSEN_STATUSES = {key: label for key, label in STATUSES.items() if key != "recommended"}  # what either side sets
SIDES = {"staff": lazy_gettext("Recommended by my caseworker"), "client": lazy_gettext("Found by me")}
DETAILS = ("title", "provider", "kind", "url", "starts_on", "ends_on", "cost", "location", "is_online", "notes")
PROGRESS = ("status", "progress_percent")
FIXED = ("added_by",)  # a merge moves rows to the kept profile (staff): client_id is not fixed for staff
NOT_YOURS = lazy_gettext("Only the side that added this training can change its details or remove it.")


class TrainingOpportunity(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "training_opportunities"
    portal_scope = "own"

    id = db.Column(db.Integer, primary_key=True)
    client_id = db.Column(db.Integer, db.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    provider = db.Column(db.String(200), nullable=False, default="")
    kind = db.Column(db.Enum(*KINDS, name="training_kind", native_enum=False), nullable=False, default="course")
    url = db.Column(db.String(500), nullable=False, default="")
    starts_on = db.Column(db.Date)
    ends_on = db.Column(db.Date)
    cost = db.Column(db.Numeric(10, 2))  # dollars; None: not known, 0: free
    location = db.Column(db.String(200), nullable=False, default="")
    is_online = db.Column(db.Boolean, nullable=False, default=False)
    notes = db.Column(db.Text, nullable=False, default="")
    added_by = db.Column(db.Enum(*SIDES, name="training_side", native_enum=False), nullable=False)
    recommended_by_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="SET NULL"))
    status = db.Column(db.Enum(*STATUSES, name="training_status", native_enum=False), nullable=False, default="interested")
    progress_percent = db.Column(db.Integer, nullable=False, default=0)

    recommended_by = db.relationship("Staff")

    @property
    def status_label(self):
        return STATUSES[self.status]

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def source_label(self):
        return SIDES[self.added_by]


def acting_side():
    """``"client"`` in the portal, ``"staff"`` for staff and system jobs (the demo, imports)."""
    principal = current_principal()
    return "client" if principal is not None and principal.kind == "client" else "staff"


def may_edit_details(row):
    return acting_side() == row.added_by


def trainings_of(client):
    query = select(TrainingOpportunity).where(TrainingOpportunity.client_id == client.id)
    return db.session.scalars(query.order_by(TrainingOpportunity.created_at.desc(), TrainingOpportunity.id.desc())).all()


def add_training(client, values, staff=None):
    """A recommendation (``staff``) or the client's own find; ``values`` from ``clean_details``."""
    row = TrainingOpportunity(client_id=client.id, agency_id=client.agency_id, added_by="staff" if staff else "client")
    row.recommended_by_id = staff.id if staff else None
    row.status, row.progress_percent = ("recommended" if staff else "interested"), 0
    for name, value in values.items():
        setattr(row, name, value)
    db.session.add(row)
    return row


def update_details(row, values):
    for name, value in values.items():
        setattr(row, name, value)


def set_progress(row, status, percent):
    """The client's status and progress; *Completed* is 100%."""
    if status not in CHOSEN_STATUSES and not (status == "recommended" and row.status == "recommended"):
        raise InvalidEntry("status", lazy_gettext("Choose a status of the list."))
    row.status = status
    row.progress_percent = 100 if status == "completed" else percent


def accept(row):
    """The client takes up a recommendation: Interested."""
    if row.status == "recommended":
        row.status = "interested"


def clean_percent(text):
    text = (text or "").strip().rstrip("%").strip()
    if not text:
        return 0
    if not (text.isascii() and text.isdecimal()) or not 0 <= int(text) <= 100:
        raise InvalidEntry("progress_percent", lazy_gettext("Progress is a percentage from 0 to 100."))
    return int(text)


def clean_cost(text):
    text = (text or "").strip().replace("$", "").replace(",", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value >= 100000:
        raise InvalidEntry("cost", lazy_gettext("Enter the cost in dollars, such as 250 or 0 for free."))
    return value.quantize(Decimal("0.01"))


def clean_date(text, field):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidEntry(field, lazy_gettext("Enter a date as YYYY-MM-DD.")) from None


def clean_details(form):
    """The details of a form (a dict of strings) as column values; ``InvalidEntry`` names the field."""
    values = {
        "title": (form.get("title") or "").strip()[:200],
        "provider": (form.get("provider") or "").strip()[:200],
        "kind": form.get("kind") or "course",
        "url": (form.get("url") or "").strip()[:500],
        "starts_on": clean_date(form.get("starts_on"), "starts_on"),
        "ends_on": clean_date(form.get("ends_on"), "ends_on"),
        "cost": clean_cost(form.get("cost")),
        "location": (form.get("location") or "").strip()[:200],
        "is_online": form.get("is_online") in ("1", "y", "on", "true"),
        "notes": (form.get("notes") or "").strip()[:4000],
    }
    check_values(values)
    return values


def check_values(row):
    """The rules of the details (a row or a dict of values)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    if not get("title"):
        raise InvalidEntry("title", lazy_gettext("Give the training a title."))
    if get("kind") not in KINDS:
        raise InvalidEntry("kind", lazy_gettext("Choose a kind of the list."))
    if get("url") and not get("url").lower().startswith(("https://", "http://")):
        raise InvalidEntry("url", lazy_gettext("The link must start with https:// or http://."))
    if get("starts_on") and get("ends_on") and get("ends_on") < get("starts_on"):
        raise InvalidEntry("ends_on", lazy_gettext("The end date cannot be before the start date."))


def fill_defaults(row):
    """The columns' defaults on a new row (the database would add them only after the checks)."""
    for name, default in (("kind", "course"), ("status", "interested"), ("progress_percent", 0), ("is_online", False)):
        if getattr(row, name) is None:
            setattr(row, name, default)
    for name in ("provider", "url", "location", "notes"):
        if getattr(row, name) is None:
            setattr(row, name, "")


def changed(row, names):
    state = inspect(row)
    return [name for name in names if state.attrs[name].history.has_changes()]


def check_training(session):
    """The permissions and rules above, for every training row a flush writes."""
    side = acting_side()
    for row in session.new:
        if isinstance(row, TrainingOpportunity):
            fill_defaults(row)
            if row.added_by != side or (side == "client" and row.status == "recommended"):
                raise ReadOnlyRecord(str(NOT_YOURS))
            check_values(row)
    for row in session.dirty:
        if isinstance(row, TrainingOpportunity) and session.is_modified(row):
            moved = side == "client" and changed(row, ("client_id", "recommended_by_id"))
            if moved or changed(row, FIXED) or (changed(row, DETAILS) and side != row.added_by):
                raise ReadOnlyRecord(str(NOT_YOURS))
            if "status" in changed(row, ("status",)) and row.status == "recommended":
                raise InvalidEntry("status", lazy_gettext("Choose a status of the list."))
            if not 0 <= (row.progress_percent or 0) <= 100:
                raise InvalidEntry("progress_percent", lazy_gettext("Progress is a percentage from 0 to 100."))
            check_values(row)
    for row in session.deleted:
        if isinstance(row, TrainingOpportunity) and row.added_by != side:
            raise ReadOnlyRecord(str(NOT_YOURS))


@event.listens_for(Session, "before_flush")
def _check_trainings(session, flush_context, instances):
    check_training(session)


def form_values(row=None, form=None):
    """The details as the form's text: a refused form's own, else the row's (empty for a new one)."""
    if form:
        return {name: form.get(name, "") for name in DETAILS}
    if row is None:
        return {"kind": "course"}
    values = {name: "" if getattr(row, name) is None else str(getattr(row, name)) for name in DETAILS}
    values["is_online"] = "1" if row.is_online else ""
    return values
