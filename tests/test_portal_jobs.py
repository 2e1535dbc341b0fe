"""The portal's job search: skills matching (percentages and the 50% badge), the feed, leads and
their statuses, follows and skills suggested by staff and accepted by the client, and the same
tabs on the client dashboard."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, JobLead, JobOccupation, JobPosting, JobSkill, tenant_scope
from models.job_postings import BADGE_AT, has_badge, load_noc, match_percent
from tests.conftest import demo_agency, text
from tests.portal_helpers import seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")


def posting_with(skill_ids):
    return SimpleNamespace(skill_ids=set(skill_ids))


@pytest.mark.parametrize(
    "required, mine, percent, badge",
    [
        ((1, 2, 3, 4, 5), (1, 2), 40, False),
        ((1, 2, 3, 4), (1, 2, 9), 50, True),
        ((1, 2, 3), (1,), 33, False),
        ((1, 2, 3), (1, 2), 66, True),
        ((1, 2), (1, 2), 100, True),
        ((1, 2), (), 0, False),
        ((), (1, 2), None, False),
    ],
)
def test_match_percent_and_badge(required, mine, percent, badge):
    assert match_percent(posting_with(required), mine) == percent
    assert has_badge(percent) is badge and BADGE_AT == 50


def posting_cards(html):
    """``{title: badge text or match text or None}`` from a postings page."""
    cards = {}
    for card in re.findall(r'<li class="card card-body mb-2" data-posting="\d+">(.*?)</li>', html, re.S):
        title = re.search(r'<h2 class="h5 mb-1">(.*?)</h2>', card).group(1)
        badge = re.search(r'data-testid="skills-badge">(.*?)</span>', card)
        match = re.search(r'data-testid="skills-match">(.*?)</span>', card)
        cards[title] = ("badge", badge.group(1)) if badge else ("match", match.group(1)) if match else None
    return cards


def test_the_board_shows_the_badge_at_50_percent_and_more(app):
    seed_portal_clients(app)
    cards = posting_cards(text(signed_in_portal(app, "client@demo.org").get("/portal/jobs")))
    assert cards["Cashier"] == ("badge", "Skills match: 100%")
    assert cards["Administrative assistant"] == ("badge", "Skills match: 50%")
    assert cards["Retail sales associate"] == ("match", "Skills match: 40%")
    assert cards["Warehouse associate"] == ("match", "Skills match: 0%")


def test_the_feed_is_what_i_follow_and_what_matches_my_skills(app):
    seed_portal_clients(app)
    amira = posting_cards(text(signed_in_portal(app, "client@demo.org").get("/portal/jobs/feed")))
    # Cashier: followed occupation 65 and company; Retail sales: the company; Administrative: the 50% badge
    assert set(amira) == {"Cashier", "Retail sales associate", "Administrative assistant"}
    diego = posting_cards(text(signed_in_portal(app, "client2@demo.org").get("/portal/jobs/feed")))
    # Warehouse: the followed sector; Cashier: 50% of its skills; Retail sales (occupation 64, only
    # suggested, and 40% of its skills) is not in it
    assert set(diego) == {"Warehouse associate", "Cashier"}


def test_a_suggested_skill_counts_once_accepted(app):
    seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    page = text(browser.get("/portal/skills"))
    row_id = re.search(r"/portal/skills/(\d+)/accept", page).group(1)
    assert browser.post(f"/portal/skills/{row_id}/accept").status_code == 302
    assert posting_cards(text(browser.get("/portal/jobs")))["Administrative assistant"] == ("badge", "Skills match: 75%")


def test_save_a_posting_as_a_lead_and_change_its_status(app):
    _, diego_id = seed_portal_clients(app)
    browser = signed_in_portal(app, "client2@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        posting_id = db.session.scalar(select(JobPosting.id).where(JobPosting.title == "Administrative assistant"))
    assert browser.post(f"/portal/jobs/{posting_id}/save").status_code == 302
    browser.post(f"/portal/jobs/{posting_id}/save")  # saving again keeps one lead
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        (lead,) = db.session.scalars(select(JobLead).where(JobLead.posting_id == posting_id, JobLead.client_id == diego_id)).all()
    assert lead.status == "interested"
    assert "Interested" in text(browser.get("/portal/leads"))
    bad = browser.post(f"/portal/leads/{lead.id}/status", data={"status": "promoted"}, follow_redirects=True)
    assert "Choose a status of the list." in text(bad)
    browser.post(f"/portal/leads/{lead.id}/status", data={"status": "applied"})
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.get(JobLead, lead.id).status == "applied"


def test_staff_suggest_and_the_client_accepts(app, worker):
    amira_id, _ = seed_portal_clients(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        skill_id = db.session.scalar(select(JobSkill.id).where(JobSkill.name == "French", JobSkill.agency_id == 1))
    page = text(worker.get(f"/admin/clients/{amira_id}/?tab=skills"))
    assert "Customer service" in page and "Bookkeeping" in page
    worker.post(f"/admin/clients/{amira_id}/jobs/skill/", data={"skill": skill_id})
    browser = signed_in_portal(app, "client@demo.org")
    skills = text(browser.get("/portal/skills"))
    assert "Accept French" in skills
    assert (
        worker.post(f"/admin/clients/{amira_id}/jobs/skill/", data={"skill": "999999"}, follow_redirects=True).status_code == 200
    )
    follows = text(browser.get("/portal/following"))
    assert "Accept Retail trade" in follows  # suggested by the caseworker in the demo
    leads = text(worker.get(f"/admin/clients/{amira_id}/?tab=leads"))
    assert "Applied" in leads and "Interviewing" in leads and "Skills badge" in leads


def test_job_tabs_show_only_with_portal_activity(app, worker, make):
    amira_id, _ = seed_portal_clients(app)
    assert "tab=following" in text(worker.get(f"/admin/clients/{amira_id}/"))
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        from models import Agency

        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        db.session.expunge(agency)
    quiet = make.client(agency)
    assert "tab=following" not in text(worker.get(f"/admin/clients/{quiet.id}/"))
    assert worker.get(f"/admin/clients/{quiet.id}/?tab=following").status_code == 200  # staff may add some


def test_postings_are_managed_by_staff_with_their_rules(app, worker):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        posting = db.session.scalar(select(JobPosting).where(JobPosting.agency_id == 1).order_by(JobPosting.id))
        company_id = posting.company_id
    page = text(worker.get("/admin/job-postings/"))
    assert "Cashier" in page and "Customer service" in page
    data = {
        "title": "Night stocker",
        "company": company_id,
        "posted_on": "2026-12-01",
        "closes_on": "2026-11-01",
        "url": "ftp://x",
    }
    response = worker.post("/admin/job-postings/new/", data=data)
    assert response.status_code == 200 and "closing date cannot be before" in text(response)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(JobPosting.id).where(JobPosting.title == "Night stocker")) is None


def test_noc_2021_ships_its_ten_broad_categories_and_45_major_groups_once_and_renames_a_corrected_title(app):
    agency = demo_agency(app, "DEMO")
    with app.app_context(), tenant_scope(agency.id):
        levels = [o.level for o in db.session.scalars(select(JobOccupation).where(JobOccupation.level != "agency"))]
        assert (levels.count("broad"), levels.count("major")) == (10, 45)
        group = db.session.scalar(select(JobOccupation).where(JobOccupation.noc_code == "75", JobOccupation.level == "major"))
        assert group.name == "Helpers and labourers and other transport drivers, operators and labourers"
        group.name = "An earlier title"
        db.session.commit()
        load_noc(agency.id)
        db.session.commit()
        rows = db.session.scalars(select(JobOccupation).where(JobOccupation.noc_code == "75")).all()
        assert [row.name for row in rows] == ["Helpers and labourers and other transport drivers, operators and labourers"]
