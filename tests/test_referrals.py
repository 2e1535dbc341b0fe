"""Referrals through the pages: record, follow up, update; the Needs Assessment shortcut; the
program and Private rules; bad input (a follow-up before the referral date, another agency's
ids) answered with field errors and nothing saved."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import ALL_AGENCIES, Client, Referral, ReferralPartner, ServiceForm, ServiceSession, Site, Staff, tenant_scope
from models.referrals import need_areas, referrals_follow_up_due
from tests.conftest import demo_agency, demo_staff, field_tag, shown_with_its_error, sign_in, text

pytestmark = pytest.mark.usefixtures("demo")
HOUSING = "housing_accommodation_needs_ind"


def samira(app):
    """The demo client whose referral is shared with Other Agency (the first named one)."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, "DEMO")
        return db.session.scalar(
            select(Client.id).where(Client.agency_id == agency.id, Client.kind == "named").order_by(Client.id)
        )


def partner_id(app, code, name=None):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = demo_agency(app, code)
        query = select(ReferralPartner.id).where(ReferralPartner.agency_id == agency.id, ReferralPartner.kind == "external")
        return db.session.scalar(query.where(ReferralPartner.name == name) if name else query.order_by(ReferralPartner.id))


def referral_count(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(func.count(Referral.id)))


def refer(client, client_id, **values):
    data = {
        "target": "",
        "need_area": HOUSING,
        "referral_date": date.today().isoformat(),
        "follow_up_date": "",
        "notes": "",
        **values,
    }
    return client.post(f"/admin/clients/{client_id}/referrals/", data=data, follow_redirects=True)


def newest_referral(app):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        row = db.session.scalar(select(Referral).order_by(Referral.id.desc()))
        db.session.expunge(row)
        return row


def test_the_need_areas_come_from_the_needs_assessment():
    codes = {area.code: area for area in need_areas()}
    assert len(codes) == 21 and codes[HOUSING].referral_field == "housing_accommodation_referrals_ind"
    assert codes["food_cloth_material_needs_ind"].referral_field == "food_cloth_material_refs_ind"


def test_a_referral_is_recorded_followed_up_and_closed(app, client):
    sign_in(client, "worker@demo.org")
    client_id, partner = samira(app), partner_id(app, "DEMO", "Maple Housing Help")
    page = text(
        refer(client, client_id, target=f"partner:{partner}", follow_up_date=(date.today() + timedelta(days=7)).isoformat())
    )
    assert "Referral recorded." in page and "Maple Housing Help" in page
    referral = newest_referral(app)
    assert (referral.status, referral.follow_up_date, referral.client_id) == ("made", date.today() + timedelta(days=7), client_id)
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        assert referral.id not in [r.id for r in referrals_follow_up_due(date.today())]
        assert referral.id in [r.id for r in referrals_follow_up_due(date.today() + timedelta(days=7))]
    for status in ("accepted", "attended", "closed"):
        data = {"status": status, "follow_up_date": referral.follow_up_date.isoformat(), "outcome": "Housed", "notes": ""}
        assert client.post(f"/admin/referrals/edit/?id={referral.id}", data=data).status_code == 302
    assert newest_referral(app).status == "closed"
    with app.app_context(), tenant_scope(demo_agency(app, "DEMO").id):
        assert referral.id not in [
            r.id for r in referrals_follow_up_due(date.today() + timedelta(days=30))
        ]  # closed: no follow-up


