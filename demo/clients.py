"""About 200 demo clients for the demo agency: many origins, families sharing a code, a few
near-duplicates (to see the registration warning) and some anonymous clients."""

import random
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from extensions import db
from models import Agency, Client, ClientAssignment, Site, Staff
from models.clients import new_family_code
from models.reference import choices

# origin: (country, first language, official language, female names, male names, family names)
ORIGINS = {
    "Syria": (
        "Syria",
        "Arabic",
        "English",
        ["Fatima", "Aisha", "Layla", "Rania", "Huda", "Nour"],
        ["Mohammed", "Ahmad", "Omar", "Khaled", "Youssef", "Hassan"],
        ["Al-Hassan", "Haddad", "Khoury", "Darwish", "Nasser", "Aziz"],
    ),
    "Afghanistan": (
        "Afghanistan",
        "Dari",
        "English",
        ["Zahra", "Mariam", "Farzana", "Parwana", "Shabnam"],
        ["Ahmad", "Farid", "Hamid", "Naveed", "Wahid"],
        ["Popal", "Rahimi", "Sultani", "Hashimi", "Karimi"],
    ),
    "Ukraine": (
        "Ukraine",
        "Ukranoan",
        "English",
        ["Olena", "Iryna", "Oksana", "Kateryna", "Yulia"],
        ["Oleksandr", "Dmytro", "Andriy", "Serhiy", "Mykola"],
        ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk"],
    ),
    "China": (
        "China",
        "Mandarin",
        "English",
        ["Xiu Ying", "Mei", "Li Na", "Jing", "Hui"],
        ["Wei", "Jun", "Hao", "Lei", "Ming"],
        ["Wang", "Li", "Zhang", "Liu", "Chen"],
    ),
    "India": (
        "India",
        "Punjabi",
        "English",
        ["Harpreet", "Simran", "Priya", "Manpreet", "Anjali"],
        ["Gurpreet", "Rajesh", "Arjun", "Harjit", "Vikram"],
        ["Singh", "Kaur", "Sharma", "Gill", "Patel"],
    ),
    "Philippines": (
        "Philippines",
        "Tagalog",
        "English",
        ["Maria", "Jocelyn", "Kristine", "Rowena"],
        ["Jose", "Mark", "Rodel", "Jerome"],
        ["Santos", "Reyes", "Cruz", "Bautista", "Garcia"],
    ),
    "Somalia": (
        "Somalia",
        "Somali",
        "English",
        ["Hodan", "Amina", "Sahra", "Ifrah"],
        ["Abdi", "Mahad", "Abdirahman", "Liban"],
        ["Hassan", "Warsame", "Farah", "Yusuf", "Mohamud"],
    ),
    "Eritrea": (
        "Eritrea",
        "Tigrigna",
        "English",
        ["Senait", "Helen", "Mebrat", "Saba"],
        ["Yonas", "Dawit", "Tesfay", "Samuel"],
        ["Tesfamariam", "Gebremedhin", "Haile", "Berhane"],
    ),
    "Colombia": (
        "Colombia",
        "Spanish",
        "English",
        ["María José", "Valentina", "Camila", "Lucía"],
        ["José", "Andrés", "Santiago", "Julián"],
        ["Rodríguez", "Gómez", "Martínez", "López", "Hernández"],
    ),
    "Iran": (
        "Iran, Islamic Republic of",
        "Farsi",
        "English",
        ["Fatemeh", "Maryam", "Sara", "Shirin"],
        ["Reza", "Ali", "Hossein", "Mehdi"],
        ["Ahmadi", "Hosseini", "Mohammadi", "Rezaei", "Karimi"],
    ),
    "Viet Nam": (
        "Viet Nam",
        "Vietnamese",
        "English",
        ["Thi Lan", "Ngoc Anh", "Thu Trang"],
        ["Van Minh", "Duc Anh", "Quoc Huy"],
        ["Nguyen", "Tran", "Le", "Pham"],
    ),
    "Haiti": (
        "Haiti",
        "Creole",
        "French",
        ["Marie-Claude", "Nadège", "Fabienne"],
        ["Jean-Baptiste", "Wilson", "Frantz"],
        ["Joseph", "Pierre", "Louis", "Jean-Louis"],
    ),
    "Congo": (
        "Congo, The Democratic Republic of the",
        "Lingala",
        "French",
        ["Grâce", "Esther", "Chantal"],
        ["Patrick", "Emmanuel", "Christian"],
        ["Mbuyi", "Kabila", "Tshibangu", "Ilunga"],
    ),
}
STREETS = [
    ("Dundas", "Street"),
    ("Bloor", "Street"),
    ("Jane", "Street"),
    ("Lawrence", "Avenue"),
    ("Kennedy", "Road"),
    ("Weston", "Road"),
    ("Victoria Park", "Avenue"),
    ("Eglinton", "Avenue"),
    ("Markham", "Road"),
    ("Finch", "Avenue"),
]
POSTAL = ["M6H 1V9", "M9N 2L6", "M1H 3B3", "M4C 1M4", "M3N 1W7", "M1E 4P7", "M6K 2T5", "M5V 3L9", "M9V 4B3", "M1P 2J1"]
STATUSES = [
    "Permanent Resident - Government-Assisted Refugee",
    "Permanent Resident - Privately Sponsored Refugee",
    "Permanent Resident - Economic Class",
    "Permanent Resident - Family Class",
    "Refugee Claimant",
    "Convention Refugee / Protected Person (not yet PR)",
    "Temporary Foreign Worker",
    "International Student",
]
IRCC_TYPE = "FOSS/GCMS Client ID"
TARGET = 200


