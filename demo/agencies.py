"""The demo agencies, their sites, funders, programs and staff."""

from sqlalchemy import select

from extensions import db
from models import Agency, Funder, Program, Site, Staff

DEMO_PASSWORD = "demo-password"

PRIVACY_EN = (
    "Demo Settlement Agency collects your personal information to provide settlement services "
    "and to report anonymous statistics to our funders. Your information is shared only within "
    "this agency, unless you agree to a referral. You may ask to see or correct it at any time."
)
PRIVACY_FR = (
    "Demo Settlement Agency recueille vos renseignements personnels pour offrir des services "
    "d'établissement et transmettre des statistiques anonymes à ses bailleurs de fonds. Vos "
    "renseignements ne sont partagés qu'au sein de l'organisme, sauf si vous acceptez un aiguillage. "
    "Vous pouvez demander à les consulter ou à les corriger en tout temps."
)

PRIVACY = {"privacy_statement_en": PRIVACY_EN, "privacy_statement_fr": PRIVACY_FR}

AGENCIES = {
    "DEMO": {
        "name": "Demo Settlement Agency",
        "address": "120 Queen St W, Toronto ON  M5H 2N2",
        "phone": "+1 416-555-0100",
        "sites": [
            ("Head Office", "non_school", "120 Queen St W", "Toronto", "M5H 2N2"),
            ("Scarborough Hub", "non_school", "2100 Ellesmere Rd", "Toronto", "M1H 3B3"),
            ("Central Technical School", "school", "725 Bathurst St", "Toronto", "M5S 2R5"),
            ("Westview Secondary", "school", "755 Oakdale Rd", "Toronto", "M3N 1W7"),
            ("Airport Reception Centre", "reception_centre", "6301 Silver Dart Dr", "Mississauga", "L5P 1B2"),
        ],
        "funders": [
            ("Immigration, Refugees and Citizenship Canada", "IRCC"),
            ("Ontario Ministry of Labour, Immigration, Training and Skills Development", "MLITSD"),
            ("United Way Greater Toronto", "UW"),
        ],
        "programs": [
            ("Settlement Services", "IRCC", "Needs assessments, information and orientation, referrals."),
            ("Employment Services", "MLITSD", "Job search, mentoring and job placement."),
            ("Settlement Workers in Schools", "IRCC", "Settlement support for families through schools."),
            ("Language Training", "IRCC", "LINC classes from CLB 1 to 8."),
        ],
        "staff": [
            ("admin@demo.org", "Amira", "Haddad", "agency_admin", "Executive Director", "Head Office", None, "*"),
            (
                "coordinator@demo.org",
                "Carlos",
                "Mendes",
                "coordinator",
                "Program Coordinator",
                "Head Office",
                None,
                "Settlement Services|Employment Services",
            ),
            (
                "worker@demo.org",
                "Wei",
                "Zhang",
                "worker",
                "Settlement Counsellor",
                "Head Office",
                "coordinator@demo.org",
                "Settlement Services",
            ),
            (
                "worker2@demo.org",
                "Priya",
                "Raman",
                "worker",
                "Employment Specialist",
                "Scarborough Hub",
                "coordinator@demo.org",
                "Employment Services",
            ),
            (
                "worker3@demo.org",
                "Lucas",
                "Martin",
                "worker",
                "Settlement Counsellor",
                "Head Office",
                "coordinator@demo.org",
                "Settlement Services",
            ),
        ],
    },
    "OTHER": {
        "name": "Other Agency",
        "address": "1 Main St, Ottawa ON  K1P 1J1",
        "phone": "+1 613-555-0100",
        "sites": [("Other Agency Office", "non_school", "1 Main St", "Ottawa", "K1P 1J1")],
        "funders": [("Immigration, Refugees and Citizenship Canada", "IRCC")],
        "programs": [("Newcomer Services", "IRCC", "Settlement services in Ottawa.")],
        "staff": [("admin@other.org", "Olivia", "Tremblay", "agency_admin", "Manager", "Other Agency Office", None, "*")],
    },
}


def get_or_create(model, defaults=None, **keys):
    """The row matching ``keys``, created with ``defaults`` when missing."""
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def seed_agency(code, spec):
    agency = get_or_create(Agency, {key: spec[key] for key in ("name", "address", "phone")} | PRIVACY, code=code)
    sites = {
        name: get_or_create(
            Site, {"kind": kind, "address": address, "city": city, "postal_code": postal}, agency_id=agency.id, name=name
        )
        for name, kind, address, city, postal in spec["sites"]
    }
    funders = {code: get_or_create(Funder, {"name": name}, agency_id=agency.id, code=code) for name, code in spec["funders"]}
    programs = {
        name: get_or_create(Program, {"funder": funders[funder], "description": text}, agency_id=agency.id, name=name)
        for name, funder, text in spec["programs"]
    }
    for email, first, last, role, title, site, manager, member_of in spec["staff"]:
        seed_staff(agency, email, first, last, role, title, sites[site], manager, member_of, programs)


def seed_staff(agency, email, first, last, role, title, site, manager_email, member_of, programs):
    staff = db.session.scalar(select(Staff).filter_by(email=email))
    if staff is not None:
        return staff
    staff = Staff(
        agency_id=agency.id,
        email=email,
        first_name=first,
        last_name=last,
        role=role,
        title=title,
        phone="+1 416-555-0100",
        default_site=site,
    )
    staff.manager = db.session.scalar(select(Staff).filter_by(email=manager_email)) if manager_email else None
    staff.programs = list(programs.values()) if member_of == "*" else [programs[name] for name in member_of.split("|")]
    staff.set_password(DEMO_PASSWORD)
    db.session.add(staff)
    db.session.flush()
    return staff


def seed_agencies():
    for code, spec in AGENCIES.items():
        seed_agency(code, spec)
    db.session.commit()
