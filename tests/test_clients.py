"""Client model rules: anonymous stays anonymous, registration date, optimistic locking."""

from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from extensions import db
from models import AnonymousClientError, Client, tenant_scope
from models.search_text import skeleton


@pytest.fixture
def agency(make):
    return make.agency()


def test_anonymous_client_can_never_become_named(app, make, agency):
    anonymous = make.client(agency, kind="anonymous", comments="walk-in")
    with app.app_context(), tenant_scope(agency.id):
        client = db.session.get(Client, anonymous.id)
        with pytest.raises(AnonymousClientError):
            client.kind = "named"


def test_anonymous_client_cannot_hold_identifying_data(app, make, agency):
    anonymous = make.client(agency, kind="anonymous")
    with app.app_context(), tenant_scope(agency.id):
        client = db.session.get(Client, anonymous.id)
        client.first_name = "Sneaky"
        with pytest.raises(AnonymousClientError):
            db.session.commit()


def test_the_database_refuses_it_too(app, make, agency):
    """Even a Core UPDATE that skips the model is stopped by the CHECK constraint."""
    anonymous = make.client(agency, kind="anonymous")
    with app.app_context(), tenant_scope(agency.id):
        with pytest.raises(IntegrityError):
            db.session.execute(
                update(Client.__table__)
                .where(Client.__table__.c.id == anonymous.id)
                .values(kind="named", first_name="Sneaky", last_name="Person")
            )
            db.session.commit()
        db.session.rollback()
        with pytest.raises(IntegrityError):
            db.session.execute(update(Client.__table__).where(Client.__table__.c.id == anonymous.id).values(phone="416-555-0100"))
            db.session.commit()


def test_anonymous_display_name(make, agency):
    assert make.client(agency, kind="anonymous").display_name == "Anonymous client"


def test_registration_date_is_set_at_creation_and_never_changes(app, make, agency):
    created = make.client(agency)
    assert created.registration_date == date.today()
    with app.app_context(), tenant_scope(agency.id):
        client = db.session.get(Client, created.id)
        with pytest.raises(ValueError):
            client.registration_date = date(2001, 1, 1)


def test_concurrent_writes_are_caught_by_the_version(app, make, agency):
    created = make.client(agency)
    with app.app_context(), tenant_scope(agency.id):
        client = db.session.get(Client, created.id)
        assert client.version == 1
        db.session.execute(update(Client.__table__).where(Client.__table__.c.id == created.id).values(version=2))
        client.comments = "lost update?"
        with pytest.raises(StaleDataError):
            db.session.commit()


def test_search_text_is_kept_up_to_date(app, make, agency):
    created = make.client(agency, first_name="José", last_name="Núñez", phone="(416) 555-0123")
    assert " jose " in created.search_text and " nunez " in created.search_text
    assert " 4165550123 " in created.search_text and created.phone_digits == "4165550123"
    anonymous = make.client(agency, kind="anonymous", comments="Met at the library")
    assert anonymous.search_text.strip() == "met at the library"


@pytest.mark.parametrize(
    "names",
    [
        ("Mohammed", "Muhammad", "Mohamad", "Mohamed", "محمد"),
        ("Yusuf", "Youssef", "Yousef"),
        ("Aleksandr", "Alexander"),
        ("Sergei", "Sergey", "Сергей"),
        ("Fatima", "Fatemeh"),
    ],
)
def test_transliterations_share_a_skeleton(names):
    assert len({skeleton(name) for name in names}) == 1
