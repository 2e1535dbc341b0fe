"""Records for the access sweep (tests/test_access_sweep.py): in the demo agency and in the other
agency, one of every kind that the URL rules name, each free-text field holding a marker
``SECRET-<AUDIENCE>-<n>`` whose audience says which sweep roles may see it."""

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from extensions import db
from models import (
    ALL_AGENCIES,
    Agency,
    AgencyQuestion,
    CareerDocument,
    CaseNote,
    Client,
    ClientAssignment,
    ClientFile,
    ClientMerge,
    EmergencyContact,
    Funder,
    GroupActivityName,
    Mentor,
    MentorMatch,
    MessageTemplate,
    Notification,
    PlanFollowUp,
    PlanGoal,
    PlanStep,
    PortalUpload,
    Program,
    Referral,
    ReferralPartner,
    SafetyFlag,
    ServiceForm,
    ServiceSession,
    SessionClient,
    SettlementPlan,
    Site,
    Staff,
    Task,
    TrainingOpportunity,
    tenant_scope,
)
from models.eap import EmploymentActionPlan, add_part

ROLES = {
    "worker": "worker@demo.org",  # Settlement Services; author of the PROGRAM and PRIVATE records
    "worker2": "worker2@demo.org",  # Employment Services; not the author's manager
    "coordinator": "coordinator@demo.org",  # Settlement + Employment; manager of both workers
    "admin": "admin@demo.org",  # agency admin of the demo agency
    "other_admin": "admin@other.org",  # agency admin of the other agency
}
# Who may see a record, by the audience its markers name.
AUDIENCE = {
    "OTHER-AGENCY": {"other_admin"},
    "DEMO-AGENCY": {"worker", "worker2", "coordinator", "admin"},  # the client profile and records in no program
    "PROGRAM": {"worker", "coordinator", "admin"},  # Settlement Services, written by worker@demo.org
    "PRIVATE": {"worker", "coordinator"},  # Private, written by worker@demo.org (admins only through break-glass)
    "LT-PROGRAM": {"admin"},  # Language Training, written by admin@demo.org (no one else is in it or manages her)
}
AGENCY_OF_ROLE = {role: "OTHER" if role == "other_admin" else "DEMO" for role in ROLES}


def marker_prefix(audience):
    return f"SECRET-{audience}-"


def hidden_prefixes(role):
    """The marker prefixes that must never reach this role."""
    return [marker_prefix(a) for a, roles in AUDIENCE.items() if role not in roles]


def may_see(role, audience):
    return role in AUDIENCE[audience]


@dataclass
class Target:
    """One record a URL can name: ``values`` fills URL variables, ``keys`` are those that name
    the record itself (the others place it: its client or session)."""

    kind: str
    audience: str
    agency: str
    model: type
    id: int
    values: dict
    keys: frozenset
    label: str = ""

    def __str__(self):
        return f"{self.kind} {self.id} ({self.audience})"


@dataclass
class Fixture:
    targets: list = field(default_factory=list)
    context: dict = field(default_factory=dict)  # agency code -> a visible client and session there
    ids: dict = field(default_factory=dict)  # name -> id, for the positive controls

    def of_model(self, model):
        return [t for t in self.targets if t.model is model]

    def add(self, kind, audience, agency, row, values, keys, label=""):
        target = Target(kind, audience, agency, type(row), row.id, values, frozenset(keys), label)
        self.targets.append(target)
        return target


class Marks:
    """Unique markers per audience."""

    def __init__(self):
        self.count = 0

    def __call__(self, audience):
        self.count += 1
        return f"{marker_prefix(audience)}{self.count}"


def staff(email):
    return db.session.scalar(select(Staff).where(Staff.email == email))


def program(agency, name):
    return db.session.scalar(select(Program).where(Program.agency_id == agency.id, Program.name == name))


