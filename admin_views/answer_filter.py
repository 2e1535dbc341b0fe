"""Filtering a grid on the answers to agency questions (choice and yes/no questions)."""

import json

from flask_admin.contrib.sqla.filters import FilterEqual
from sqlalchemy import String, cast, or_, select

from admin_views.base import is_id, per_request
from extensions import db
from models.questions import AgencyQuestion


def answer_options(targets):
    """``("<question id>:<answer>", "<question>: <answer>")`` for the agency's choice questions."""
    query = select(AgencyQuestion).where(
        AgencyQuestion.target.in_(list(targets)), AgencyQuestion.answer_type.in_(("yesno", "choice", "multichoice"))
    )
    options = []
    for question in db.session.scalars(query.order_by(AgencyQuestion.position, AgencyQuestion.id)):
        answers = ("Yes", "No") if question.answer_type == "yesno" else question.choices or ()
        options += [(f"{question.id}:{answer}", f"{question.label}: {answer}") for answer in answers]
    return options


class AnswerFilter(FilterEqual):
    """Rows whose answer to one agency question is (or, for several answers, includes) a value."""

    def __init__(self, column, name, targets, **kwargs):
        super().__init__(column, name, options=per_request(lambda: answer_options(targets)), **kwargs)

    def validate(self, value):
        question_id, _, answer = str(value).partition(":")
        return is_id(question_id) and bool(answer)

    def apply(self, query, value, alias=None):
        question_id, _, answer = value.partition(":")
        stored = self.column[f"q{int(question_id)}"]
        several = cast(stored, String).contains(json.dumps(answer), autoescape=True)  # one of a multiple-choice list
        return query.filter(or_(stored.as_string() == answer, several))
