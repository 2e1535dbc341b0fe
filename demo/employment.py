"""The portal demo clients' training (recommended by their worker and found by them, in several
statuses) and Employment Action Plans with CaMS numbers. Called by ``demo/portal.py`` when it
creates the two clients; the caller commits."""

from datetime import date, timedelta
from decimal import Decimal

from extensions import db
from models.cams import set_cams
from models.eap import add_part, save_plan
from models.principal import Principal, acting_as
from models.training import add_training

TODAY = date.today()
# email: (CaMS number, [(added by, title, provider, kind, cost, online, status, percent)])
TRAINING = {
    "client@demo.org": (
        "10012345",
        (
            ("staff", "QuickBooks Online certification", "Intuit", "certificate", "0", True, "in_progress", 40),
            ("staff", "Canadian workplace communication", "Toronto Public Library", "workshop", "0", False, "recommended", 0),
            ("client", "Payroll fundamentals", "Humber Polytechnic", "course", "450", False, "enrolled", 0),
            ("client", "Excel for bookkeepers", "Coursera", "course", "59", True, "completed", 100),
        ),
    ),
    "client2@demo.org": (
        "10067890",
        (
            ("staff", "Forklift operator refresher", "Northern Safety Training", "certificate", "180", False, "interested", 0),
            ("staff", "Standard First Aid with CPR C", "Red Cross", "certificate", "120", False, "dropped", 0),
            ("client", "WHMIS 2015", "Workplace Safety North", "course", "0", True, "completed", 100),
        ),
    ),
}
# email: (case number, goal, sub-goals, items (description, responsible, days, status), outcomes (type, days ago, employer))
PLANS = {
    "client@demo.org": (
        "40012345",
        "Work as a bookkeeper in a small business within a year.",
        ("Have my accounting credentials assessed", "Get Canadian bookkeeping software experience"),
        (
            ("Send two applications a week", "Client", 14, "in_progress"),
            ("Book a mock interview", "Caseworker", 21, "not_started"),
        ),
        (("employed_part_time", 10, "Maple Grocers", "Cashier, 20 hours a week, while studying"),),
    ),
    "client2@demo.org": (
        "40067890",
        "Steady full-time work in warehousing.",
        ("Renew my forklift certificate",),
        (("Apply to three warehouses", "Client", 7, "completed"),),
        (("employed_full_time", 3, "Northern Freight", "Warehouse associate"),),
    ),
}


def seed_employment(client, staff):
    """Training and an Employment Action Plan for one portal demo client."""
    cams, trainings = TRAINING[client.email]
    set_cams(client, cams, staff)
    for side, title, provider, kind, cost, online, status, percent in trainings:
        values = {"title": title, "provider": provider, "kind": kind, "cost": Decimal(cost), "is_online": online}
        values |= {"starts_on": TODAY + timedelta(days=14), "ends_on": TODAY + timedelta(days=90)}
        values["location"] = "" if online else "Toronto"
        values["url"] = f"https://training.example/{title.lower().replace(' ', '-')}"
        if side == "staff":
            row = add_training(client, values, staff=staff)
            row.status, row.progress_percent = status, percent
            continue
        db.session.flush()
        with acting_as(Principal.portal_client(client)):  # found by the client: written as them
            row = add_training(client, values)
            row.status, row.progress_percent = status, percent
            db.session.flush()
    seed_plan(client, staff)


def seed_plan(client, staff):
    case, goal, sub_goals, items, outcomes = PLANS[client.email]
    values = {"case_number": case, "start_date": TODAY - timedelta(days=60), "status": "active"}
    plan = save_plan(client, values | {"caseworker": staff.name, "employment_goal": goal})
    for text in sub_goals:
        add_part(plan, "sub_goal", {"description": text})
    for text, responsible, days, status in items:
        item = {"description": text, "responsible": responsible, "target_date": TODAY + timedelta(days=days), "status": status}
        add_part(plan, "item", item)
    for kind, days, employer, notes in outcomes:
        add_part(
            plan, "outcome", {"kind": kind, "outcome_date": TODAY - timedelta(days=days), "employer": employer, "notes": notes}
        )