def make_client(agency, audience, mark, assigned):
    client = Client(
        agency_id=agency.id,
        kind="named",
        first_name=mark(audience),
        last_name=mark(audience),
        preferred_name=mark(audience),
        date_of_birth=date(1988, 5, 17),
        gender="Female",
        street_name=mark(audience),
        city=mark(audience),
        comments=mark(audience),
    )
    client.emergency_contacts = [EmergencyContact(agency_id=agency.id, name=mark(audience), relationship=mark(audience))]
    client.safety_flags = [SafetyFlag(agency_id=agency.id, reason=mark(audience), flagged_by_id=assigned.id)]
    client.assignments = [ClientAssignment(agency_id=agency.id, staff_id=assigned.id)]
    db.session.add(client)
    return client


def make_merge(agency, audience, mark, by):
    """One profile merged into another (neither is the fixture's client): an undo to refuse."""
    kept, retired = make_client(agency, audience, mark, by), make_client(agency, audience, mark, by)
    retired.is_archived = True
    merge = ClientMerge(agency_id=agency.id, kept=kept, retired=retired, merged_by_id=by.id)
    db.session.add(merge)
    return merge


def make_session(agency, client, site, lead, program_row, audience, mark):
    session = ServiceSession(
        agency_id=agency.id,
        service_date=date.today(),
        site_id=site.id,
        program_id=program_row.id if program_row else None,
        lead_staff_id=lead.id,
        created_by_id=lead.id,
        minutes=30,
        languages=["English"],
        notes=mark(audience),
    )
    session.staff = [lead]
    session.attendees = [SessionClient(agency_id=agency.id, client_id=client.id)]
    db.session.add(session)
    return session


TEXT_ANSWERS = {"non_specified": ("description", "notes"), "rap": ("notes",), "language_assessment": ("notes",)}


def make_form(session, client, kind, author, program_row, audience, mark, is_private=False):
    form = ServiceForm(
        agency_id=session.agency_id,
        kind=kind,
        client_id=client.id,
        author_id=author.id,
        program_id=program_row.id if program_row else None,
        is_private=is_private,
    )
    form.save_answers({name: mark(audience) for name in TEXT_ANSWERS[kind]})
    session.forms.append(form)
    return form


def make_note(client, author, program_row, audience, mark, is_private=False):
    note = CaseNote(
        agency_id=client.agency_id,
        client_id=client.id,
        author_id=author.id,
        program_id=program_row.id if program_row else None,
        is_private=is_private,
        body=mark(audience),
    )
    db.session.add(note)
    return note


def make_file(folder, client, author, program_row, audience, mark, is_private=False, form=None):
    content = f"{mark(audience)}\n".encode()
    stored_name = secrets.token_hex(16)
    (Path(folder) / stored_name).write_bytes(content)
    row = ClientFile(
        agency_id=client.agency_id,
        client_id=client.id,
        original_name=f"{mark(audience)}.txt",
        stored_name=stored_name,
        content_type="text/plain",
        size=len(content),
        description=mark(audience),
        uploaded_by_id=author.id,
        program_id=program_row.id if program_row else None,
        is_private=is_private,
        form_id=form.id if form else None,
    )
    db.session.add(row)
    return row


def make_mentor(agency, audience, mark):
    """A mentor whose every text is a marker of the whole agency (the directory is agency-wide)."""
    mentor = Mentor(
        agency_id=agency.id,
        name=mark(audience),
        skills=mark(audience),
        areas=mark(audience),
        notes=mark(audience),
        languages=["English"],
        screened_on=date.today(),
    )
    db.session.add(mentor)
    return mentor


def make_portal_upload(folder, client, audience, mark):
    """A client's portal upload (its bytes a marker, as the staff files')."""
    stored_name = secrets.token_hex(16)
    (Path(folder) / stored_name).write_bytes(f"{mark(audience)}\n".encode())
    row = PortalUpload(
        agency_id=client.agency_id, client_id=client.id, original_name=f"{mark(audience)}.txt", stored_name=stored_name
    )
    row.content_type, row.size, row.description = "text/plain", 20, mark(audience)
    db.session.add(row)
    db.session.flush()
    return row


