"""The home page's report panels in a real browser: the page answers with their titles and
static/js/dashboards.js puts each panel's numbers in from its own request, within the
Content-Security-Policy (the violation listener of test_csp.py)."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.pages import now
from tests.browser.test_csp import violations, watched  # noqa: F401 (a fixture)
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.usefixtures("demo")
NUMBERS = '[data-dashboard-panel] [data-testid="dashboard-numbers"]'


def test_the_panels_load_their_numbers_within_the_policy(app, watched, live_server):  # noqa: F811
    sign_in(watched, live_server, "admin@demo.org")
    assert len(watched.find_elements(By.CSS_SELECTOR, "[data-dashboard-panel]")) == 4
    WebDriverWait(watched, 10).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, NUMBERS)) == 4)
    assert watched.find_elements(By.CSS_SELECTOR, '[data-dashboard-panel] a[href*="/admin/reports/clients_served/?from="]')
    assert not now(watched, By.CSS_SELECTOR, '[data-testid="dashboard-panel-link"]')
    assert violations(watched) == []
