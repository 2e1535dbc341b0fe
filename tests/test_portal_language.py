"""The portal's language: the client's choice on the switch (kept on their portal account;
before signing in, in the portal session), else the official language of preference on their
profile, else the browser's; the plan PDF follows it."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from extensions import db
from models import ALL_AGENCIES, Client, PortalAccount, SettlementPlan, tenant_scope
from tests.conftest import text
from tests.portal_helpers import portal_sign_in, seed_portal_clients, signed_in_portal

pytestmark = pytest.mark.usefixtures("demo")
FRENCH, ENGLISH = {"Accept-Language": "fr-CA,fr;q=0.9"}, {"Accept-Language": "en-CA,en;q=0.9"}


def set_profile_language(app, client_id, value):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        db.session.execute(update(Client).where(Client.id == client_id).values(official_language=value))
        db.session.commit()


def account_language(app, client_id):
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        return db.session.scalar(select(PortalAccount.language).where(PortalAccount.client_id == client_id))


def lang_of(response):
    page = text(response)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_profiles_official_language_comes_before_the_browser(app):
    amira, diego = seed_portal_clients(app)
    set_profile_language(app, diego, "French")
    diegos = signed_in_portal(app, "client2@demo.org")
    page = diegos.get("/portal/overview", headers=ENGLISH)
    assert lang_of(page) == "fr-CA" and "Aperçu" in text(page) and "Formation" in text(page)
    amiras = signed_in_portal(app, "client@demo.org")  # English on her profile
    page = amiras.get("/portal/training", headers=FRENCH)
    assert lang_of(page) == "en" and "Training" in text(page)


def test_without_a_preference_the_browser_decides(app):
    amira, _ = seed_portal_clients(app)
    set_profile_language(app, amira, None)
    browser = signed_in_portal(app, "client@demo.org")
    assert lang_of(browser.get("/portal/eap", headers=FRENCH)) == "fr-CA"
    assert lang_of(browser.get("/portal/eap", headers=ENGLISH)) == "en"


def test_the_client_switches_and_the_choice_is_kept_on_the_account(app):
    amira, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    assert 'data-testid="language-switch"' in text(browser.get("/portal/overview"))
    response = browser.post("/portal/language", data={"language": "fr_CA", "next": "/portal/training"})
    assert response.status_code == 302 and response.location.endswith("/portal/training")
    assert account_language(app, amira) == "fr_CA"
    page = browser.get("/portal/training", headers=ENGLISH)
    assert lang_of(page) == "fr-CA" and "Le portail est maintenant en français." in text(page)
    again = signed_in_portal(app, "client@demo.org")  # another session: the account keeps it
    assert lang_of(again.get("/portal/overview", headers=ENGLISH)) == "fr-CA"
    browser.post("/portal/language", data={"language": "en", "next": "/portal/overview"})
    page = browser.get("/portal/overview", headers=FRENCH)
    assert lang_of(page) == "en" and "The portal is now in English." in text(page)


def test_a_bad_choice_or_target_changes_nothing(app):
    amira, _ = seed_portal_clients(app)
    browser = signed_in_portal(app, "client@demo.org")
    bad = browser.post("/portal/language", data={"language": "de", "next": "/portal/skills"}, follow_redirects=True)
    assert "Choose a language of the list." in text(bad) and account_language(app, amira) is None
    for target in ("https://evil.example/", "//evil.example/portal/", "/admin/", "/portal/\\evil"):
        response = browser.post("/portal/language", data={"language": "fr_CA", "next": target})
        assert response.location.endswith("/portal/overview"), target


def test_the_sign_in_page_switches_before_signing_in(app):
    amira, _ = seed_portal_clients(app)
    browser = app.test_client()
    response = browser.post("/portal/language", data={"language": "fr_CA", "next": "/portal/"})
    assert response.status_code == 302 and response.location.endswith("/portal/")
    page = browser.get("/portal/", headers=ENGLISH)
    assert lang_of(page) == "fr-CA" and "Se connecter" in text(page)
    assert portal_sign_in(browser, "client@demo.org").status_code == 302  # the choice is kept on her account
    assert lang_of(browser.get("/portal/overview", headers=ENGLISH)) == "fr-CA"
    assert account_language(app, amira) == "fr_CA"
    again = signed_in_portal(app, "client@demo.org")  # English on her profile, French chosen: French
    assert lang_of(again.get("/portal/overview", headers=ENGLISH)) == "fr-CA"


def test_signing_out_keeps_the_portals_language_for_the_sign_in_page(app):
    amira, _ = seed_portal_clients(app)
    set_profile_language(app, amira, "French")
    browser = signed_in_portal(app, "client@demo.org")
    page = text(browser.post("/portal/sign-out", follow_redirects=True, headers=ENGLISH))
    assert "Votre session est fermée." in page and 'lang="fr-CA"' in page and "Se connecter" in page
    set_profile_language(app, amira, "English")
    assert portal_sign_in(browser, "client@demo.org").status_code == 302  # kept for the page, not a choice
    assert lang_of(browser.get("/portal/overview", headers=FRENCH)) == "en" and account_language(app, amira) is None


def test_the_plan_pdf_follows_the_portal_language(app):
    amira, _ = seed_portal_clients(app)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        plan_id = db.session.scalar(select(SettlementPlan.id).where(SettlementPlan.client_id == amira))
    browser = signed_in_portal(app, "client@demo.org")
    english = pdf_text(browser.get(f"/portal/plan/{plan_id}.pdf"))
    browser.post("/portal/language", data={"language": "fr_CA"})
    french = pdf_text(browser.get(f"/portal/plan/{plan_id}.pdf"))
    assert english != french and "Plan d'établissement" in french.replace("’", "'")


def pdf_text(response):
    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_eap_names_the_roles_cams_writes_in_french(app):
    amira, _ = seed_portal_clients(app)
    set_profile_language(app, amira, "French")
    page = text(signed_in_portal(app, "client@demo.org").get("/portal/eap"))
    assert "<td>Intervenant</td>" in page and "<td>Caseworker</td>" not in page


STAFF_LAYOUT = ('<h1 class="h4 mb-4 text-center">OCMS-Flask</h1>', 'href="/admin/"')


def assert_portal_error_page(response, lang, brand, title):
    """A 404 shown in the portal's own layout (its header and language switch), in ``lang``."""
    page = text(response)
    assert response.status_code == 404 and lang_of(response) == lang
    assert f'<span class="navbar-brand">{brand}</span>' in page and 'data-testid="language-switch"' in page
    assert 'data-testid="portal-error"' in page and f"404 · {title}" in page and page.count("<h1") == 1
    assert not any(marker in page for marker in STAFF_LAYOUT)
    return page


