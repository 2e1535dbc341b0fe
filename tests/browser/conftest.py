"""A live server in a thread and Debian's headless Chromium driven through chromedriver."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
)


@pytest.fixture
def live_server(app, monkeypatch):
    """The test app served on a free local port, with CSRF on as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    """One headless Chromium for the run (starting one costs seconds)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but Debian's chromium/chromium-driver are not installed")
        pytest.skip("no chromium + chromedriver on this machine (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-CA,en"})  # whatever the machine's locale
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium, live_server):
    """The browser, signed out (cookies of the previous test's server are gone: cookies do not
    tell ports apart), on the sign-in page."""
    chromium.get("about:blank")  # off the last page first: a request of its own (the home page's
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})  # panels) would sign it in again
    chromium.get(live_server + "/login")
    chromium.delete_all_cookies()
    chromium.get(live_server + "/login")
    return chromium


@pytest.fixture
def use_language(browser):
    """``use_language(tag)``: the browser's preferred language, as a person sets it (the
    Accept-Language header); the browser is shared by the run, so the header goes afterwards."""

    def _use(language):
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Accept-Language": language}})

    yield _use
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {}})


def pytest_terminal_summary(terminalreporter):
    """Where the journeys' screenshots went, and how many (tests/browser/journeys.py)."""
    from tests.browser.journeys import Journey, summary

    if Journey.taken:
        terminalreporter.write_line(summary())
