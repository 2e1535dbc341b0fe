"""A grid's "between" date filter reads the range as the calendar writes it in either language
("2026-01-01 to 2026-01-31", "2026-01-01 au 2026-01-31"), and refuses a range that is not one."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from admin_views.date_filters import DateOutsideRangeFilter, DateRangeFilter
from extensions import db
from models import ALL_AGENCIES, AuditEvent, tenant_scope
from models.job_postings import JobCompany, JobPosting
from tests.conftest import demo_agency, text

pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.parametrize("typed", ["2026-01-01 to 2026-01-31", "2026-01-01 au 2026-01-31"])
def test_either_languages_range_is_read(app, typed):
    with app.test_request_context():
        found = DateRangeFilter(AuditEvent.at, "When")
        assert found.validate(typed) and found.clean(typed) == [date(2026, 1, 1), date(2026, 1, 31)]


@pytest.mark.parametrize("typed", ["2026-01-31 to 2026-01-01", "2026-01-01", "2026-01-01 à 2026-01-31", "soon au later"])
def test_what_is_not_a_range_is_refused(app, typed):
    with app.test_request_context():
        assert not DateRangeFilter(AuditEvent.at, "When").validate(typed)


def filter_index(app, endpoint, kind, column=None):
    """The position of a grid's filter of that class (and column), as its ``flt0_N`` names it."""
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == endpoint)
    return next(i for i, f in enumerate(view._filters) if type(f) is kind and (column is None or f.column.key == column))


def test_the_session_grid_filters_by_a_french_range_in_an_english_interface(client, login):
    login("coordinator@demo.org")
    index = filter_index(client.application, "sessions", DateRangeFilter)
    everything = client.get(f"/admin/sessions/?flt0_{index}=2000-01-01 au 2099-12-31")
    nothing = client.get(f"/admin/sessions/?flt0_{index}=2000-01-01 au 2000-01-02")
    assert everything.status_code == nothing.status_code == 200
    page, empty = everything.get_data(as_text=True), nothing.get_data(as_text=True)
    assert "/admin/sessions/details/" in page or "/admin/sessions/edit/" in page
    assert "/admin/sessions/details/" not in empty and "/admin/sessions/edit/" not in empty


def test_a_grids_own_date_columns_get_the_either_language_filters(app, client, login, make):
    """Flask-Admin's filters of a date column (job postings' "posted on"), between and not between."""
    login("coordinator@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, "DEMO")
        company = db.session.scalar(select(JobCompany).where(JobCompany.agency_id == agency.id))
        db.session.add(JobPosting(agency_id=agency.id, company_id=company.id, title="Baker (night)", posted_on=date(2026, 3, 10)))
        db.session.commit()
    between = filter_index(app, "job_postings", DateRangeFilter, "posted_on")
    outside = filter_index(app, "job_postings", DateOutsideRangeFilter, "posted_on")
    found = text(client.get(f"/admin/job-postings/?flt0_{between}=2026-03-10 au 2026-03-10"))
    assert "Baker (night)" in found and "Invalid Filter Value" not in found
    assert "Baker (night)" not in text(client.get(f"/admin/job-postings/?flt0_{outside}=2026-03-01 au 2026-03-31"))
    assert "Baker (night)" in text(client.get(f"/admin/job-postings/?flt0_{outside}=2026-04-01 to 2026-04-30"))


def test_the_audit_range_holds_the_whole_last_day(app, client, login):
    login("admin@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, "DEMO")
        db.session.add(
            AuditEvent(agency_id=agency.id, at=datetime(2026, 3, 10, 22, 30), action="view", record_type="marker_of_the_day")
        )
        db.session.commit()
    when = filter_index(app, "audit", DateRangeFilter)
    assert "marker of the day" in text(client.get(f"/admin/audit/?flt0_{when}=2026-03-10 au 2026-03-10"))
    assert "marker of the day" not in text(client.get(f"/admin/audit/?flt0_{when}=2026-03-11 to 2026-03-12"))