def test_an_unknown_portal_address_signed_out_is_the_portals_404_in_the_browsers_language(app):
    english = app.test_client().get("/portal/no-such-page", headers=ENGLISH)
    page = assert_portal_error_page(english, "en", "Client portal", "Not found")
    assert 'href="/portal/"' in page and "Go to the portal sign-in page" in page
    assert "There is no such page in the portal." in page and "agency" not in page  # a client's words
    french = app.test_client().get("/portal/no-such-page", headers=FRENCH)
    page = assert_portal_error_page(french, "fr-CA", "Portail client", "Introuvable")
    assert "Aller à la page de connexion du portail" in page and "Cette page n'existe pas dans le portail." in page


def test_signed_out_the_language_chosen_on_the_portal_wins_on_its_404(app):
    browser = app.test_client()
    browser.post("/portal/language", data={"language": "fr_CA", "next": "/portal/"}, headers=ENGLISH)
    assert_portal_error_page(browser.get("/portal/no/such/page", headers=ENGLISH), "fr-CA", "Portail client", "Introuvable")


def test_signed_in_the_portals_404_has_the_clients_menu_and_language(app):
    amira, _ = seed_portal_clients(app)
    set_profile_language(app, amira, "French")
    browser = signed_in_portal(app, "client@demo.org")
    for address in ("/portal/no-such-page", "/portal/plan/999999999.pdf"):  # unrouted, and a page's own 404
        page = assert_portal_error_page(browser.get(address, headers=ENGLISH), "fr-CA", "Portail client", "Introuvable")
        assert "Amira Haddad" in page and "Se déconnecter" in page and 'href="/portal/overview"' in page
        assert "Retour à votre aperçu" in page


def test_a_refused_form_keeps_the_signed_in_client_on_the_portals_error_page(app, monkeypatch):
    """The CSRF check runs before the portal's own: its 400 still has the client's menu."""
    amira, _ = seed_portal_clients(app)
    set_profile_language(app, amira, "French")
    browser = signed_in_portal(app, "client@demo.org")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = browser.post("/portal/language", data={"language": "en", "next": "/portal/"}, headers=ENGLISH)
    page = text(response)
    assert response.status_code == 400 and 'data-testid="portal-error"' in page
    assert "Amira Haddad" in page and "Se déconnecter" in page and "Retour à votre aperçu" in page
