"""Agency-specific questions, added by agency admins to any form kind or to the client profile."""

from flask_babel import lazy_gettext

from extensions import db
from models.base import Timestamped, Versioned
from models.tenancy import AgencyOwned

ANSWER_TYPES = {
    "text": lazy_gettext("Text"),
    "number": lazy_gettext("Number"),
    "date": lazy_gettext("Date"),
    "yesno": lazy_gettext("Yes/No"),
    "choice": lazy_gettext("Choice"),
    "multichoice": lazy_gettext("Multiple choice"),
}
CLIENT_PROFILE = "client_profile"


class AgencyQuestion(Versioned, AgencyOwned, Timestamped, db.Model):
    __tablename__ = "agency_questions"
    __table_args__ = (db.Index("ix_agency_questions_target", "agency_id", "target", "position"),)

    id = db.Column(db.Integer, primary_key=True)
    target = db.Column(db.String(40), nullable=False)  # a form kind, or "client_profile"
    label = db.Column(db.String(300), nullable=False)
    answer_type = db.Column(db.Enum(*ANSWER_TYPES, name="answer_type", native_enum=False), nullable=False, default="text")
    choices = db.Column(db.JSON, nullable=False, default=list)
    is_required = db.Column(db.Boolean, nullable=False, default=False)
    position = db.Column(db.Integer, nullable=False, default=0)
    is_active = db.Column(db.Boolean, nullable=False, default=True)

    def __str__(self):
        return self.label

    @property
    def key(self):
        """Where the answer is kept in a form's data (or the client's answers)."""
        return f"q{self.id}"