def test_an_internal_referral_goes_to_a_program(app, client):
    sign_in(client, "worker@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        from models import Program

        program_id = db.session.scalar(select(Program.id).where(Program.name == "Employment Services"))
    assert "Referral recorded." in text(refer(client, samira(app), target=f"program:{program_id}"))
    assert newest_referral(app).to_program_id == program_id


def test_a_follow_up_before_the_referral_date_is_refused(app, client):
    sign_in(client, "worker@demo.org")
    before = referral_count(app)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page = text(refer(client, samira(app), target=f"partner:{partner_id(app, 'DEMO')}", follow_up_date=yesterday))
    assert 'invalid-feedback d-block">The follow-up date cannot be before the referral date.' in page
    referral = newest_referral(app)
    data = {
        "status": "made",
        "follow_up_date": (referral.referral_date - timedelta(days=3)).isoformat(),
        "outcome": "",
        "notes": "",
    }
    response = client.post(f"/admin/referrals/edit/?id={referral.id}", data=data, follow_redirects=True)
    assert response.status_code == 200 and "cannot be before the referral date" in text(response)
    assert referral_count(app) == before and newest_referral(app).follow_up_date == referral.follow_up_date


@pytest.mark.parametrize("typed", ["2026-13-45", "2026-02-30"])
def test_a_referral_date_that_is_no_date_is_named_and_the_form_kept(app, client, typed):
    sign_in(client, "worker@demo.org")
    before = referral_count(app)
    partner = f"partner:{partner_id(app, 'DEMO')}"
    response = refer(client, samira(app), target=partner, referral_date=typed, notes="Call Maple first")
    page = text(response)
    assert response.status_code == 200 and referral_count(app) == before and "Nothing was saved" in page
    shown_with_its_error(page, "referral_date", f"“{typed}” is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31).")
    assert "This field is required" not in page and f'value="{typed}"' in field_tag(page, "referral_date")
    assert "Call Maple first" in page and f'<option selected value="{partner}">' in page
    assert "aria-invalid" not in field_tag(page, "follow_up_date")
    assert f'value="{date.today().isoformat()}"' in field_tag(page, "partner-referral_date")  # the form beside: as it was
    assert "This field is required." in text(refer(client, samira(app), target=partner, referral_date=" "))


@pytest.mark.parametrize("field", ["target", "service_form_id"])
def test_another_agencys_ids_are_field_errors(app, client, field):
    sign_in(client, "worker@demo.org")
    before = referral_count(app)
    other_partner = partner_id(app, "OTHER")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        other_form = db.session.scalar(select(ServiceForm.id).where(ServiceForm.agency_id == demo_agency(app, "OTHER").id))
    values = (
        {"target": f"partner:{other_partner}"}
        if field == "target"
        else {
            "target": f"partner:{partner_id(app, 'DEMO')}",
            "service_form_id": str(other_form),
        }
    )
    response = refer(client, samira(app), **values)
    assert response.status_code == 200 and referral_count(app) == before
    assert "Not a valid choice" in text(response) or "That Needs Assessment is not one of this client" in text(response)


def test_another_agencys_referral_and_client_are_not_found(app, client):
    sign_in(client, "admin@other.org")
    demo_referral = newest_referral(app).id
    assert client.get(f"/admin/referrals/edit/?id={demo_referral}").status_code == 404
    assert refer(client, samira(app), target="partner:1").status_code == 404


def needs_assessment(app, client_id, answers):
    """A Needs Assessment for the client in a session led by the demo worker."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency, worker = demo_agency(app, "DEMO"), demo_staff(app, "worker@demo.org")
        site = db.session.scalar(select(Site.id).where(Site.agency_id == agency.id))
        session = ServiceSession(
            agency_id=agency.id, service_date=date.today(), site_id=site, lead_staff_id=worker.id, created_by_id=worker.id
        )
        session.minutes, session.languages = 30, ["English"]
        form = ServiceForm(agency_id=agency.id, kind="needs_assessment", client_id=client_id, author_id=worker.id)
        form.save_answers(answers)
        session.forms = [form]
        db.session.add(session)
        db.session.commit()
        return form.id, session.id


def test_the_needs_assessment_shortcut_records_the_referral_in_one_step(app, client):
    client_id = samira(app)
    form_id, session_id = needs_assessment(
        app, client_id, {"housing_accommodation_needs_ind": "Yes", "housing_accommodation_referrals_ind": "Yes"}
    )
    sign_in(client, "worker@demo.org")
    tab = text(client.get(f"/admin/clients/{client_id}/?tab=referrals"))
    assert 'data-testid="needs-shortcut"' in tab and "Housing/Accommodation" in tab
    page = text(refer(client, client_id, target=f"partner:{partner_id(app, 'DEMO')}", service_form_id=str(form_id)))
    assert "Referral recorded." in page and 'data-testid="needs-shortcut"' not in page
    referral = newest_referral(app)
    assert (referral.service_form_id, referral.session_id, referral.need_area) == (form_id, session_id, HOUSING)


def test_the_shortcut_is_refused_under_its_own_fields_as_typed(app, client):
    """Each need's one-step form shows its errors under its fields (marked for screen readers),
    with what was typed, not in the "Record a referral" form; recorded, the referral is the
    assessment's: its date, its form and session."""
    client_id = samira(app)
    answers = {HOUSING: "Yes", "housing_accommodation_referrals_ind": "Yes"}
    answers |= {"financial_needs_ind": "Yes", "financial_referrals_ind": "Yes"}
    form_id, session_id = needs_assessment(app, client_id, answers)
    sign_in(client, "worker@demo.org")
    field, url = f"need-{form_id}-{HOUSING}", f"/admin/clients/{client_id}/needs-referral/"
    tab = text(client.get(f"/admin/clients/{client_id}/?tab=referrals"))
    assert f'for="{field}-target"' in tab and f'for="{field}-follow_up_date"' in tab
    partner, before = f"partner:{partner_id(app, 'DEMO')}", referral_count(app)
    which = {"service_form_id": str(form_id), "need_area": HOUSING}
    page = text(client.post(url, data={**which, f"{field}-target": partner, f"{field}-follow_up_date": "2026-02-30"}))
    shown_with_its_error(page, f"{field}-follow_up_date", "“2026-02-30” is not a date")
    assert 'value="2026-02-30"' in field_tag(page, f"{field}-follow_up_date")
    assert f'<option selected value="{partner}">' in page.split(f'id="{field}-target"')[1].split("</select>")[0]
    assert "aria-invalid" not in field_tag(page, "follow_up_date") and "Nothing was saved" not in page  # the form below
    assert "aria-invalid" not in field_tag(page, f"need-{form_id}-financial_needs_ind-follow_up_date")  # the other need's
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page = text(client.post(url, data={**which, f"{field}-target": partner, f"{field}-follow_up_date": yesterday}))
    shown_with_its_error(page, f"{field}-follow_up_date", "The follow-up date cannot be before the referral date.")
    page = text(client.post(url, data={**which, f"{field}-target": "", f"{field}-follow_up_date": ""}))
    shown_with_its_error(page, f"{field}-target", "Choose a partner or program.")
    assert referral_count(app) == before  # nothing saved
    follow_up = (date.today() + timedelta(days=7)).isoformat()
    recorded = {**which, f"{field}-target": partner, f"{field}-follow_up_date": follow_up}
    page = text(client.post(url, data=recorded, follow_redirects=True))
    assert "Referral recorded." in page and f'id="{field}-target"' not in page
    referral = newest_referral(app)
    assert (referral.service_form_id, referral.session_id, referral.need_area) == (form_id, session_id, HOUSING)
    assert (referral.referral_date, referral.follow_up_date.isoformat()) == (date.today(), follow_up)
    again = text(client.post(url, data=recorded, follow_redirects=True))
    assert "That need has no referral waiting to be recorded." in again and referral_count(app) == before + 1


def test_a_private_referral_follows_the_private_rule(app, client):
    sign_in(client, "worker@demo.org")
    refer(client, samira(app), target=f"partner:{partner_id(app, 'DEMO')}", is_private="y", notes="SECRET-REFERRAL-NOTE")
    referral = newest_referral(app)
    assert referral.is_private
    client.post("/logout")
    sign_in(client, "worker2@demo.org")
    assert "SECRET-REFERRAL-NOTE" not in text(client.get(f"/admin/clients/{samira(app)}/?tab=referrals"))
    assert client.get(f"/admin/referrals/edit/?id={referral.id}").status_code in (403, 404)
    client.post("/logout")
    sign_in(client, "coordinator@demo.org")  # the author's coordinator
    assert "SECRET-REFERRAL-NOTE" in text(client.get(f"/admin/clients/{samira(app)}/?tab=referrals"))


def test_the_grid_filters_by_status_worker_partner_need_and_follow_up_due(app, client):
    sign_in(client, "coordinator@demo.org")
    listing = text(client.get("/admin/referrals/"))
    for label in ("Status", "Worker", "Partner", "Need", "Follow-up due"):
        assert label in listing
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "referrals")
    names = [f.name for f in view._filters]
    due = names.index("Follow-up due")
    due_rows = table_rows(client.get(f"/admin/referrals/?flt0_{due}=1"))
    assert "Accepted" in due_rows and "Attended" not in due_rows and "Closed" not in due_rows  # only open referrals due
    declined = table_rows(client.get(f"/admin/referrals/?flt0_{names.index('Status')}=declined"))
    assert "Declined" in declined and "Accepted" not in declined