def make_document(client, audience, mark):
    """A resume the client wrote in the portal (staff read it on the dashboard, never change it)."""
    row = CareerDocument(agency_id=client.agency_id, client_id=client.id, kind="resume", title=mark(audience))
    row.content = {"contact": {"name": mark(audience)}, "summary": {"text": mark(audience)}}
    row.author_kind = "client"
    db.session.add(row)
    db.session.flush()
    return row


def add_employment_targets(fixture, client, audience, agency, mark):
    """A training recommendation and an Employment Action Plan of the client (markers of the agency)."""
    training = TrainingOpportunity(client_id=client.id, agency_id=client.agency_id, added_by="staff", status="recommended")
    training.title, training.notes, training.kind = mark(audience), mark(audience), "course"
    plan = EmploymentActionPlan(client_id=client.id, agency_id=client.agency_id, start_date=date.today())
    plan.employment_goal, plan.caseworker = mark(audience), mark(audience)
    add_part(plan, "item", {"description": mark(audience)})
    db.session.add_all([training, plan])
    db.session.flush()
    values = {"client_id": client.id}
    fixture.add("training", audience, agency, training, {**values, "training_id": training.id}, {"training_id"})
    fixture.add("eap", audience, agency, plan, {**values, "eap_id": plan.id}, {"eap_id"})


def make_referral(client, author, program_row, audience, mark, is_private=False):
    """A referral whose notes and outcome are markers, to a new partner whose name is a marker of
    the whole agency (partners are not restricted records)."""
    everyone = "OTHER-AGENCY" if audience == "OTHER-AGENCY" else "DEMO-AGENCY"
    partner = ReferralPartner(agency_id=client.agency_id, name=mark(everyone), services=mark(everyone))
    referral = Referral(
        agency_id=client.agency_id,
        client_id=client.id,
        referring_staff_id=author.id,
        partner=partner,
        need_area="housing_accommodation_needs_ind",
        program_id=program_row.id if program_row else None,
        is_private=is_private,
        notes=mark(audience),
        outcome=mark(audience),
    )
    db.session.add(referral)
    return referral


def make_plan(client, worker, audience, mark):
    """A settlement plan (agency-wide, like the profile) with a goal, a step and a follow-up, all markers."""
    plan = SettlementPlan(
        agency_id=client.agency_id, client_id=client.id, worker_id=worker.id, created_by_id=worker.id, summary=mark(audience)
    )
    goal = PlanGoal(agency_id=client.agency_id, need_area="housing_accommodation_needs_ind", description=mark(audience))
    goal.steps = [PlanStep(agency_id=client.agency_id, description=mark(audience))]
    goal.progress_notes = mark(audience)
    plan.goals = [goal]
    plan.follow_ups = [PlanFollowUp(agency_id=client.agency_id, note=mark(audience), staff_id=worker.id)]
    db.session.add(plan)
    return plan


def reference_rows(agency, audience, mark):
    """A site, funder, program, group activity name and question whose names are markers."""
    funder = Funder(agency_id=agency.id, name=mark(audience), code=f"SW{agency.id}")
    rows = [
        Site(agency_id=agency.id, name=mark(audience), kind="non_school", address=mark(audience), city=mark(audience)),
        funder,
        Program(agency_id=agency.id, name=mark(audience), description=mark(audience), funder=funder),
        GroupActivityName(agency_id=agency.id, name=mark(audience)),
        AgencyQuestion(agency_id=agency.id, target="io", label=mark(audience)),
        MessageTemplate(agency_id=agency.id, kind="break_glass", subject=mark(audience), body_text="-", body_html="-"),
    ]
    db.session.add_all(rows)
    return rows


