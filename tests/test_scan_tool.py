"""The scan's helpers (``tools/``): sign-in through the real form, the loopback rule, the guard
that keeps the scanners from signing out or deleting, and reading sqlmap's verdict. The scan
itself (``make scan``) is not part of the suite."""

import sys
import threading
from pathlib import Path
from urllib.request import Request, urlopen

import pytest
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from scan import through_socket  # noqa: E402
from scan_server import ScanGuard, is_refused  # noqa: E402
from scan_session import USER_AGENT, NotLoopback, SignInFailed, checked_value, require_loopback, sign_in  # noqa: E402
from scan_tools import sqlmap_verdict  # noqa: E402
from sqlalchemy import select  # noqa: E402

from demo import DEMO_PASSWORD  # noqa: E402
from extensions import db  # noqa: E402
from models import ALL_AGENCIES, Client, Staff, tenant_scope  # noqa: E402
from tests.conftest import sign_in as sign_in_test_client  # noqa: E402


@pytest.fixture
def served(app, demo, monkeypatch):
    """The app with CSRF protection on (as in production), on a free loopback port, behind the guard."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    server = make_server("127.0.0.1", 0, ScanGuard(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join()


def home_page_path(base_url, cookie, user_agent):
    request = Request(base_url + "admin/", headers={"Cookie": cookie, "User-Agent": user_agent})
    with urlopen(request, timeout=30) as response:
        return response.geturl().removeprefix(base_url.rstrip("/"))


def test_sign_in_posts_the_form_with_its_token_and_the_cookie_works_elsewhere(served):
    browser = sign_in(served, "worker@demo.org", DEMO_PASSWORD)
    assert browser.is_signed_in()
    cookie = browser.cookie_header()
    assert cookie.startswith("session=")
    assert home_page_path(served, cookie, USER_AGENT) == "/admin/"
    # Flask-Login's strong protection: the same cookie from another User-Agent is signed out
    assert home_page_path(served, cookie, "another-agent").startswith("/login")
    [(host, paths)] = browser.wapiti_cookies().items()
    assert host == "127.0.0.1" and paths["/"]["session"]["value"] == cookie.removeprefix("session=")


def test_wrong_password_is_refused_with_the_page_message(served):
    with pytest.raises(SignInFailed, match="do not match an active account"):
        sign_in(served, "worker@demo.org", "not-the-password")


def test_the_guard_keeps_the_scanners_signed_in(served):
    browser = sign_in(served, "worker@demo.org", DEMO_PASSWORD)
    token = browser.csrf_token("/admin/")
    _, status, _ = browser.open("/logout", {"csrf_token": token})
    assert status == 403 and browser.is_signed_in()


@pytest.mark.parametrize(
    "path",
    ["/logout", "/two-step/enable", "/admin/clients/{id}/archive/", "/admin/clients/{id}/unassign/{staff}/"],
)
def test_the_app_itself_refuses_guarded_posts_without_the_token(app, demo, client, monkeypatch, path):
    """wapiti reports "CSRF token not properly checked" on the guarded paths, where the guard
    answers 403 with or without a token; behind it, the app refuses a missing token (400)."""
    sign_in_test_client(client, "worker@demo.org")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with app.app_context(), tenant_scope(ALL_AGENCIES):
        person = db.session.scalar(select(Client).where(Client.kind == "named").order_by(Client.id))
        staff_id = db.session.scalar(select(Staff.id).where(Staff.email == "worker@demo.org"))
    assert client.post(path.format(id=person.id, staff=staff_id)).status_code == 400
    assert client.get("/admin/").status_code == 200  # still signed in


@pytest.mark.parametrize(
    "path, refused",
    [
        ("/logout", True),
        ("/two-step/enable", True),
        ("/admin/clients/delete/", True),
        ("/admin/clients/action/", True),
        ("/admin/clients/7/notes/3/delete/", True),
        ("/admin/clients/7/files/3/delete/", True),
        ("/admin/clients/7/archive/", True),
        ("/admin/clients/7/flags/2/clear/", True),
        ("/admin/clients/7/unassign/4/", True),
        ("/admin/clients/7/consent/withdraw/", True),
        ("/admin/sessions/5/clients/7/remove/", True),
        ("/admin/clients/7/notes/", False),
        ("/admin/clients/7/", False),
        ("/admin/find-client/", False),
        ("/admin/register/named/", False),
        ("/login", False),
    ],
)
def test_guarded_paths(path, refused):
    assert is_refused(path) is refused


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000/", "http://127.9.9.9/", "http://localhost:8000/x", "http://[::1]:80/"])
def test_loopback_urls_are_accepted(url):
    assert require_loopback(url) == url


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://192.168.1.2:5000/", "http://example.org/", "http://[::2]/"])
def test_other_addresses_are_refused(url):
    with pytest.raises(NotLoopback):
        require_loopback(url)


def test_checked_value_reads_the_checked_radio():
    html = '<input type="radio" name="site" value="1"><input type="radio" name="site" value="2" checked>'
    assert checked_value(html, "site") == "2" and checked_value(html, "other") is None


def test_postgres_on_loopback_goes_through_the_socket():
    assert through_socket("postgresql://postgres@127.0.0.1:5432/scan") == "postgresql://postgres@/scan?host=/var/run/postgresql"
    assert through_socket("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"


CLEARED = "[08:00:00] [WARNING] GET parameter '{}' does not seem to be injectable\n"


@pytest.mark.parametrize(
    "output, verdict",
    [
        (CLEARED.format("q") + CLEARED.format("page"), "not injectable"),
        (CLEARED.format("q"), "not injectable: 1 of 2 (not reached: page)"),
        ("[08:00:00] [INFO] GET parameter 'q' is 'AND boolean-based blind - WHERE or HAVING clause' injectable", "injectable"),
        ("[08:00:00] [CRITICAL] connection refused", "not tested"),
    ],
)
def test_sqlmap_verdict(output, verdict):
    assert sqlmap_verdict(output, "q,page") == verdict
