"""Shared steps of the browser journeys (tests/browser/test_journeys.py), in English or French.

Selectors are language-neutral (name, id, data-testid, href, values), so one journey runs in
both languages. Each main page is checked (``<html lang>`` is the language asked; in French the
page shows the French of a few of its English strings, taken from the compiled catalogue, and
that French differs from the English, so a page or an entry left English is caught) and
photographed to ``$JOURNEY_SCREENSHOTS/<lang>/<journey>-<NN>-<page>.png`` (default
``instance/screenshots/``, ignored by git)."""

import os
from datetime import date
from functools import cache
from pathlib import Path

import requests
from babel.support import Translations
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.pages import at_once, body_text, click_and_wait, open_page

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = {"en": ("en-CA", "en"), "fr": ("fr-CA", "fr-CA")}  # tag asked -> (Accept-Language, <html lang>)


def screenshot_folder():
    return Path(os.environ.get("JOURNEY_SCREENSHOTS") or ROOT / "instance" / "screenshots")


@cache
def french():
    return Translations.load(str(ROOT / "translations"), ["fr_CA"])


def say(lang, english, **values):
    """What the interface says for ``english`` in ``lang`` (the French must be a translation)."""
    if lang == "en":
        return english % values if values else english
    text = french().gettext(english)
    assert text != english, f"no French for {english!r}"
    return text % values if values else text