def build(app, folder):
    """Create every sweep record (on top of the ``demo`` fixture) and return the targets."""
    mark, fixture = Marks(), Fixture()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        demo, other = (db.session.scalar(select(Agency).where(Agency.code == code)) for code in ("DEMO", "OTHER"))
        wei, amira, olivia = staff("worker@demo.org"), staff("admin@demo.org"), staff("admin@other.org")
        olivia.title = mark("OTHER-AGENCY")
        reference_rows(demo, "DEMO-AGENCY", mark)
        other_site, _, other_program, *_ = reference_rows(other, "OTHER-AGENCY", mark)
        settlement, language = program(demo, "Settlement Services"), program(demo, "Language Training")
        head_office = db.session.scalar(select(Site).where(Site.agency_id == demo.id, Site.name == "Head Office"))

        person = make_client(demo, "DEMO-AGENCY", mark, wei)
        stranger = make_client(other, "OTHER-AGENCY", mark, olivia)
        merges = {"DEMO": make_merge(demo, "DEMO-AGENCY", mark, wei), "OTHER": make_merge(other, "OTHER-AGENCY", mark, olivia)}
        db.session.flush()
        program_session = make_session(demo, person, head_office, wei, settlement, "PROGRAM", mark)
        open_session = make_session(demo, person, head_office, wei, None, "DEMO-AGENCY", mark)
        lt_session = make_session(demo, person, head_office, amira, language, "LT-PROGRAM", mark)
        other_session = make_session(other, stranger, other_site, olivia, other_program, "OTHER-AGENCY", mark)
        db.session.flush()
        forms = [
            (make_form(program_session, person, "non_specified", wei, settlement, "PROGRAM", mark), "PROGRAM"),
            (make_form(open_session, person, "non_specified", wei, settlement, "PROGRAM", mark), "PROGRAM"),
            (make_form(open_session, person, "rap", wei, None, "PRIVATE", mark, is_private=True), "PRIVATE"),
            (make_form(open_session, person, "language_assessment", amira, language, "LT-PROGRAM", mark), "LT-PROGRAM"),
            (make_form(lt_session, person, "non_specified", amira, language, "LT-PROGRAM", mark), "LT-PROGRAM"),
            (make_form(other_session, stranger, "non_specified", olivia, other_program, "OTHER-AGENCY", mark), "OTHER-AGENCY"),
        ]
        notes = [
            (make_note(person, wei, None, "DEMO-AGENCY", mark), "DEMO-AGENCY"),
            (make_note(person, wei, settlement, "PROGRAM", mark), "PROGRAM"),
            (make_note(person, wei, None, "PRIVATE", mark, is_private=True), "PRIVATE"),
            (make_note(person, amira, language, "LT-PROGRAM", mark), "LT-PROGRAM"),
            (make_note(stranger, olivia, None, "OTHER-AGENCY", mark), "OTHER-AGENCY"),
        ]
        db.session.flush()  # the forms' ids, for the files on them
        files = [
            # Files on forms: with their form's program and Private flag, as the pages keep them.
            (make_file(folder, person, wei, settlement, "PROGRAM", mark, form=forms[0][0]), "PROGRAM"),
            (make_file(folder, person, wei, None, "PRIVATE", mark, is_private=True, form=forms[2][0]), "PRIVATE"),
            (make_file(folder, person, wei, None, "DEMO-AGENCY", mark), "DEMO-AGENCY"),
            (make_file(folder, person, wei, settlement, "PROGRAM", mark), "PROGRAM"),
            (make_file(folder, person, wei, None, "PRIVATE", mark, is_private=True), "PRIVATE"),
            (make_file(folder, person, amira, language, "LT-PROGRAM", mark), "LT-PROGRAM"),
            (make_file(folder, stranger, olivia, None, "OTHER-AGENCY", mark), "OTHER-AGENCY"),
        ]
        referrals = [
            (make_referral(person, wei, None, "DEMO-AGENCY", mark), "DEMO-AGENCY"),
            (make_referral(person, wei, settlement, "PROGRAM", mark), "PROGRAM"),
            (make_referral(person, wei, None, "PRIVATE", mark, is_private=True), "PRIVATE"),
            (make_referral(person, amira, language, "LT-PROGRAM", mark), "LT-PROGRAM"),
            (make_referral(stranger, olivia, None, "OTHER-AGENCY", mark), "OTHER-AGENCY"),
        ]
        tasks = [
            (
                Task(
                    agency_id=demo.id, client_id=person.id, created_by_id=wei.id, assigned_to_id=wei.id, title=mark("DEMO-AGENCY")
                ),
                "DEMO-AGENCY",
            ),
            (
                Task(
                    agency_id=other.id,
                    client_id=stranger.id,
                    created_by_id=olivia.id,
                    assigned_to_id=olivia.id,
                    title=mark("OTHER-AGENCY"),
                ),
                "OTHER-AGENCY",
            ),
        ]
        db.session.add_all([task for task, _ in tasks])
        plans = [
            (make_plan(person, wei, "DEMO-AGENCY", mark), "DEMO-AGENCY"),
            (make_plan(stranger, olivia, "OTHER-AGENCY", mark), "OTHER-AGENCY"),
        ]
        mentors = [
            (make_mentor(demo, "DEMO-AGENCY", mark), "DEMO-AGENCY"),
            (make_mentor(other, "OTHER-AGENCY", mark), "OTHER-AGENCY"),
        ]
        db.session.flush()
        db.session.add(  # a match on the PRIVATE form: listed on the mentor's page only to who may open it
            MentorMatch(
                agency_id=demo.id,
                mentor_id=mentors[0][0].id,
                client_id=person.id,
                form_id=forms[2][0].id,
                started_on=date.today(),
            )
        )
        for client, audience in ((person, "DEMO-AGENCY"), (stranger, "OTHER-AGENCY")):
            db.session.add(
                Notification(
                    agency_id=client.agency_id,
                    kind="appointment_reminder",
                    client_id=client.id,
                    subject=mark(audience),
                    dedupe_key=mark(audience),
                )
            )
        db.session.commit()
        agency_of = {demo.id: "DEMO", other.id: "OTHER"}
        for row, audience in [
            *referrals,
            *tasks,
            *mentors,
            *((r.partner, "OTHER-AGENCY" if a == "OTHER-AGENCY" else "DEMO-AGENCY") for r, a in referrals),
        ]:  # pages that take ?id=
            fixture.add(type(row).__name__.lower(), audience, agency_of[row.agency_id], row, {}, ())
        for client, audience, assigned in ((person, "DEMO-AGENCY", wei), (stranger, "OTHER-AGENCY", olivia)):
            agency = agency_of[client.agency_id]
            fixture.add("client", audience, agency, client, {"client_id": client.id}, {"client_id"})
            flag = client.safety_flags[0]
            fixture.add("flag", audience, agency, flag, {"client_id": client.id, "flag_id": flag.id}, {"flag_id"})
            fixture.add("staff", audience, agency, assigned, {"client_id": client.id, "staff_id": assigned.id}, {"staff_id"})
        sessions = (
            (program_session, "PROGRAM"),
            (open_session, "DEMO-AGENCY"),
            (lt_session, "LT-PROGRAM"),
            (other_session, "OTHER-AGENCY"),
        )
        for session, audience in sessions:
            values = {
                "session_id": session.id,
                "client_id": session.attendees[0].client_id,
                "record_type": "service_session",
                "record_id": session.id,
            }
            fixture.add("session", audience, agency_of[session.agency_id], session, values, {"session_id", "record_id"})
        for form, audience in forms:
            values = {"session_id": form.session_id, "form_id": form.id, "record_type": "service_form", "record_id": form.id}
            fixture.add("form", audience, agency_of[form.agency_id], form, values, {"form_id", "record_id"}, form.kind)
        for note, audience in notes:
            values = {"client_id": note.client_id, "note_id": note.id, "record_type": "case_note", "record_id": note.id}
            fixture.add("note", audience, agency_of[note.agency_id], note, values, {"note_id", "record_id"})
        for row, audience in files:
            values = {"client_id": row.client_id, "file_id": row.id, "record_type": "client_file", "record_id": row.id}
            fixture.add("file", audience, agency_of[row.agency_id], row, values, {"file_id", "record_id"})
        for plan, audience in plans:
            values = {"client_id": plan.client_id, "plan_id": plan.id}
            fixture.add("plan", audience, agency_of[plan.agency_id], plan, values, {"plan_id"})
            goal = plan.goals[0]
            fixture.add("goal", audience, agency_of[plan.agency_id], goal, {**values, "goal_id": goal.id}, {"goal_id"})
        for client, audience in ((person, "DEMO-AGENCY"), (stranger, "OTHER-AGENCY")):  # a client's portal upload
            row = make_portal_upload(folder, client, audience, mark)
            fixture.add(
                "upload", audience, agency_of[row.agency_id], row, {"client_id": client.id, "upload_id": row.id}, {"upload_id"}
            )
            add_employment_targets(fixture, client, audience, agency_of[client.agency_id], mark)
        for client, audience in ((person, "DEMO-AGENCY"), (stranger, "OTHER-AGENCY")):  # a resume of the client's
            row = make_document(client, audience, mark)
            values = {"client_id": client.id, "document_id": row.id}
            fixture.add("document", audience, agency_of[row.agency_id], row, values, {"document_id"})
        db.session.commit()  # the portal uploads and the documents
        fixture.context = {
            "DEMO": {"client_id": person.id, "session_id": open_session.id},
            "OTHER": {"client_id": stranger.id, "session_id": other_session.id},
        }
        fixture.ids = {"client": person.id, "open_session": open_session.id, "agencies": {"DEMO": demo.id, "OTHER": other.id}}
        fixture.ids["merges"] = {code: merge.id for code, merge in merges.items()}
        for code, merge in merges.items():  # undone by none of the sweep's posts (checked after it)
            fixture.add("merge", f"{code}-AGENCY" if code == "DEMO" else "OTHER-AGENCY", code, merge, {}, ())
    return fixture


