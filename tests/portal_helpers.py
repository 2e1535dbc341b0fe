"""Helpers for the portal tests: the demo portal clients, signing in to the portal, links in mail."""

import re

from sqlalchemy import select

from demo import DEMO_PASSWORD
from demo.portal import seed_portal
from extensions import db
from models import ALL_AGENCIES, Client, tenant_scope


def seed_portal_clients(app):
    """The two demo portal clients' ids (``client@demo.org``, ``client2@demo.org``)."""
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return [client.id for client in seed_portal()]


def portal_sign_in(browser, email, password=DEMO_PASSWORD):
    return browser.post("/portal/", data={"email": email, "password": password})


def signed_in_portal(app, email, password=DEMO_PASSWORD):
    """A new test client signed in to the portal as ``email``."""
    browser = app.test_client()
    response = portal_sign_in(browser, email, password)
    assert response.status_code == 302 and response.location.endswith("/portal/overview"), response.get_data(as_text=True)
    return browser


def link_in(message, path):
    """The site-relative path of the link to ``path`` in a received email's text."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[\w-]+)", body).group(1)


def client_row(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        client = db.session.scalar(select(Client).where(Client.id == client_id))
        db.session.expunge(client)
        return client
