"""A hand-built agency whose report answers are known (tests/test_reports*.py).

January 2026, agency A (sites S1, S2; program P1; funder F1):

- s0 2025-12-20 N1 (before the range: N1 is Returning)
- s1 2026-01-10 S1, lead W1, P1, F1, 30 min, English: N1, I&O (overview of Canada given)
- s2 2026-01-20 S1, lead W1, 60 min, English+French: N1 again (counts once where unique)
- s3 2026-01-15 S1, lead W1: N2, I&O form incomplete (never counts)
- s4 2026-01-12 S2, lead W2: anonymous X;  s5 2026-01-22 S2, lead W2: X again (counts twice)
- s6 2026-01-25 S1, lead W1, I&O group "Housing": N1 attended, N2 absent (N2 not counted)
- s7 2026-01-18 S2, lead W2, P1: N2, an I&O form marked Private by W2 (counts; coordinator C
  sees it as Restricted); N2's first service: New
- agency B: a complete session in January (never counts)

Staff: admin; coordinator C manages W1 (W1 in P1); W2 in no program, managed by nobody.
"""

from dataclasses import dataclass
from datetime import date

from extensions import db
from models import ALL_AGENCIES, ServiceForm, ServiceSession, SessionClient, Staff, tenant_scope
from tests.sessions_helpers import complete_answers

FROM, TO = date(2026, 1, 1), date(2026, 1, 31)


@dataclass
class Dataset:
    agency: object
    other: object
    s1: object
    s2: object
    program: object
    funder: object
    admin: object
    coordinator: object
    w1: object
    w2: object
    n1: object
    n2: object
    anonymous: object
    sessions: dict
    group_activity_id: int


def form(agency, kind, author, client=None, complete=True, private=False, program=None, **answers):
    row = ServiceForm(agency_id=agency.id, kind=kind, author_id=author.id, client_id=client.id if client else None)
    row.is_private, row.program_id = private, program.id if program else None
    row.save_answers({**complete_answers(kind), **answers} if complete else {})
    return row


def session(agency, day, site, lead, clients, forms, minutes=30, program=None, funders=(), languages=("English",), **kw):
    row = ServiceSession(
        agency_id=agency.id,
        service_date=day,
        site_id=site.id,
        lead_staff_id=lead.id,
        created_by_id=lead.id,
        minutes=minutes % 60,
        hours=minutes // 60,
        languages=list(languages),
        program_id=program.id if program else None,
        **kw,
    )
    row.attendees = [SessionClient(agency_id=agency.id, client_id=c.id) for c in clients]
    row.forms = forms
    db.session.add(row)
    db.session.flush()
    for funder in funders:
        row.funders.append(db.session.get(type(funder), funder.id))
    return row


def build(app, make):
    from models import GroupActivityName

    agency, other = make.agency(), make.agency()
    s1, s2, s_other = make.site(agency, name="S1"), make.site(agency, name="S2"), make.site(other, name="B site")
    program, funder = make.program(agency, name="P1"), make.funder(agency, name="F1", code="F1")
    admin = make.staff(agency, role="agency_admin", first_name="Ada", last_name="Admin")
    coordinator = make.staff(agency, role="coordinator", first_name="Cora", last_name="Coordinator", default_site_id=s1.id)
    w1 = make.staff(agency, manager_id=coordinator.id, first_name="Wanda", last_name="One", default_site_id=s1.id)
    w2 = make.staff(agency, first_name="Walter", last_name="Two", default_site_id=s2.id)
    other_admin = make.staff(other, role="agency_admin")
    n1 = make.client(
        agency,
        first_name="Nadia",
        last_name="First",
        gender="Female",
        date_of_birth=date(1990, 6, 15),
        immigration_status="Permanent resident",
        country_of_birth="Syria",
        first_language="Arabic",
        arrival_year=2020,
        postal_code="M5V 1A1",
        family_code="FAM1",
        phone="416-555-0101",
    )
    n2 = make.client(
        agency, first_name="Noor", last_name="Second", gender="Male", date_of_birth=date(2010, 1, 20), family_code="FAM1"
    )
    anonymous = make.client(agency, kind="anonymous", gender="Male")
    outsider = make.client(other, first_name="Olga", last_name="Outsider")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        w1_row = db.session.get(Staff, w1.id)
        w1_row.programs.append(db.session.get(type(program), program.id))
        activity = GroupActivityName(agency_id=agency.id, name="Housing circle")
        db.session.add(activity)
        db.session.flush()
        sessions = {
            "s0": session(agency, date(2025, 12, 20), s1, w1, [n1], [form(agency, "io", w1, n1)]),
            "s1": session(
                agency,
                date(2026, 1, 10),
                s1,
                w1,
                [n1],
                [form(agency, "io", w1, n1, topic_overview_given_ind="Yes")],
                program=program,
                funders=[funder],
            ),
            "s2": session(
                agency, date(2026, 1, 20), s1, w1, [n1], [form(agency, "io", w1, n1)], minutes=60, languages=("English", "French")
            ),
            "s3": session(agency, date(2026, 1, 15), s1, w1, [n2], [form(agency, "io", w1, n2, complete=False)]),
            "s4": session(agency, date(2026, 1, 12), s2, w2, [anonymous], [form(agency, "non_specified", w2, anonymous)]),
            "s5": session(agency, date(2026, 1, 22), s2, w2, [anonymous], [form(agency, "non_specified", w2, anonymous)]),
            "s6": session(
                agency,
                date(2026, 1, 25),
                s1,
                w1,
                [n1, n2],
                [
                    form(agency, "io_group", w1, topic="Housing", participants="2"),
                    form(agency, "io_attendee", w1, n1),
                    form(agency, "io_attendee", w1, n2, client_attended="No"),
                ],
                session_type="io_group",
                group_activity_id=activity.id,
            ),
            "s7": session(
                agency,
                date(2026, 1, 18),
                s2,
                w2,
                [n2],
                [form(agency, "io", w2, n2, private=True, program=program, topic_overview_given_ind="Yes")],
                program=program,
            ),
            "b": session(other, date(2026, 1, 15), s_other, other_admin, [outsider], [form(other, "io", other_admin, outsider)]),
        }
        db.session.commit()
        ids = {key: row.id for key, row in sessions.items()}
        activity_id = activity.id
    return Dataset(agency, other, s1, s2, program, funder, admin, coordinator, w1, w2, n1, n2, anonymous, ids, activity_id)