def state(app, fixture, folder):
    """What must not change when a role is refused: every fixture record's content, its soft
    deletion, its program and Private flag, its client's links; the stored files' bytes."""
    snapshot = {}
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        for target in fixture.targets:
            if target.kind == "staff":  # signing in touches the staff row itself
                continue
            row = db.session.get(target.model, target.id)
            columns = [c.key for c in target.model.__table__.columns if c.key not in ("updated_at", "version")]
            snapshot[str(target)] = {name: getattr(row, name, None) for name in columns} if row else None
        for client_id in (c["client_id"] for c in fixture.context.values()):
            client = db.session.get(Client, client_id)
            snapshot[f"client {client_id} links"] = (
                sorted(a.staff_id for a in client.assignments),
                sorted((f.id, f.cleared_at) for f in client.safety_flags),
                sorted(c.name for c in client.emergency_contacts),
                client.is_archived,
                client.consent_withdrawn_at,
            )
        for target in fixture.targets:
            if target.model is ServiceSession:
                session = db.session.get(ServiceSession, target.id)
                links = session and (sorted(a.client_id for a in session.attendees), sorted(f.id for f in session.forms))
                snapshot[f"{target} links"] = links
        stored = db.session.scalars(select(ClientFile.stored_name)).all()
        snapshot["files on disk"] = {
            name: (Path(folder) / name).read_bytes() for name in stored if (Path(folder) / name).exists()
        }
    return snapshot
