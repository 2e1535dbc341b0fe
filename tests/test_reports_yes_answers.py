"""The stored "Yes" answers (``models/form_answers.py``) the indicator reports count: kept in
step with every form write (new, edited, deleted, Private, another agency's), equal to a
recomputation from the forms' JSON, and the reports' numbers equal to counting the JSON."""

from datetime import date

from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, FormYesAnswer, Principal, ServiceForm, acting_as, tenant_scope
from models.form_answers import refresh_yes_answers
from reports import REPORTS
from reports.criteria import Criteria
from reports.query import grouped_statement, report_viewer, run_statement, stored_indicators
from reports.results import build, read_rows, run_report
from tests.reports_dataset import FROM, TO, form, session
from tests.reports_dataset import build as build_dataset


def stored(form_id=None):
    with tenant_scope(ALL_AGENCIES):
        query = select(FormYesAnswer.form_id, FormYesAnswer.agency_id, FormYesAnswer.field)
        if form_id is not None:
            query = query.where(FormYesAnswer.form_id == form_id)
        return set(db.session.execute(query).tuples())


def expected_from_json():
    """What the rows must be, read from the forms' answers in Python."""
    with tenant_scope(ALL_AGENCIES):
        forms = db.session.scalars(select(ServiceForm)).all()
        return {(f.id, f.agency_id, k) for f in forms for k, v in (f.data or {}).items() if v == "Yes"}


def test_rows_follow_every_form_write(app, make):
    agency, other = make.agency(), make.agency()
    site, other_site = make.site(agency), make.site(other)
    worker, other_worker = make.staff(agency), make.staff(other)
    client, outsider = make.client(agency), make.client(other)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        io = form(agency, "io", worker, client, topic_overview_given_ind="Yes", private=True)
        session(agency, date(2026, 1, 10), site, worker, [client], [io])
        theirs = form(other, "io", other_worker, outsider, topic_overview_given_ind="Yes")
        session(other, date(2026, 1, 10), other_site, other_worker, [outsider], [theirs])
        db.session.commit()
        # new forms, a Private one included, each under its own agency
        assert (io.id, agency.id, "topic_overview_given_ind") in stored(io.id)
        assert (theirs.id, other.id, "topic_overview_given_ind") in stored(theirs.id)
        assert stored() == expected_from_json()

        # edited: an answer changed to No goes, a new Yes comes
        io.save_answers({**io.data, "topic_overview_given_ind": "No", "knwl_life_needs_ind": "Yes"})
        db.session.commit()
        fields = {field for _, _, field in stored(io.id)}
        assert "topic_overview_given_ind" not in fields and "knwl_life_needs_ind" in fields
        assert stored() == expected_from_json()

        # deleted: its rows go with it; the other agency's stay
        io_id = io.id
        db.session.delete(io)
        db.session.commit()
        assert stored(io_id) == set()
        assert stored(theirs.id) and stored() == expected_from_json()

        # the bulk refresh (seed-scale, benchmarks, the migration) computes the same rows
        before = stored()
        refresh_yes_answers(db.session.connection())
        assert stored() == before
        refresh_yes_answers(db.session.connection(), agency_id=other.id)
        assert stored() == before


def json_counted(report, criteria):
    """The report as it was counted before the stored answers: every measure's JSON fact."""
    raw = run_statement(grouped_statement(report, criteria, report_viewer()))
    return build(report, criteria, read_rows(report, raw))


def test_indicator_reports_count_as_the_json_answers(app, make):
    """Every report counting stored answers gives the numbers of its JSON measures, for the
    admin, the coordinator (the Private form counts) and a worker; agency B never counts."""
    data = build_dataset(app, make)
    keys = [key for key, report in REPORTS.items() if stored_indicators(report)]
    assert {"io_topics", "io_target_groups", "needs_referrals", "support_services", "rap_services"} <= set(keys)
    for staff in (data.admin, data.coordinator, data.w1):
        with app.test_request_context(), acting_as(Principal.staff(staff)):
            for key in keys:
                report, criteria = REPORTS[key], Criteria(FROM, TO)
                fast, slow = run_report(report, criteria), json_counted(report, criteria)
                assert fast.cells == slow.cells, key
    with app.test_request_context(), acting_as(Principal.staff(data.admin)):
        assert run_report(REPORTS["io_topics"], Criteria(FROM, TO)).cell(measure="topic_overview_given_ind") == 2