def demo_context(agency):
    sites = db.session.scalars(select(Site).where(Site.agency_id == agency.id)).all()
    staff = db.session.scalars(select(Staff).where(Staff.agency_id == agency.id).order_by(Staff.role.desc())).all()
    front_line = [s for s in staff if s.role != "agency_admin"]
    return sites, front_line or staff


def make_person(rng, origin, agency, sites, staff, today, **shared):
    country, language, official, women, men, families = ORIGINS[origin]
    gender = rng.choice(["Female", "Male"])
    arrival = shared.get("arrival_date") or today - timedelta(days=rng.randint(20, 2000))
    dob = shared.pop("date_of_birth", None) or date(rng.randint(1955, 2008), rng.randint(1, 12), rng.randint(1, 28))
    street, street_type = rng.choice(STREETS)
    values = {
        "agency_id": agency.id,
        "kind": "named",
        "first_name": rng.choice(women if gender == "Female" else men),
        "last_name": rng.choice(families),
        "gender": gender,
        "date_of_birth": dob,
        "marital_status": rng.choice(["Single", "Married"]),
        "phone": f"+1 416-555-{rng.randint(1000, 9999)}",
        "has_email": rng.random() < 0.6,
        "street_no": str(rng.randint(10, 3999)),
        "street_name": street,
        "street_type": street_type,
        "city": "Toronto",
        "province": "Ontario",
        "postal_code": rng.choice(POSTAL),
        "official_language": official,
        "first_language": language,
        "other_languages": ["English"] if rng.random() < 0.4 else [],
        "country_of_birth": country,
        "citizenship": country,
        "immigration_status": rng.choice(STATUSES),
        "arrival_date": arrival,
        "arrival_year": arrival.year,
        "ircc_id_type": IRCC_TYPE,
        "ircc_id_value": str(rng.randint(10**7, 10**8 - 1)),
        "registration_date": max(arrival, today - timedelta(days=rng.randint(0, 700))),
        "registration_site_id": rng.choice(sites).id,
        "privacy_consent_at": None,
        "privacy_consent_version": 1,
        "research_consent": rng.random() < 0.5,
        "created_by_id": rng.choice(staff).id,
    }
    values.update(shared)
    values["email"] = (
        f"{values['first_name'].split()[0].lower()}.{rng.randint(10, 999)}@example.com" if values["has_email"] else None
    )
    client = Client(**values)
    client.privacy_consent_at = datetime_at(client.registration_date)
    client.privacy_consent_staff_id = client.created_by_id
    client.assignments = [ClientAssignment(agency_id=agency.id, staff_id=rng.choice(staff).id)]
    return client


