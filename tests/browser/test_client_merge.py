"""An agency admin merges two profiles of the same person in the browser, then undoes it."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.pages import body_text, button, click_and_wait, now
from tests.browser.test_sign_in import sign_in
from tests.test_client_merge import counts, load, pair  # noqa: F401 (the fixture)

pytestmark = pytest.mark.usefixtures("demo")


def test_merge_two_profiles_and_undo_it(app, browser, live_server, pair):  # noqa: F811
    kept_id, other_id = pair
    before_kept, before_other = counts(app, kept_id), counts(app, other_id)
    other_number = load(app, other_id).registration_number
    sign_in(browser, live_server, "admin@demo.org")
    browser.get(f"{live_server}/admin/clients/{kept_id}/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=merge-start]"))
    browser.find_element(By.ID, "number").send_keys(other_number)
    click_and_wait(browser, button(browser, "Compare"))

    table = browser.find_element(By.CSS_SELECTOR, "[data-testid=merge-comparison]").text
    assert "Samir" in table and "Sameer" in table and "SECRET-PRIVATE" not in browser.page_source
    assert browser.find_element(By.ID, "choice_first_name_kept").is_selected()  # this profile's value by default
    assert browser.find_element(By.ID, "choice_phone_other").is_selected()  # empty here: the other's by default
    browser.find_element(By.CSS_SELECTOR, "label[for=choice_city_kept]").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=merge-submit]"))

    assert f"{other_number} was merged into" in body_text(browser)
    assert other_number in browser.find_element(By.CSS_SELECTOR, "[data-testid=merges]").text
    kept = load(app, kept_id)
    assert kept.phone == "416-555-0199" and kept.city is None and load(app, other_id).is_archived  # the city kept empty
    assert counts(app, other_id)["service_forms.client_id"] == 0

    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-testid=undo-merge]"))
    assert "Merge undone" in body_text(browser)
    assert load(app, kept_id).phone is None and not load(app, other_id).is_archived
    assert counts(app, other_id)["service_forms.client_id"] == before_other["service_forms.client_id"]
    assert counts(app, kept_id)["case_notes.client_id"] == before_kept["case_notes.client_id"]
    assert not now(browser, By.CSS_SELECTOR, "[data-testid=merges]")
