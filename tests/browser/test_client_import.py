"""The client import in a real browser: the upload, the dry run and the import posted by the
page's script with its progress bar, without a single CSP violation."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from extensions import db
from models import ALL_AGENCIES, Agency, Client, Site, tenant_scope
from tests.browser.pages import click_and_wait
from tests.browser.test_csp import violations, watched  # noqa: F401 - the fixture
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")


def test_upload_check_and_import_with_progress(app, watched, live_server, tmp_path):  # noqa: F811
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        agency = db.session.scalar(select(Agency).where(Agency.code == "DEMO"))
        site = db.session.scalar(select(Site.name).where(Site.agency_id == agency.id, Site.is_active.is_(True)))
    upload = tmp_path / "clients.csv"
    upload.write_text(
        f"First name,Last name,Date of birth,Gender,Registration site\nNadia,Brightwater,1991-05-06,Female,{site}\n"
    )
    sign_in(watched, live_server, "admin@demo.org")
    watched.get(live_server + "/admin/import-clients/")
    watched.find_element(By.ID, "import-file").send_keys(str(upload))
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, "[data-testid=import-upload] button[type=submit]"))
    assert "1 client rows read: 1 ready, 0 with problems." in watched.page_source and violations(watched) == []
    watched.find_element(By.CSS_SELECTOR, "[data-testid=import-run] button[type=submit]").click()
    WebDriverWait(watched, 20).until(lambda b: "token=" in b.current_url)
    assert "1 clients imported from clients.csv." in watched.find_element(By.CSS_SELECTOR, "[data-testid=import-done]").text
    assert violations(watched) == []
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        assert db.session.scalar(select(Client.agency_id).where(Client.last_name == "Brightwater")) == agency.id
