"""Shared set-up for the referral, task and partnership tests: two agencies with an admin, a
worker and a client each, acting as one of them."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from extensions import db
from models import ALL_AGENCIES, Client, Principal, acting_as, tenant_scope
from models.privacy import record_consent
from models.referrals import Referral, ReferralPartner

HOUSING = "housing_accommodation_needs_ind"


@dataclass
class Side:
    agency: object
    admin: object
    worker: object
    client: object


def side(make, name, code, consent=True):
    agency = make.agency(name=name, code=code)
    admin = make.staff(agency, role="agency_admin", email=f"admin@{code.lower()}.test")
    worker = make.staff(agency, email=f"worker@{code.lower()}.test")
    client = make.client(agency, first_name=f"Amal{code}", last_name="Nouri", phone="613-555-0100", email="amal@example.org")
    if consent:
        with tenant_scope(ALL_AGENCIES):
            row = db.session.get(Client, client.id)
            record_consent(row, "partner_sharing", True, worker.id).agency_id = agency.id
            db.session.commit()
    return Side(agency, admin, worker, client)


@contextmanager
def as_staff(staff):
    """Act as ``staff`` in a fresh session (as a request would: nothing from the identity map)."""
    db.session.remove()
    with acting_as(Principal.staff(staff)):
        yield
        db.session.rollback()
    db.session.remove()


def make_referral(staff, client_id, **values):
    """A committed referral by ``staff`` to a new external partner (or ``partner=``)."""
    with as_staff(staff):
        partner = values.pop("partner", None) or ReferralPartner(name=f"Food bank {client_id}-{date.today()}")
        referral = Referral(client_id=client_id, referring_staff_id=staff.id, partner=partner, need_area=HOUSING, **values)
        db.session.add(referral)
        db.session.commit()
        return referral.id
