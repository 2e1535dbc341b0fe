"""Client factories and a population of clients for search tests: names from many
languages, anonymous and archived clients, and a second agency."""

from datetime import date

from sqlalchemy import select

from extensions import db
from models import Client, ClientAssignment, Site, Staff, tenant_scope

SITE = "Scarborough Hub"

# (first name, last name, extra fields): the searched agency's named clients.
NAMED = [
    (
        "Mohammed",
        "Haddad",
        {
            "phone": "(416) 555-0123",
            "date_of_birth": date(1985, 3, 14),
            "gender": "Male",
            "first_language": "Arabic",
            "immigration_status": "Refugee Claimant",
        },
    ),
    ("Muhammad", "Ali", {"gender": "Male", "first_language": "Urdu"}),
    ("Mohamad", "Said", {"gender": "Male"}),
    (
        "Amira",
        "Haddad",
        {
            "email": "Amira.Haddad@Example.org",
            "gender": "Female",
            "date_of_birth": date(1990, 7, 1),
            "first_language": "Arabic",
            "other_languages": ["English", "French"],
        },
    ),
    ("Fatima", "Zahra", {"gender": "Female", "date_of_birth": date(1979, 11, 30)}),
    ("Yusuf", "Abdi", {"first_language": "Somali"}),
    ("Youssef", "Benali", {}),
    ("Aleksandr", "Kovalenko", {"first_language": "Russian"}),
    ("Sergey", "Petrenko", {}),
    ("José", "García", {"first_language": "Spanish"}),
    ("François", "Lefèvre", {"first_language": "French"}),
    ("Wei", "Li", {"first_language": "Mandarin"}),
    ("Lina", "Mansour", {}),
    ("Wei", "Wang", {}),
    ("Văn An", "Nguyễn", {"first_language": "Vietnamese"}),
    ("Thị Mai", "Trần", {}),
    ("Reza", "Hosseini", {"first_language": "Farsi (Persian)", "comments": "Prefers a Dari interpreter"}),
    ("Zahra", "Ahmadi", {"first_language": "Dari"}),
    ("Hodan", "Warsame", {"first_language": "Somali", "family_code": "F-7KQ2MX"}),
    ("Abdirahman", "Farah", {"family_code": "F-7KQ2MX"}),
    ("Tesfay", "Gebremedhin", {"ircc_id_value": "87654321"}),
    ("Selam", "Haile", {}),
    ("Olena", "Shevchenko", {}),
    ("Dmytro", "Bondarenko", {}),
    ("Hélène", "Côté", {}),
    ("Jean-Pierre", "Gagnon", {}),
    ("María José", "Rodríguez", {}),
    ("Juan Carlos", "Hernández", {}),
    ("Priyanka", "Sharma", {"phone": "+1 647 555 0199"}),
    ("Arjun", "Patel", {}),
    ("Ngozi", "Okafor", {}),
    ("Chukwuemeka", "Eze", {}),
    ("Ayşe", "Yılmaz", {}),
    ("Mehmet", "Öztürk", {}),
    ("Soo-jin", "Kim", {}),
    ("Min-jun", "Park", {}),
    ("João", "Pereira", {}),
    ("Kwame", "Mensah", {}),
    ("Zoë", "Müller", {}),
    ("Łukasz", "Nowak", {}),
    ("Sofía", "Ramírez", {"other_languages": ["La langue des signes québécoise (LSQ)"]}),
    ("Omar", "Khalil", {}),
    ("Layla", "Nasser", {}),
    ("Ahmad", "Rahimi", {}),
    ("Archie", "Ventura", {"is_archived": True, "comments": "Moved to Calgary"}),
    ("Oleksandr", "Melnyk", {"first_language": "Ukrainian"}),
    ("Ali", "Karimi", {"first_language": "Farsi (Persian)"}),
    ("Hasan", "Nouri", {}),
    ("Sara", "Hassani", {}),
    ("Narges", "Alizadeh", {}),
    ("مریم", "حسینی", {"first_language": "Farsi (Persian)"}),
    ("Наталія", "Ткаченко", {"first_language": "Ukrainian"}),
]
ANONYMOUS_COMMENTS = "Walk-in at the library drop-in, asked about evening English classes"
OTHER_AGENCY = [("Zebulon", "Quartz", {"phone": "613-555-0188"}), ("Mohammed", "Haddad", {"phone": "613-555-0123"})]


def add_clients(app, agency, specs):
    """Create named clients in ``agency``; returns ``{display name: id}``."""
    with app.app_context(), tenant_scope(agency.id):
        clients = [Client(kind="named", first_name=first, last_name=last, **extra) for first, last, extra in specs]
        db.session.add_all(clients)
        db.session.commit()
        return {client.display_name: client.id for client in clients}


def add_anonymous(app, agency, comments):
    with app.app_context(), tenant_scope(agency.id):
        client = Client(kind="anonymous", comments=comments)
        db.session.add(client)
        db.session.commit()
        return client.id


def assign(app, agency, client_id, staff_email, site_name):
    """Give a client a registration site and an assigned worker of its agency."""
    with app.app_context(), tenant_scope(agency.id):
        client = db.session.get(Client, client_id)
        client.registration_site = db.session.scalar(select(Site).filter_by(name=site_name))
        staff = db.session.scalar(select(Staff).filter_by(email=staff_email))
        client.assignments.append(ClientAssignment(staff_id=staff.id))
        db.session.commit()


STAFF = [
    ("worker@find.org", "Wei", "Zhang", "worker"),
    ("worker2@find.org", "Priya", "Raman", "worker"),
    ("coordinator@find.org", "Carlos", "Mendes", "coordinator"),
    ("admin@find.org", "Amina", "Diallo", "agency_admin"),
]


def populate(app, make):
    """One agency's named, anonymous and archived clients, its sites and staff, and another
    agency's clients; returns ``(agency, other agency, ids)`` (``ids["other"]``: the other's)."""
    agency, other = make.agency(name="Find Agency"), make.agency(name="Other Agency")
    for name in ("Head Office", SITE):
        make.site(agency, name=name)
    make.site(other, name="Other Agency Office")
    for email, first, last, role in STAFF:
        make.staff(agency, email=email, first_name=first, last_name=last, role=role)
    make.staff(other, email="admin@other.org", first_name="Olivia", last_name="Tremblay", role="agency_admin")
    ids = add_clients(app, agency, NAMED)
    ids["anonymous"] = add_anonymous(app, agency, ANONYMOUS_COMMENTS)
    ids["other"] = add_clients(app, other, OTHER_AGENCY)
    assign(app, agency, ids["Mohammed Haddad"], "worker2@find.org", SITE)
    assign(app, agency, ids["Amira Haddad"], "worker@find.org", "Head Office")
    return agency, other, ids
