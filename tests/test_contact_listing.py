"""The contact list report's addresses (read as plain columns, labels remembered per list) are
the profile's own ``address()``, in either language."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Agency, Client, tenant_scope
from models.client_profile import address
from reports.catalogue import contact_listing

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize("locale", ["en", "fr_CA"])
def test_the_contact_list_writes_each_address_as_the_profile_does(app, locale):
    with app.app_context():
        with tenant_scope(ALL_AGENCIES):
            agency = db.session.scalar(select(Agency.id).where(Agency.code == "DEMO"))
        with tenant_scope(agency):
            clients = db.session.scalars(select(Client).where(Client.kind == "named").order_by(Client.id).limit(5)).all()
            first = clients[0]
            first.street_no, first.street_name, first.unit, first.city = "12", "Queen", "4B", "Toronto"
            first.street_type, first.street_direction, first.province = "Street", "N", "ON"
            db.session.flush()
            with app.test_request_context(), force_locale(locale):
                names, listed = contact_listing([c.id for c in clients])
                for client in clients:
                    assert listed[client.id][3] == address(client)
                    assert names[client.id] == f"{client.last_name}, {client.first_name}"
                expected = ("App. 4B" if locale == "fr_CA" else "Unit 4B", "Rue" if locale == "fr_CA" else "Street")
                assert all(part in listed[first.id][3] for part in expected), listed[first.id][3]
            db.session.rollback()
