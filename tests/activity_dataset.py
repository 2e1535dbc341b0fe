"""Referrals, tasks, mentor matches and iCARE files added to the hand-built agency of
``tests/reports_dataset.py`` (January 2026), with known answers (tests/test_activity_reports.py).

Referrals (agency A):
- r1 N1 by W1 to the partner "Food bank", food, 2026-01-05, attended
- r2 N1 by W1 to program P1 (internal), housing, 2026-01-12, made in P1, follow-up 2026-01-20 (overdue)
- r3 N2 by W2 to "Food bank", food, 2026-01-18, Private (W2's: the admin and the coordinator see it
  as Restricted), made, follow-up 2026-01-25 (overdue)
- r4 N2 by W1, 2025-12-28 (before the range)
Tasks: t1 for W1 due 01-10 open (overdue); t2 for W1 due 01-15 done; t3 for the client N1 by W2
due 01-20 open (overdue); t4 for W2 due 01-25 cancelled; t5 for W1 due 02-05 (after the range).
Mentors: m1 Match form 01-08 by W1 for N1 with "Mara Mentor", 2 hours a week, Ongoing; m2 01-14 by
W2 for N2, Private, 3 hours, Completed; m3 01-16 in an incomplete session (never counts); u1 an
Update form of m1, 01-22, 3 meetings.
iCARE: a final file for 2026-01 (Info&Orien) with s1's form (accepted) and s7's Private form
(rejected: "Postal code: not valid"); a Client Profile file for 2026-01 with N1 (rejected: "Date
of birth missing"); a file for 2025-12 (another month). Pending in January: s2's and s6's
attendee's I&O forms and s7's rejected one.
Agency B has one of each in January, which never counts.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, ServiceForm, Site, Staff, tenant_scope
from models.icare_uploads import IcareUpload, IcareUploadItem
from models.mentors import Mentor, MentorMatch, MentorUpdate
from models.referrals import Referral, ReferralPartner
from models.tasks import Task
from tests.reports_dataset import build as build_sessions
from tests.reports_dataset import form, session

FOOD, HOUSING = "food_cloth_material_needs_ind", "housing_accommodation_needs_ind"


@dataclass
class Activity:
    base: object
    referrals: dict
    mentor: object


def referral(agency, client, staff, day, need=FOOD, partner=None, program=None, **kw):
    row = Referral(agency_id=agency.id, client_id=client.id, referring_staff_id=staff.id, need_area=need, referral_date=day)
    row.partner_id, row.to_program_id = (partner.id if partner else None), (None if partner else program.id)
    for name, value in kw.items():
        setattr(row, name, value)
    db.session.add(row)
    return row


def task(agency, creator, day, status="open", assignee=None, client=None):
    row = Task(agency_id=agency.id, title=f"Task due {day}", created_by_id=creator.id, due_date=day, status=status)
    row.assignee_kind = "client" if client is not None else "staff"
    row.assigned_to_id, row.client_id = (assignee.id if assignee else None), (client.id if client else None)
    db.session.add(row)


def match_session(agency, site, lead, client, day, mentor, hours, status, private=False, complete=True):
    answers = {"mentor_id": str(mentor.id), "mentoring_hours_id": hours, "match_start_dt": day.isoformat()}
    match_form = form(agency, "mentor_match", lead, client, complete=complete, private=private, **answers)
    session(agency, day, site, lead, [client], [match_form])
    match = MentorMatch(agency_id=agency.id, mentor_id=mentor.id, client_id=client.id, form=match_form, started_on=day)
    match.status = status
    db.session.add(match)
    return match


def update_session(agency, site, lead, client, day, match, meetings):
    update_form = form(agency, "mentor_update", lead, client, meetings=str(meetings), match_status="Ongoing")
    session(agency, day, site, lead, [client], [update_form])
    db.session.add(MentorUpdate(agency_id=agency.id, match=match, form=update_form, updated_on=day))


def upload(agency, month, sheet, staff, items):
    row = IcareUpload(agency_id=agency.id, month=month, sheet=sheet, created_by_id=staff.id, record_count=len(items))
    row.checksum, row.filename, row.content = "0" * 64, f"{sheet}-{month}.xlsx", b""
    for number, (key, value, status, message) in enumerate(items, start=4):
        item = IcareUploadItem(agency_id=agency.id, row_number=number, status=status, message=message, **{key: value})
        row.items.append(item)
    db.session.add(row)


def form_of(session_id):
    return db.session.scalar(select(ServiceForm.id).where(ServiceForm.session_id == session_id, ServiceForm.kind == "io"))


def add_referrals_and_tasks(d, other, outsider, other_admin):
    a, w1, w2 = d.agency, db.session.get(Staff, d.w1.id), db.session.get(Staff, d.w2.id)
    food = ReferralPartner(agency_id=a.id, name="Food bank")
    other_partner = ReferralPartner(agency_id=other.id, name="B partner")
    db.session.add_all([food, other_partner])
    db.session.flush()
    found = {
        "r1": referral(a, d.n1, w1, date(2026, 1, 5), partner=food, status="attended"),
        "r2": referral(
            a, d.n1, w1, date(2026, 1, 12), HOUSING, program=d.program, program_id=d.program.id, follow_up_date=date(2026, 1, 20)
        ),
        "r3": referral(a, d.n2, w2, date(2026, 1, 18), partner=food, is_private=True, follow_up_date=date(2026, 1, 25)),
        "r4": referral(a, d.n2, w1, date(2025, 12, 28), partner=food),
    }
    referral(other, outsider, other_admin, date(2026, 1, 10), partner=other_partner, follow_up_date=date(2026, 1, 11))
    task(a, w1, date(2026, 1, 10), assignee=w1)
    task(a, w1, date(2026, 1, 15), "done", assignee=w1)
    task(a, w2, date(2026, 1, 20), client=d.n1)
    task(a, w2, date(2026, 1, 25), "cancelled", assignee=w2)
    task(a, w1, date(2026, 2, 5), assignee=w1)
    task(other, other_admin, date(2026, 1, 12), assignee=other_admin)
    db.session.flush()
    return {key: row.id for key, row in found.items()}


def add_mentors(d, other, outsider, other_admin, other_site):
    a = d.agency
    mara = Mentor(agency_id=a.id, name="Mara Mentor", screened_on=date(2025, 1, 1))
    other_mentor = Mentor(agency_id=other.id, name="Bea Mentor", screened_on=date(2025, 1, 1))
    db.session.add_all([mara, other_mentor])
    db.session.flush()
    m1 = match_session(a, d.s1, d.w1, d.n1, date(2026, 1, 8), mara, "2", "Ongoing")
    match_session(a, d.s2, d.w2, d.n2, date(2026, 1, 14), mara, "3", "Completed", private=True)
    match_session(a, d.s1, d.w1, d.n2, date(2026, 1, 16), mara, "1", "Ongoing", complete=False)
    update_session(a, d.s1, d.w1, d.n1, date(2026, 1, 22), m1, 3)
    b_match = match_session(other, other_site, other_admin, outsider, date(2026, 1, 9), other_mentor, "5", "Ongoing")
    update_session(other, other_site, other_admin, outsider, date(2026, 1, 23), b_match, 7)
    return mara.id


def add_icare(d, other, outsider, other_admin):
    admin = db.session.get(Staff, d.admin.id)
    s1_form, s7_form = form_of(d.sessions["s1"]), form_of(d.sessions["s7"])
    upload(
        d.agency,
        "2026-01",
        "Info&Orien",
        admin,
        [("form_id", s1_form, "accepted", None), ("form_id", s7_form, "rejected", "Postal code: not valid")],
    )
    upload(d.agency, "2026-01", "Client Profile", admin, [("profile_client_id", d.n1.id, "rejected", "Date of birth missing")])
    upload(d.agency, "2025-12", "Info&Orien", admin, [("form_id", form_of(d.sessions["s0"]), "accepted", None)])
    b_form = form_of(d.sessions["b"])
    upload(other, "2026-01", "Info&Orien", other_admin, [("form_id", b_form, "rejected", "Date of birth missing")])


def build(app, make):
    d = build_sessions(app, make)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        other_admin = db.session.scalar(select(Staff).where(Staff.agency_id == d.other.id))
        outsider = db.session.scalar(select(type(d.n1)).where(type(d.n1).agency_id == d.other.id))
        other_site = db.session.scalar(select(Site).where(Site.agency_id == d.other.id))
        ids = add_referrals_and_tasks(d, d.other, outsider, other_admin)
        mentor_id = add_mentors(d, d.other, outsider, other_admin, other_site)
        add_icare(d, d.other, outsider, other_admin)
        db.session.commit()
    return Activity(d, ids, mentor_id)
