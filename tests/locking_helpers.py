"""Helpers for the optimistic-locking tests: a second signed-in browser, and a page's form read
back as a browser would submit it (hidden version fields included)."""

from html.parser import HTMLParser

from tests.conftest import sign_in, text


def browser(app, email):
    """Another test client, signed in as ``email`` (a second person at another desk)."""
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 302 and "/login" not in response.location
    return client


class FormReader(HTMLParser):
    """The fields of the page's forms that post back to it (or to ``action``): what a browser sends."""

    def __init__(self, action=None):
        super().__init__()
        self.action, self.fields, self.inside, self.select, self.textarea = action, {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("method", "get").lower() == "post" and attrs.get("action") in (None, "", self.action)
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.setdefault(attrs["name"], []).append(attrs.get("value", "y" if attrs.get("type") else ""))
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.fields[self.textarea] = [""]
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.setdefault(self.select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:  # a browser drops the one line break that opens a textarea's content
            value = self.fields[self.textarea][0] + data
            self.fields[self.textarea][0] = value.removeprefix("\r\n").removeprefix("\n") if value.strip() else ""


def page_form(response, action=None):
    """``{name: value or [values]}`` of the page's own post form, as loaded."""
    reader = FormReader(action)
    reader.feed(text(response))
    return {name: values[0] if len(values) == 1 else values for name, values in reader.fields.items()}


def refused(response):
    """The page refused a stale save: it answered with the form again (no 500, no redirect)."""
    body = text(response)
    return response.status_code == 200 and "changed by someone else" in body and 'data-testid="stale-record"' in body