def datetime_at(day):
    return datetime(day.year, day.month, day.day, 10, 0)


def family(rng, origin, agency, sites, staff, today, size):
    """Members sharing a family code, last name, address, phone and arrival."""
    head = make_person(rng, origin, agency, sites, staff, today, family_code=new_family_code())
    shared = {
        k: getattr(head, k)
        for k in (
            "last_name",
            "family_code",
            "arrival_date",
            "arrival_year",
            "street_no",
            "street_name",
            "street_type",
            "postal_code",
            "phone",
            "immigration_status",
            "official_language",
        )
    }
    return [head] + [make_person(rng, origin, agency, sites, staff, today, **shared) for _ in range(size - 1)]


def near_duplicates(rng, agency, sites, staff, today):
    """The same people spelled differently: registering one of them again shows the warning."""
    pairs = [
        ("Mohammed", "Al-Hassan", "Muhammad", "Al Hassan"),
        ("Yousef", "Haddad", "Youssef", "Hadad"),
        ("Oleksandr", "Kovalenko", "Aleksandr", "Kovalenko"),
    ]
    clients = []
    for first, last, other_first, other_last in pairs:
        dob = date(rng.randint(1970, 1995), rng.randint(1, 12), rng.randint(1, 28))
        origin = "Ukraine" if first == "Oleksandr" else "Syria"
        clients.append(make_person(rng, origin, agency, sites, staff, today, first_name=first, last_name=last, date_of_birth=dob))
        clients.append(
            make_person(
                rng,
                origin,
                agency,
                sites,
                staff,
                today,
                first_name=other_first,
                last_name=other_last,
                date_of_birth=dob,
                comments="Possible duplicate of an earlier profile: check before merging.",
            )
        )
    return clients


def anonymous(rng, agency, sites, staff, today, count):
    notes = [
        "Walk-in at the library info session",
        "Drop-in, asked about housing",
        "Came with a friend, wanted ESL info",
        "Phone enquiry about work permits",
        "Attended a school orientation night",
    ]
    return [
        Client(
            agency_id=agency.id,
            kind="anonymous",
            gender=rng.choice(choices("genders"))[0],
            immigration_status="Unknown",
            postal_code=rng.choice(POSTAL),
            registration_date=today - timedelta(days=rng.randint(0, 300)),
            registration_site_id=rng.choice(sites).id,
            comments=rng.choice(notes),
            created_by_id=rng.choice(staff).id,
        )
        for _ in range(count)
    ]


def seed_clients(agency_code="DEMO", target=TARGET, seed=7):
    """Add demo clients to an agency that has none yet (idempotent)."""
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    if db.session.scalar(select(func.count(Client.id)).where(Client.agency_id == agency.id)):
        return
    rng, today = random.Random(seed), date.today()
    sites, staff = demo_context(agency)
    anonymous_clients = anonymous(rng, agency, sites, staff, today, max(1, target // 16))
    named = near_duplicates(rng, agency, sites, staff, today)
    origins = sorted(ORIGINS)
    while len(named) < target - len(anonymous_clients):
        origin = rng.choice(origins)
        size = rng.choice([1, 1, 1, 2, 3, 4])
        named += (
            family(rng, origin, agency, sites, staff, today, size)
            if size > 1
            else [make_person(rng, origin, agency, sites, staff, today)]
        )
    db.session.add_all(named[: target - len(anonymous_clients)] + anonymous_clients)
    db.session.commit()