class Journey:
    """One journey in one language: checks and photographs its main pages, in order."""

    taken = []  # every screenshot of the run, for the summary

    def __init__(self, browser, live_server, lang, name):
        self.browser, self.server, self.lang, self.name, self.count = browser, live_server, lang, name, 0

    def url(self, path):
        return self.server + path

    def open(self, path):
        open_page(self.browser, self.url(path))

    def now(self, css):
        """What matches ``css`` on the page as it is (no implicit wait: none is an answer)."""
        with at_once(self.browser):
            return self.browser.find_elements(By.CSS_SELECTOR, css)

    def shown(self, css):
        """The first element matching ``css`` that is shown (menus hold hidden copies of links)."""
        found = [e for e in self.browser.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
        assert found, f"nothing shown matches {css!r} on {self.browser.current_url}"
        return found[0]

    def click(self, css):
        """Click what ``css`` finds first on the page (shown), and wait for the next page."""
        click_and_wait(self.browser, self.shown(css))

    def submit(self, form_css="main form, form.page-form, #main-content ~ * form"):
        """Click the submit button of the first form matching ``form_css``."""
        form = self.shown(form_css)
        click_and_wait(self.browser, form.find_element(By.CSS_SELECTOR, "button[type=submit], button:not([type])"))

    def page(self, page, *english, photo=True, **values):
        """Check the page's language and its strings (``english`` in the journey's language), then
        photograph it; return its text."""
        html_lang = self.browser.find_element(By.TAG_NAME, "html").get_attribute("lang")
        assert html_lang == LANGUAGES[self.lang][1], (page, html_lang, self.browser.current_url)
        text = body_text(self.browser)
        assert "Internal Server Error" not in text and "Traceback" not in text, (page, text[:300])
        for string in english:
            wanted = say(self.lang, string, **values)
            assert wanted in text, f"{self.lang} {page}: {wanted!r} not on {self.browser.current_url}\n{text[:800]}"
        if photo:
            self.photograph(page)
        return text

    def photograph(self, page):
        self.count += 1
        path = screenshot_folder() / self.lang / f"{self.name}-{self.count:02d}-{page}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.browser.save_screenshot(str(path))
        Journey.taken.append(path)

    def fill(self, name, value, by=By.NAME):
        field = self.browser.find_element(by, name)
        field.clear()
        field.send_keys(value)

    def choose(self, name, value=None, index=1, by=By.NAME):
        """A drop-down's option by its value (the same in both languages), else by position."""
        box = Select(self.browser.find_element(by, name))
        box.select_by_value(value) if value is not None else box.select_by_index(index)

    def download(self, href):
        """Fetch a link as the browser would (its session cookies, its user agent, which the
        sign-in's session protection checks, and its language); return the response."""
        jar = {c["name"]: c["value"] for c in self.browser.get_cookies()}
        headers = {
            "User-Agent": self.browser.execute_script("return navigator.userAgent"),
            "Accept-Language": LANGUAGES[self.lang][0],
        }
        response = requests.get(self.url(href) if href.startswith("/") else href, cookies=jar, headers=headers, timeout=30)
        assert response.status_code == 200 and "/login" not in response.url, (href, response.status_code, response.url)
        return response


def sign_in(journey, email, password="demo-password"):
    """Sign in from the sign-in page, checked and photographed."""
    journey.open("/admin/")
    assert "/login" in journey.browser.current_url
    journey.page("sign-in", "Sign in", photo=journey.name == "sign-in")  # photographed once
    journey.fill("email", email)
    journey.fill("password", password)
    journey.click("button[type=submit]")
    assert "/login" not in journey.browser.current_url, body_text(journey.browser)[:300]


def sign_out(journey):
    journey.click("form[action$='logout'] button, form[action*='logout'] button")
    assert "/login" in journey.browser.current_url
    journey.page("signed-out", "You are signed out.")


def summary():
    """Where the screenshots of the run went, and how many."""
    if not Journey.taken:
        return "no screenshots taken"
    languages = sorted({path.parent.name for path in Journey.taken})
    return f"{len(Journey.taken)} journey screenshots in {screenshot_folder()}/{{{','.join(languages)}}}/"


def new_session(journey, session_type=None, activity=None):
    """Fill the wizard open in the browser (a type and group activity by value) and save it;
    return the new session's id."""
    if session_type:
        journey.choose("session_type", session_type)
    if activity:
        journey.choose("group_activity_id", str(activity))
        journey.fill("hours", "1")
    journey.fill("minutes", "40")
    journey.choose("funder_ids", index=0)
    journey.submit("form[method=post][novalidate]")
    journey.page("session", "Session saved. Now add clients and their forms.")
    return int(journey.browser.current_url.split("id=")[1].split("#")[0].split("&")[0])


def add_client(journey, session_id, name):
    """Find a registered client from the session page and add them."""
    journey.open(f"/admin/sessions/edit/?id={session_id}&find={name.replace(' ', '+')}")
    row = journey.browser.find_element(By.XPATH, f"//li[contains(., '{name}')]")
    click_and_wait(journey.browser, row.find_element(By.CSS_SELECTOR, "form[action$='/clients/'] button"))


def add_quick_attendee(journey, first, last, gender="Female"):
    journey.fill("first_name", first)
    journey.fill("last_name", last)
    journey.choose("gender", gender)
    journey.submit("form[action$='/ad-hoc/'], form[action*='ad_hoc'], form[action*='ad-hoc']")


def answer_the_form(journey):
    """Each shown drop-down still empty gets its first answer, each shown empty date today, and
    the form is saved, until it leaves the form page (an answer may ask another question)."""
    for _ in range(4):
        journey.browser.execute_script(ANSWER_EVERYTHING, date.today().isoformat())
        journey.submit("form[method=post][novalidate]")
        if not journey.now("[data-testid=missing].alert-danger"):
            return
    raise AssertionError(body_text(journey.browser)[:600])


ANSWER_EVERYTHING = """
var today = arguments[0], form = document.querySelector('form[method=post][novalidate]');
form.querySelectorAll('select').forEach(function (s) {
  if (s.offsetParent && !s.value && s.options.length > 1 && !s.closest('fieldset:last-of-type')) {
    s.selectedIndex = 1; s.dispatchEvent(new Event('change', {bubbles: true})); }
});
form.querySelectorAll('input[data-date-field]').forEach(function (i) { if (i.offsetParent && !i.value) i.value = today; });
"""


def complete_every_form(journey, session_id):
    """Open each incomplete form of the session in turn, answer it and save it."""
    while True:
        journey.open(f"/admin/sessions/edit/?id={session_id}")
        todo = journey.now("[data-testid=clients-and-forms] a.badge-danger")
        if not todo:
            return
        click_and_wait(journey.browser, todo[0])
        answer_the_form(journey)
