"""Helpers for the iCARE tests: an agency with one good record per template last month."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from demo.icare import build_month, icare_ready, last_month_day
from extensions import db
from models import ALL_AGENCIES, Client, ServiceForm, Site, Staff, tenant_scope


@dataclass
class Month:
    agency: object
    month: str
    day: date
    worker: object
    coordinator: object
    uploader: object
    admin: object
    clients: list
    site_id: int


def icare_month(app, make):
    agency = make.agency()
    site = make.site(agency)
    coordinator = make.staff(agency, role="coordinator")
    worker = make.staff(agency, manager_id=coordinator.id)
    uploader = make.staff(agency, is_icare_uploader=True)
    admin = make.staff(agency, role="agency_admin")
    clients = [make.client(agency) for _ in range(2)]
    day = last_month_day()
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        rows = [db.session.get(Client, c.id) for c in clients]
        for number, client in enumerate(rows):
            icare_ready(client, number)
        build_month(
            db.session.get(type(agency), agency.id), db.session.get(Site, site.id), db.session.get(Staff, worker.id), rows, day
        )
        db.session.commit()
    return Month(agency, day.strftime("%Y-%m"), day, worker, coordinator, uploader, admin, clients, site.id)


def forms_of(app, agency_id, kind):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalars(
            select(ServiceForm.id).where(ServiceForm.agency_id == agency_id, ServiceForm.kind == kind)
        ).all()


def update_form(app, form_id, stored_as_is=False, **answers):
    """Change a form's answers; ``stored_as_is``: written past ``save_answers`` (a form saved
    before a rule it breaks existed, as the iCARE check still finds)."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        form = db.session.get(ServiceForm, form_id)
        if stored_as_is:
            form.data = {**form.data, **answers}
        else:
            form.save_answers({**form.data, **answers})
        db.session.commit()


def update_client(app, client_id, **values):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.get(Client, client_id)
        for key, value in values.items():
            setattr(client, key, value)
        db.session.commit()