def table_rows(response):
    page = text(response)
    start = page.index("</thead>", page.index("model-list"))
    return page[start : page.index("</table>", start)]


def test_the_partner_grid_is_searchable(app, client):
    sign_in(client, "worker@demo.org")
    page = text(client.get("/admin/partners/?search=tenant"))
    assert "Maple Housing Help" in page and "Community Food Bank" not in page
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(func.count(Staff.id))) > 0


def test_saving_a_needs_assessment_that_says_referred_leads_to_the_shortcut(app, client):
    """The form page: a saved Needs Assessment whose referral answers say "Yes" goes to the
    client's Referrals tab, where the shortcut offers the referral."""
    client_id = samira(app)
    form_id, session_id = needs_assessment(app, client_id, {})
    sign_in(client, "worker@demo.org")
    url = f"/admin/sessions/{session_id}/forms/{form_id}/"
    page = text(client.get(url))
    data = {name: value for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page) if name != "csrf_token"}
    data.update({"housing_accommodation_needs_ind": "Yes", "housing_accommodation_referrals_ind": "Yes"})
    response = client.post(url, data=data)
    assert response.status_code == 302 and f"/admin/clients/{client_id}/" in response.headers["Location"]
    assert 'data-testid="needs-shortcut"' in text(client.get(response.headers["Location"]))


