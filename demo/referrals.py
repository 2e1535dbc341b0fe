"""Demo referral partners, referrals in every status, tasks due and overdue, and a trusted
partnership between the demo agency and Other Agency with one shared referral. Idempotent: an
agency that already has partners is left as it is. Runs under ``ALL_AGENCIES`` (``agency_id``
set by hand)."""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models import Agency, Client, ConsentRecord, Partnership, Program, Referral, ReferralPartner, SharedReferral, Staff, Task
from models.base import utcnow
from models.partnerships import CONSENT_KIND, shared_values
from models.principal import tenant_scope

PARTNERS = {
    "DEMO": [
        ("Community Food Bank", "Food hampers, clothing bank", ["food_cloth_material_needs_ind"], "English, French, Arabic"),
        ("Maple Housing Help", "Housing search, tenant rights", ["housing_accommodation_needs_ind"], "English, Spanish"),
        ("East End Legal Clinic", "Free legal information", ["legal_info_services_needs_ind"], "English, French"),
        ("Newcomer Health Centre", "Primary care, mental health", ["hlth_mental_wellness_needs_ind"], "English, Farsi, Tigrinya"),
    ],
    "OTHER": [("Other City Food Bank", "Food hampers", ["food_cloth_material_needs_ind"], "English")],
}
# (need, partner index or program name, status, days ago, follow-up in days, outcome)
REFERRALS = [
    ("food_cloth_material_needs_ind", 0, "made", 2, 5, ""),
    ("housing_accommodation_needs_ind", 1, "accepted", 10, -1, ""),
    ("legal_info_services_needs_ind", 2, "attended", 30, -20, "Met a lawyer about the lease."),
    ("hlth_mental_wellness_needs_ind", 3, "declined", 20, None, "Client prefers a clinic nearer home."),
    ("food_cloth_material_needs_ind", 0, "no_show", 15, -8, "Did not come to the pick-up."),
    ("employment_related_needs_ind", "Employment Services", "closed", 40, -30, "Joined the job club."),
]
# (title, days from today, priority, for: "self", "client" or another staff email)
TASKS = [
    ("Call the client about the housing appointment", -3, "high", "self"),
    ("Check the food bank referral", 0, "normal", "self"),
    ("Bring the lease to the legal clinic", 4, "normal", "client"),
    ("Prepare the employment referral letter", 2, "low", "worker2@demo.org"),
]


def one(model, *where):
    return db.session.scalar(select(model).where(*where))


def seed_partners(agency, specs):
    partners = []
    for name, services, needs, languages in specs:
        partner = ReferralPartner(agency_id=agency.id, name=name, services=services, need_areas=needs, languages=languages)
        partner.phone, partner.address = "416-555-0199", "100 Main Street"
        db.session.add(partner)
        partners.append(partner)
    return partners


def seed_referrals(agency, partners, worker, clients, specs):
    referrals = []
    for index, (need, target, status, ago, follow, outcome) in enumerate(specs):
        client = clients[index % len(clients)]
        made = date.today() - timedelta(days=ago)
        referral = Referral(agency_id=agency.id, client_id=client.id, referring_staff_id=worker.id, need_area=need, status=status)
        referral.referral_date, referral.outcome = made, outcome
        referral.follow_up_date = None if follow is None else max(made, date.today() + timedelta(days=follow))
        if isinstance(target, int):
            referral.partner = partners[target % len(partners)]
        else:
            referral.to_program = one(Program, Program.agency_id == agency.id, Program.name == target)
        db.session.add(referral)
        referrals.append(referral)
    return referrals


def seed_tasks(agency, creator, clients, referral):
    for index, (title, days, priority, assignee) in enumerate(TASKS):
        client = clients[index % len(clients)]
        task = Task(agency_id=agency.id, title=title, created_by_id=creator.id, client_id=client.id, priority=priority)
        task.due_date, task.referral = date.today() + timedelta(days=days), referral
        if assignee == "client":
            task.assignee_kind = "client"
        else:
            task.assigned_to_id = creator.id if assignee == "self" else one(Staff, Staff.email == assignee).id
        db.session.add(task)


def seed_partnership(demo, other, worker, client):
    """DEMO invites OTHER, OTHER accepts (acting as OTHER: its own audit trail), then one referral
    of a consenting client is shared."""
    row = Partnership(inviting_agency_id=demo.id, invited_agency_id=other.id, status="invited")
    row.inviting_agency_name, row.invited_agency_name, row.invited_by_name = demo.name, other.name, "Amira Haddad"
    partner = ReferralPartner(agency_id=demo.id, name=other.name, kind="agency", partnership=row)
    db.session.add_all([row, partner])
    db.session.flush()
    with tenant_scope(other.id):
        row.status, row.answered_by_name, row.answered_at = "accepted", "Olivia Tremblay", utcnow()
        db.session.add(ReferralPartner(agency_id=other.id, name=demo.name, kind="agency", partnership=row))
        db.session.flush()
    consent = ConsentRecord(agency_id=demo.id, client_id=client.id, kind=CONSENT_KIND, given=True, staff_id=worker.id)
    referral = Referral(agency_id=demo.id, client_id=client.id, referring_staff_id=worker.id, partner=partner)
    referral.need_area, referral.follow_up_date = "employment_related_needs_ind", date.today() + timedelta(days=7)
    db.session.add_all([consent, referral])
    db.session.flush()
    db.session.refresh(client)
    shared = SharedReferral(partnership=row, from_agency_id=demo.id, to_agency_id=other.id, referral=referral)
    shared.consent_record_id, shared.consent_summary = (
        consent.id,
        f"Share with trusted partner agencies: {date.today()} (Wei Zhang)",
    )
    shared.shared_fields, shared.need_area = shared_values(client, ("name", "phone", "language")), referral.need_area
    shared.from_agency_name, shared.referred_by_name = demo.name, worker.name
    shared.message = "Looking for an employment counsellor who speaks Arabic."
    db.session.add(shared)


def seed_referrals_demo():
    """Partners, referrals, tasks and the DEMO-OTHER partnership, unless already there."""
    demo, other = (one(Agency, Agency.code == code) for code in ("DEMO", "OTHER"))
    if one(ReferralPartner, ReferralPartner.agency_id == demo.id) is not None:
        return
    for agency, creator_email in ((demo, "worker@demo.org"), (other, "admin@other.org")):
        creator = one(Staff, Staff.email == creator_email)
        clients = db.session.scalars(
            select(Client).where(Client.agency_id == agency.id, Client.kind == "named").order_by(Client.id).limit(6)
        ).all()
        partners = seed_partners(agency, PARTNERS[agency.code])
        specs = REFERRALS if agency is demo else REFERRALS[:2]
        referrals = seed_referrals(agency, partners, creator, clients if agency is demo else clients[:1], specs)
        seed_tasks(agency, creator, clients if agency is demo else clients[:1], referrals[0])
    featured = one(Client, Client.agency_id == demo.id, Client.first_name == "Samira") or one(
        Client, Client.agency_id == demo.id, Client.kind == "named"
    )
    seed_partnership(demo, other, one(Staff, Staff.email == "worker@demo.org"), featured)
    db.session.commit()
