"""The referral, task, mentor and iCARE reports of the catalogue (declared as data like the
others; ``reports/catalogue.py`` appends them to ``REPORT_LIST``)."""

from flask_babel import lazy_gettext

from models.icare_records import client_kinds
from models.service_forms import ServiceForm
from reports.declaration import Report
from reports.dimensions import CLIENTS_UNIQUE, DIMENSIONS, FORMS_COUNT, Measure, count_distinct, unique_clients
from reports.icare_grain import (
    ITEM_MESSAGE,
    PENDING_TEMPLATE,
    RECORDS,
    REJECTED,
    UPLOAD_MONTH,
    UPLOAD_TEMPLATE,
    pending_conditions,
)
from reports.mentor_dimensions import HOURS_PER_WEEK, MATCH_MENTOR, MATCH_STATUS, MEETINGS, UPDATE_MENTOR
from reports.referral_grain import (
    REFERRAL_CLIENTS,
    REFERRAL_MONTH,
    REFERRAL_NEED,
    REFERRAL_PROGRAM,
    REFERRAL_STATUS,
    REFERRAL_TARGET,
    REFERRALS,
    REFERRER,
    TASK_ASSIGNEE,
    TASK_KIND,
    TASK_STATE,
    TASKS,
    overdue_now,
)

REFERRALS_CATEGORY = lazy_gettext("Referrals")
MATCHES = Measure("matches", lazy_gettext("Matches"), (lambda: ServiceForm.id,), count_distinct)
UPDATES = Measure("updates", lazy_gettext("Updates"), (lambda: ServiceForm.id,), count_distinct)


def referrals(key, title, description, rows, columns=None, measures=(REFERRALS, REFERRAL_CLIENTS), **kwargs):
    return Report(key, title, description, "referral", rows, columns, measures, category=REFERRALS_CATEGORY, **kwargs)


def tasks(key, title, description, rows):
    return Report(key, title, description, "task", rows, TASK_STATE, (TASKS,), category=lazy_gettext("Tasks"))


def mentors(key, title, description, rows, measures, kinds=("mentor_match",), columns=None):
    return Report(key, title, description, "form", rows, columns, measures, kinds, category=lazy_gettext("Mentors"))


ACTIVITY_REPORTS = [
    referrals(
        "referrals_made",
        lazy_gettext("Referrals made by month"),
        lazy_gettext("Referrals made in the range (by their referral date), by month, and the clients referred."),
        REFERRAL_MONTH,
        chart="line",
    ),
    referrals(
        "referrals_by_need",
        lazy_gettext("Referrals by need area"),
        lazy_gettext("Referrals made in the range by the need area of the Needs Assessment they answer."),
        REFERRAL_NEED,
    ),
    referrals(
        "referrals_by_partner",
        lazy_gettext("Referrals by partner"),
        lazy_gettext("Referrals made in the range by the partner, or the agency's own program, the client was referred to."),
        REFERRAL_TARGET,
    ),
    referrals(
        "referrals_by_status",
        lazy_gettext("Referrals by status"),
        lazy_gettext("Referrals made in the range by their status today (made, accepted, attended, declined...)."),
        REFERRAL_STATUS,
    ),
    referrals(
        "referrals_by_program",
        lazy_gettext("Referrals by program"),
        lazy_gettext("Referrals made in the range by the program they were made in."),
        REFERRAL_PROGRAM,
    ),
    referrals(
        "referral_outcomes",
        lazy_gettext("Referral outcomes by need area"),
        lazy_gettext("Referrals made in the range: need area (rows) by the status they reached (columns)."),
        REFERRAL_NEED,
        columns=REFERRAL_STATUS,
        measures=(REFERRALS,),
    ),
    Report(
        "referrals_overdue",
        lazy_gettext("Overdue referral follow-ups"),
        lazy_gettext(
            "Open referrals (made or accepted) whose follow-up date falls in the range and has passed, by the worker who "
            "made them."
        ),
        "referral_follow_up",
        REFERRER,
        measures=(REFERRALS, REFERRAL_CLIENTS),
        where=overdue_now,
        category=REFERRALS_CATEGORY,
    ),
    tasks(
        "tasks_by_assignee",
        lazy_gettext("Tasks by assignee"),
        lazy_gettext(
            "Tasks due in the range by who they are for (rows) and whether they are open, overdue, done or cancelled (columns)."
        ),
        TASK_ASSIGNEE,
    ),
    tasks(
        "tasks_by_kind",
        lazy_gettext("Tasks by kind"),
        lazy_gettext("Tasks due in the range, for a staff member or for the client (rows), open, overdue, done or cancelled."),
        TASK_KIND,
    ),
    mentors(
        "mentor_matches",
        lazy_gettext("Mentor matches by status"),
        lazy_gettext("Mentor/Tutor Match forms in complete sessions of the range, by the match's status today."),
        MATCH_STATUS,
        (MATCHES, unique_clients(CLIENTS_UNIQUE)),
    ),
    mentors(
        "mentor_matches_by_mentor",
        lazy_gettext("Mentor matches by mentor and hours"),
        lazy_gettext("Mentor/Tutor Match forms by mentor or tutor (rows) and the average hours per week recorded (columns)."),
        MATCH_MENTOR,
        (MATCHES,),
        columns=HOURS_PER_WEEK,
    ),
    mentors(
        "mentor_meetings",
        lazy_gettext("Mentor meetings by mentor"),
        lazy_gettext("Mentor/Tutor Update forms in complete sessions of the range and the meetings they record, by mentor."),
        UPDATE_MENTOR,
        (UPDATES, MEETINGS),
        kinds=("mentor_update",),
    ),
    Report(
        "icare_uploaded",
        lazy_gettext("iCARE records uploaded"),
        lazy_gettext("Records in the final iCARE files for the months of the range, by month (rows) and template (columns)."),
        "icare_item",
        UPLOAD_MONTH,
        UPLOAD_TEMPLATE,
        (RECORDS,),
        category=lazy_gettext("iCARE"),
    ),
    Report(
        "icare_rejected",
        lazy_gettext("iCARE records rejected"),
        lazy_gettext("Records of the months' final files that iCARE rejected, by iCARE's message."),
        "icare_item",
        ITEM_MESSAGE,
        measures=(RECORDS,),
        where=lambda c: list(REJECTED),
        chart=None,
        category=lazy_gettext("iCARE"),
    ),
    Report(
        "icare_pending",
        lazy_gettext("iCARE records pending upload"),
        lazy_gettext(
            "Service records of the range not yet in a final file (or rejected, or asked for again), by template (rows) and "
            "month (columns); client profiles and courses are on the iCARE page."
        ),
        "form",
        PENDING_TEMPLATE,
        DIMENSIONS["month"],
        (FORMS_COUNT,),
        kinds=client_kinds(),
        where=pending_conditions,
        category=lazy_gettext("iCARE"),
    ),
]
