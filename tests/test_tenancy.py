"""The central tenant scope: every ORM path sees the current agency only, or nothing."""

import pytest
from sqlalchemy import delete, select, update

from extensions import db
from models import ALL_AGENCIES, Agency, Program, Site, Staff, TenantViolation, tenant_scope


@pytest.fixture
def two_agencies(make):
    a, b = make.agency(), make.agency()
    sites = {a.id: make.site(a, name="Alpha site"), b.id: make.site(b, name="Beta site")}
    return a, b, sites


def site_names():
    return sorted(db.session.scalars(select(Site.name)))


def test_no_agency_context_sees_nothing(app, two_agencies):
    with app.app_context():
        assert site_names() == []
        assert db.session.scalars(select(Agency)).all() == []


def test_each_agency_sees_only_its_rows_and_the_scope_is_not_cached(app, two_agencies):
    a, b, _ = two_agencies
    with app.app_context():
        for _ in range(2):  # alternate to catch a criterion cached with the first value
            with tenant_scope(a.id):
                assert site_names() == ["Alpha site"]
                assert [x.id for x in db.session.scalars(select(Agency))] == [a.id]
            with tenant_scope(b.id):
                assert site_names() == ["Beta site"]


def test_get_by_primary_key_of_another_agency_is_none(app, two_agencies):
    a, b, sites = two_agencies
    with app.app_context(), tenant_scope(a.id):
        assert db.session.get(Site, sites[b.id].id) is None
        assert db.session.get(Site, sites[a.id].id).name == "Alpha site"
        assert Site.query.filter_by(id=sites[b.id].id).first() is None


def test_relationship_loads_are_scoped(app, make, two_agencies):
    a, b, _ = two_agencies
    own, foreign = make.program(a, name="Own"), make.program(b, name="Foreign")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        staff = Staff(agency_id=a.id, email="x@example.org", first_name="X", last_name="Y")
        # Wire a cross-agency link directly in the database to prove lazy loads filter it.
        staff.programs = [db.session.get(Program, own.id), db.session.get(Program, foreign.id)]
        db.session.add(staff)
        db.session.commit()
        staff_id = staff.id
    with app.app_context(), tenant_scope(a.id):
        staff = db.session.get(Staff, staff_id)
        assert [p.name for p in staff.programs] == ["Own"]


def test_new_rows_get_the_current_agency(app, two_agencies):
    a, _, _ = two_agencies
    with app.app_context(), tenant_scope(a.id):
        site = Site(name="New", kind="school")
        db.session.add(site)
        db.session.commit()
        assert site.agency_id == a.id


def test_writing_into_another_agency_is_refused(app, two_agencies):
    a, b, sites = two_agencies
    with app.app_context(), tenant_scope(a.id):
        db.session.add(Site(name="Sneaky", kind="school", agency_id=b.id))
        with pytest.raises(TenantViolation):
            db.session.flush()
        db.session.rollback()
        site = db.session.get(Site, sites[a.id].id)
        site.agency_id = b.id
        with pytest.raises(TenantViolation):
            db.session.flush()


def test_writing_without_agency_context_is_refused(app):
    with app.app_context():
        db.session.add(Site(name="Orphan", kind="school"))
        with pytest.raises(TenantViolation):
            db.session.flush()


def test_bulk_update_and_delete_are_scoped(app, two_agencies):
    a, b, _ = two_agencies
    with app.app_context():
        with tenant_scope(a.id):
            db.session.execute(update(Site).values(city="Changed"))
            db.session.execute(delete(Site).where(Site.name == "Beta site"))
            db.session.commit()
        with tenant_scope(ALL_AGENCIES):
            rows = {s.name: s.city for s in db.session.scalars(select(Site))}
    assert rows == {"Alpha site": "Changed", "Beta site": ""}
