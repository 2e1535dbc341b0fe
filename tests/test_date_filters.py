"""A grid's "between" date filter reads the range as the calendar writes it in either language
("2026-01-01 to 2026-01-31", "2026-01-01 au 2026-01-31"), and refuses a range that is not one."""

from datetime import date

import pytest

from admin_views.date_filters import DateRangeFilter
from models import AuditEvent

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


def test_the_session_grid_filters_by_a_french_range_in_an_english_interface(client, login):
    login("coordinator@demo.org")
    view_filters = client.application.extensions["admin"][0]._views
    sessions = next(v for v in view_filters if getattr(v, "endpoint", "") == "sessions")
    index = next(i for i, f in enumerate(sessions._filters) if isinstance(f, DateRangeFilter))
    everything = client.get(f"/admin/sessions/?flt0_{index}=2000-01-01 au 2099-12-31")
    nothing = client.get(f"/admin/sessions/?flt0_{index}=2000-01-01 au 2000-01-02")
    assert everything.status_code == nothing.status_code == 200
    page, empty = everything.get_data(as_text=True), nothing.get_data(as_text=True)
    assert "/admin/sessions/details/" in page or "/admin/sessions/edit/" in page
    assert "/admin/sessions/details/" not in empty and "/admin/sessions/edit/" not in empty
