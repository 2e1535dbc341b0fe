"""A signed-in session on the running app, for the scanners (``tools/scan.py``).

Standard library only. The sign-in form needs its CSRF token, and Flask-Login's "strong"
session protection ties the session to the client's address and User-Agent: every request made
with the cookie (ours, wapiti's, sqlmap's) must send ``USER_AGENT``.
"""

import ipaddress
import json
import re
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

USER_AGENT = "ocms-scan/1"
TIMEOUT = 30


class SignInFailed(Exception):
    """The credentials were refused, or the session did not hold."""


class NotLoopback(ValueError):
    """A scan target outside 127.0.0.0/8 and ::1."""


def require_loopback(url):
    """The URL, if its host is a loopback address (``localhost`` included); else ``NotLoopback``."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return url
    try:
        if ipaddress.ip_address(host).is_loopback:
            return url
    except ValueError:
        pass
    raise NotLoopback(f"not a loopback address: {url}")


class _Inputs(HTMLParser):
    """The attributes of every ``<input>`` with a given name, in page order."""

    def __init__(self, name):
        super().__init__()
        self.name, self.found = name, []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == self.name:
            self.found.append(attributes)


def inputs(html, name):
    parser = _Inputs(name)
    parser.feed(html)
    return parser.found


def input_value(html, name="csrf_token"):
    """The first ``<input name=...>`` value on the page (the CSRF token by default), or ``None``."""
    found = inputs(html, name)
    return (found[0].get("value") or "") if found else None


def checked_value(html, name):
    """The value of the checked radio button or box ``name``, or ``None``."""
    return next((found.get("value") for found in inputs(html, name) if "checked" in found), None)


class Browser:
    """A cookie jar and a fixed User-Agent, over one loopback base URL."""

    def __init__(self, base_url):
        self.base_url = require_loopback(base_url).rstrip("/") + "/"
        self.cookies = CookieJar()
        self._opener = build_opener(HTTPCookieProcessor(self.cookies))

    def open(self, path, data=None):
        """``(final URL, status, body)``; redirects are followed, error statuses returned."""
        url = require_loopback(urljoin(self.base_url, path))
        body = urlencode(data).encode() if data is not None else None
        request = Request(url, data=body, headers={"User-Agent": USER_AGENT})
        try:
            with self._opener.open(request, timeout=TIMEOUT) as response:
                return response.geturl(), response.status, response.read().decode("utf-8", "replace")
        except HTTPError as error:
            return error.geturl(), error.code, error.read().decode("utf-8", "replace")

    def csrf_token(self, path):
        """The CSRF token of the form on ``path``."""
        _, _, html = self.open(path)
        token = input_value(html)
        if token is None:
            raise SignInFailed(f"no CSRF token on {path}")
        return token

    def is_signed_in(self):
        """The home page opens (a signed-out visitor is sent to ``/login``)."""
        url, status, _ = self.open("/admin/")
        return status == 200 and urlsplit(url).path != "/login"

    def cookie_header(self):
        """The cookies as one ``Cookie:`` header value (sqlmap's ``--cookie``)."""
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    def wapiti_cookies(self):
        """The cookies in the JSON layout of wapiti's ``-c`` file: ``{host: {path: {name: attrs}}}``."""
        jar = {}
        for cookie in self.cookies:
            attributes = {"value": cookie.value, "expires": cookie.expires, "secure": cookie.secure, "port": None}
            jar.setdefault(cookie.domain, {}).setdefault(cookie.path, {})[cookie.name] = {**attributes, "version": 0}
        return jar

    def write_wapiti_cookies(self, path):
        with open(path, "w") as target:
            json.dump(self.wapiti_cookies(), target, indent=1)


def sign_in(base_url, email, password):
    """A ``Browser`` signed in as ``email``: the sign-in page's token, then the form posted."""
    browser = Browser(base_url)
    token = browser.csrf_token("/login")
    url, status, html = browser.open("/login", {"csrf_token": token, "email": email, "password": password})
    if status != 200 or urlsplit(url).path == "/login" or not browser.is_signed_in():
        flashed = re.search(r'class="[^"]*alert[^"]*"[^>]*>\s*([^<]+)', html)
        raise SignInFailed(f"sign-in as {email} refused: {flashed.group(1).strip() if flashed else status}")
    return browser
