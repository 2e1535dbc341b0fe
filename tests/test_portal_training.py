"""Training opportunities on both sides: the client accepts a recommendation, adds their own,
keeps status and progress; staff recommend and edit their recommendations; neither side changes
the other's details (the model's rule, whatever page writes)."""

import pytest
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Client, Principal, Staff, TrainingOpportunity, acting_as, tenant_scope
from models.errors import ReadOnlyRecord
from tests.conftest import text
from tests.portal_helpers import seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")
NEW = {"title": "Food handler certificate", "provider": "City of Toronto", "kind": "certificate", "cost": "$25"}


def trainings(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = db.session.scalars(select(TrainingOpportunity).where(TrainingOpportunity.client_id == client_id)).all()
        return {row.title: (row.added_by, row.status, row.progress_percent, row.provider, row.version, row.id) for row in rows}


def test_the_client_sees_recommended_and_found_training(app):
    amira, _ = seed_portal_clients(app)
    page = text(signed_in_portal(app, "client@demo.org").get("/portal/training"))
    assert "QuickBooks Online certification" in page and "Recommended by my caseworker" in page
    assert "Excel for bookkeepers" in page and "Found by me" in page
    assert "Forklift operator refresher" not in page  # Diego's
    assert "40% done" in page


def test_the_client_accepts_a_recommendation_and_updates_progress(app):
    amira, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    row = trainings(app, amira)["Canadian workplace communication"]
    assert row[1] == "recommended"
    assert browser.post(f"/portal/training/{row[5]}/accept").status_code == 302
    assert trainings(app, amira)["Canadian workplace communication"][1] == "interested"
    row = trainings(app, amira)["Canadian workplace communication"]
    response = browser.post(
        f"/portal/training/{row[5]}/progress", data={"status": "in_progress", "progress_percent": "30", "version": row[4]}
    )
    assert response.status_code == 302
    assert trainings(app, amira)["Canadian workplace communication"][1:3] == ("in_progress", 30)
    bad = browser.post(
        f"/portal/training/{row[5]}/progress", data={"status": "in_progress", "progress_percent": "130"}, follow_redirects=True
    )
    assert "percentage from 0 to 100" in text(bad) and trainings(app, amira)["Canadian workplace communication"][2] == 30
    back = browser.post(
        f"/portal/training/{row[5]}/progress", data={"status": "recommended", "progress_percent": "0"}, follow_redirects=True
    )
    assert "Choose a status" in text(back) and trainings(app, amira)["Canadian workplace communication"][1] == "in_progress"
    done = trainings(app, amira)["Canadian workplace communication"]
    browser.post(
        f"/portal/training/{row[5]}/progress", data={"status": "completed", "progress_percent": "50", "version": done[4]}
    )
    assert trainings(app, amira)["Canadian workplace communication"][1:3] == ("completed", 100)


def test_a_stale_progress_save_is_refused(app):
    amira, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    row = trainings(app, amira)["Payroll fundamentals"]
    data = {"status": "in_progress", "progress_percent": "10", "version": row[4] - 1 if row[4] > 1 else row[4] + 5}
    page = browser.post(f"/portal/training/{row[5]}/progress", data=data, follow_redirects=True)
    assert "changed meanwhile" in text(page) and trainings(app, amira)["Payroll fundamentals"][1] == "enrolled"


def test_the_client_adds_edits_and_removes_their_own(app):
    amira, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    bad = browser.post("/portal/training", data={**NEW, "url": "javascript:alert(1)"})
    assert (
        bad.status_code == 400
        and "must start with https://" in text(bad)
        and "Food handler certificate" not in trainings(app, amira)
    )
    bad = browser.post("/portal/training", data={**NEW, "starts_on": "2027-02-01", "ends_on": "2027-01-01"})
    assert bad.status_code == 400 and "end date cannot be before" in text(bad)
    assert browser.post("/portal/training", data={**NEW, "title": ""}).status_code == 400
    assert browser.post("/portal/training", data=NEW).status_code == 302
    added = trainings(app, amira)["Food handler certificate"]
    assert added[:3] == ("client", "interested", 0)
    edit = {**NEW, "provider": "George Brown College", "version": added[4]}
    assert browser.post(f"/portal/training/{added[5]}/edit", data=edit).status_code == 302
    assert trainings(app, amira)["Food handler certificate"][3] == "George Brown College"
    assert browser.post(f"/portal/training/{added[5]}/remove").status_code == 302
    assert "Food handler certificate" not in trainings(app, amira)


def test_the_client_cannot_change_or_remove_a_recommendation(app):
    amira, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    row = trainings(app, amira)["QuickBooks Online certification"]
    edit = {"title": "Hijacked", "kind": "course", "version": row[4]}
    assert browser.post(f"/portal/training/{row[5]}/edit", data=edit).status_code == 403
    assert browser.post(f"/portal/training/{row[5]}/remove").status_code == 403
    assert "QuickBooks Online certification" in trainings(app, amira)


def test_staff_recommend_edit_and_record_progress(app, login):
    amira, _ = seed_portal_clients(app)
    staff = login("worker@demo.org")
    url = f"/admin/clients/{amira}/training/"
    bad = staff.post(url + "?tab=training", data={**NEW, "cost": "lots"})
    assert bad.status_code == 400 and "Enter the cost in dollars" in text(bad)
    assert staff.post(url, data=NEW).status_code == 302
    added = trainings(app, amira)["Food handler certificate"]
    assert added[:2] == ("staff", "recommended")
    assert staff.post(f"{url}{added[5]}/", data={**NEW, "provider": "Humber", "version": added[4]}).status_code == 302
    assert trainings(app, amira)["Food handler certificate"][3] == "Humber"
    found = trainings(app, amira)["Excel for bookkeepers"]
    assert staff.post(f"{url}{found[5]}/", data={**NEW, "version": found[4]}).status_code == 403  # the client's own find
    assert staff.post(f"{url}{found[5]}/remove/").status_code == 403
    progress = {"status": "dropped", "progress_percent": "60", "version": found[4]}
    assert staff.post(f"{url}{found[5]}/progress/", data=progress).status_code == 302
    assert trainings(app, amira)["Excel for bookkeepers"][1:3] == ("dropped", 60)
    page = text(staff.get(f"/admin/clients/{amira}/?tab=training"))
    assert "Food handler certificate" in page and "Found by the client" in page
    assert "The client sees these trainings, their details and their progress in the client portal." in page
    assert staff.post(f"{url}{added[5]}/remove/").status_code == 302 and "Food handler certificate" not in trainings(app, amira)


def test_staff_cannot_reach_another_clients_training_through_this_client(app, login):
    amira, diego = seed_portal_clients(app)
    staff = login("worker@demo.org")
    diegos = trainings(app, diego)["Forklift operator refresher"]
    assert staff.post(f"/admin/clients/{amira}/training/{diegos[5]}/", data=NEW).status_code == 404
    assert staff.post(f"/admin/clients/{amira}/training/{diegos[5]}/remove/").status_code == 404


def test_the_model_refuses_whatever_page_writes(app):
    amira, _ = seed_portal_clients(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.get(Client, amira)
        worker = db.session.scalar(select(Staff).where(Staff.email == "worker@demo.org"))
        query = select(TrainingOpportunity).where(TrainingOpportunity.client_id == amira, TrainingOpportunity.added_by == "staff")
        recommended = db.session.scalars(query).first()
        found = db.session.scalar(
            select(TrainingOpportunity).where(TrainingOpportunity.client_id == amira, TrainingOpportunity.added_by == "client")
        )
        with acting_as(Principal.portal_client(client)):
            recommended.title = "Changed by the client"
            with pytest.raises(ReadOnlyRecord):
                db.session.flush()
            db.session.rollback()
        with acting_as(Principal.staff(worker)):
            found = db.session.get(TrainingOpportunity, found.id)
            found.provider = "Changed by staff"
            with pytest.raises(ReadOnlyRecord):
                db.session.flush()
            db.session.rollback()
            found = db.session.get(TrainingOpportunity, found.id)
            found.status, found.progress_percent = "in_progress", 20  # status and progress: both sides
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize("progress", ["²", "٣٠"])
def test_progress_in_digits_that_are_not_ascii_is_a_message_not_an_error(app, progress):
    amira, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    row = trainings(app, amira)["Canadian workplace communication"]
    browser.post(f"/portal/training/{row[5]}/accept")
    row = trainings(app, amira)["Canadian workplace communication"]
    data = {"status": "in_progress", "progress_percent": progress, "version": row[4]}
    bad = browser.post(f"/portal/training/{row[5]}/progress", data=data, follow_redirects=True)
    assert bad.status_code in (200, 400) and "percentage from 0 to 100" in text(bad)
    assert trainings(app, amira)["Canadian workplace communication"][1:3] == row[1:3]