def test_a_job_reads_the_referrals_its_declaration_names(app, client):
    """The follow-up reminders run as a job: without ``referral=...`` they see referrals in no
    program and not Private; ``open`` adds the programs' ones, never a Private one."""
    from models import Declaration, Program

    sign_in(client, "worker@demo.org")
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        settlement = db.session.scalar(select(Program.id).where(Program.name == "Settlement Services"))
    due = date.today().isoformat()
    for values in ({}, {"program_id": str(settlement)}, {"is_private": "y"}):
        refer(client, samira(app), target=f"partner:{partner_id(app, 'DEMO')}", follow_up_date=due, notes=str(values), **values)
    agency = demo_agency(app, "DEMO").id

    def notes_due(declaration=None):
        with app.app_context(), tenant_scope(agency, *([declaration] if declaration else [])):
            return {r.notes for r in referrals_follow_up_due(date.today())}

    assert "{}" in notes_due() and not {f"{{'program_id': '{settlement}'}}", "{'is_private': 'y'}"} & notes_due()
    opened = notes_due(Declaration.of("reminders", referral="open"))
    assert f"{{'program_id': '{settlement}'}}" in opened and "{'is_private': 'y'}" not in opened


def test_the_referral_edit_page_says_which_referral_it_is(app, client):
    """Opened from a reminder mail, the page names the client (a link to their referrals), the
    need, the partner, the date and who referred, above the form; in French too."""
    sign_in(client, "worker@demo.org")
    refer(client, samira(app), target=f"partner:{partner_id(app, 'DEMO')}")
    referral = newest_referral(app)
    page = text(client.get(f"/admin/referrals/edit/?id={referral.id}"))
    summary = page.split('data-testid="referral-summary"')[1].split("</section>")[0]
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        name = db.session.get(Client, referral.client_id).display_name
    assert name in summary and f"/admin/clients/{referral.client_id}/?tab=referrals" in summary
    assert "Referred by" in summary and referral.referral_date.isoformat() in summary
    assert page.index('data-testid="referral-summary"') < page.index('name="status"')
    french = text(client.get(f"/admin/referrals/edit/?id={referral.id}", headers={"Accept-Language": "fr-CA"}))
    assert "L'aiguillage" in french
