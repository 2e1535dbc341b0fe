"""The iCARE check as a staff member sees it: whose records, counts per template, problems.

Everyone checks their own records, a coordinator their team's, an iCARE uploader (the add-on
``Staff.is_icare_uploader``) and an agency admin the whole agency; only they make final files.
A Private form's problems are shown in full to its author and their coordinator; to anyone
else as "a Private form by X has N problems" (the command line's error report too: it is
nobody's author or coordinator). The queries run as the iCARE export
(``icare_scope``): it reads every form, so the rules of the page are applied here.
"""

from dataclasses import dataclass, field

from flask_babel import gettext, ngettext
from sqlalchemy import select

from extensions import db
from models.clients import registration_number
from models.icare_records import eligible_count, icare_scope, problem_rows
from models.staff import Staff


def may_make_finals(staff):
    return staff.role == "agency_admin" or bool(staff.is_icare_uploader)


def team_of(staff):
    """The people whose records a staff member checks (``None``: the whole agency)."""
    if may_make_finals(staff):
        return None
    if staff.role == "coordinator":
        members = db.session.scalars(select(Staff.id).where(Staff.manager_id == staff.id)).all()
        return (staff.id, *members)
    return (staff.id,)


def sees_private_of(staff, author_id, managers):
    """The author and the author's coordinator see a Private form's problems in full."""
    return author_id == staff.id or (staff.role == "coordinator" and managers.get(author_id) == staff.id)


@dataclass
class Problem:
    sheet: str
    slug: str
    reference: str  # registration number or course code
    who: str  # the client's name or the course
    service_date: object
    worker: str
    email: str
    owner_id: int | None
    messages: list = field(default_factory=list)
    form_id: int | None = None
    session_id: int | None = None
    client_id: int | None = None
    fix_profile: bool = False  # the fix is on the client's profile
    is_private: bool = False
    redacted: bool = False


def course_name(code):
    """A course as the check names it, in the viewer's language."""
    return gettext("Course %(code)s", code=code) if code else gettext("Course")


def build_problem(template, row, checks):
    client_id = row.get("client_id")
    name = " ".join(filter(None, (row.get("client_first"), row.get("client_last"))))
    course = row.get("course_code") or ""
    return Problem(
        sheet=template.sheet,
        slug=template.slug,
        reference=registration_number(client_id) if client_id else course,
        who=name if client_id else course_name(course),
        service_date=row.get("service_date"),
        worker=" ".join(filter(None, (row["first_name"], row["last_name"]))),
        email=row["email"] or "",
        owner_id=row["owner_id"],
        messages=[check.shown_message for check in checks],
        form_id=row.get("form_id"),
        session_id=row.get("session_id"),
        client_id=client_id,
        fix_profile=template.is_profile or any(check.key in ("no_profile", "dob_missing") for check in checks),
        is_private=bool(row.get("is_private")),
    )


def redact(problem):
    count = len(problem.messages)
    message = ngettext(
        "A Private form by %(name)s has %(num)d problem",
        "A Private form by %(name)s has %(num)d problems",
        count,
        name=problem.worker,
    )
    problem.messages = [message]
    problem.who, problem.reference, problem.form_id, problem.session_id, problem.client_id = "", "", None, None, None
    problem.redacted, problem.fix_profile = True, False
    return problem


@dataclass
class TemplateResult:
    template: object
    total: int
    bad: int
    problems: list

    @property
    def good(self):
        return self.total - self.bad

    @property
    def is_valid(self):
        return self.bad == 0


def check_month(staff, month, chosen):
    """A ``TemplateResult`` per chosen template for ``staff``'s records of ``month``."""
    people = team_of(staff)
    managers = dict(db.session.execute(select(Staff.id, Staff.manager_id)).all())
    results = []
    with icare_scope(staff.agency_id):
        for template in chosen:
            total = eligible_count(template, month, people)
            found = problem_rows(template, month, people) if total else ()  # no record, nothing to check
            problems = shown_to(staff, [build_problem(template, row, checks) for row, checks in found], managers)
            results.append(TemplateResult(template, total, len(problems), problems))
    return results


def shown_to(viewer, problems, managers):
    """``problems`` with the Private forms' redacted unless ``viewer`` is the author or their
    coordinator (``viewer=None``: the command line, which is no form's author and nobody's
    coordinator, so it reads what an agency admin who did not write the form reads)."""
    for problem in problems:
        if problem.is_private and (viewer is None or not sees_private_of(viewer, problem.owner_id, managers)):
            redact(problem)
    return problems


def command_line_problems(agency_id, month, chosen):
    """The ``icare-export`` command's error report: every record of the agency, as an agency
    admin's page shows them (the command acts for the agency), Private forms redacted."""
    with icare_scope(agency_id):
        problems = [build_problem(t, row, checks) for t in chosen for row, checks in problem_rows(t, month)]
    return shown_to(None, problems, {})
