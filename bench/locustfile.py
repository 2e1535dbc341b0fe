"""What one member of staff does all day, for locust (run by bench/load_test.py, which writes the
accounts and sample clients to the file named by LOAD_TEST_DATA). Each simulated person signs in
with an account of their own (the sign-in throttle counts per account), then, in this mix:
finds clients, opens client dashboards and a tab, records a direct service with a client and a
form, opens the clients, sessions and forms grids, and runs a report."""

import itertools
import json
import os
import random
import re
from datetime import date

from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DATA = json.loads(open(os.environ["LOAD_TEST_DATA"]).read())
ACCOUNTS = itertools.count()
THINK = tuple(map(float, os.environ.get("LOAD_TEST_THINK", "3 10").split()))  # seconds between two steps
REPORTS = os.environ.get("LOAD_TEST_REPORTS", "1") == "1"  # --no-reports: the step passes, nothing is asked
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIRST_OPTION = r'<select[^>]*name="{name}"[^>]*>.*?<option[^>]*value="(\d+)"'
SELECT_BLOCK = r'<select[^>]*name="{name}"[^>]*>(.*?)</select>'
OPTION = re.compile(r"<option([^>]*)>")
VALUE = re.compile(r'value="(\d+)"')
TABS = ("overview", "history", "notes", "referrals")


def csrf_token(response):
    found = CSRF.search(response.text)
    return found.group(1) if found else ""


def first_option(html, name):
    found = re.search(FIRST_OPTION.format(name=name), html, re.S)
    return found.group(1) if found else ""


def selected_option(html, name):
    """The option the page chose (the wizard names the signed-in person as the lead), else the first."""
    block = re.search(SELECT_BLOCK.format(name=name), html, re.S)
    options = [VALUE.search(attributes) and attributes for attributes in OPTION.findall(block.group(1))] if block else []
    chosen = [a for a in options if a and "selected" in a] or [a for a in options if a]
    return VALUE.search(chosen[0]).group(1) if chosen else ""


class Staff(HttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        # A browser asks again, once, when the server closed an idle kept-alive connection just as a
        # page was asked for on it (gunicorn's keepalive is shorter than a person's pause): so here
        # (GET only, connection errors only; a status or a slow answer is never retried).
        retry = Retry(total=1, connect=1, read=1, status=0, allowed_methods={"GET"}, raise_on_status=False)
        self.client.mount("http://", HTTPAdapter(max_retries=retry))
        email = DATA["emails"][next(ACCOUNTS) % len(DATA["emails"])]
        page = self.client.get("/login", name="sign-in page")
        data = {"email": email, "password": DATA["password"], "csrf_token": csrf_token(page)}
        with self.client.post("/login", data=data, name="sign in", catch_response=True) as response:
            if "/login" in response.url:
                response.failure(f"{email} could not sign in")

    def client_row(self):
        return random.choice(DATA["clients"])

    @task(4)
    def find_a_client(self):
        query = random.choice((self.client_row()["name"], self.client_row()["last_name"]))
        self.client.get("/admin/find-client/", params={"q": query}, name="find a client")

    @task(3)
    def client_dashboard(self):
        client_id = self.client_row()["id"]
        self.client.get(f"/admin/clients/{client_id}/", name="client dashboard")
        self.client.get(f"/admin/clients/{client_id}/", params={"tab": random.choice(TABS)}, name="dashboard tab")

    @task(2)
    def grids(self):
        path = random.choice(("/admin/clients/", "/admin/sessions/", "/admin/service-forms/"))
        self.client.get(path, name=f"grid {path.split('/')[2]}")

    @task(1)
    def report(self):
        if REPORTS:
            self.client.get("/admin/reports/clients_served/", name="report")

    @task(1)
    def record_a_session(self):
        """The wizard's direct service, a client on it, then an Information & Orientation form."""
        wizard = self.client.get("/admin/sessions/new/", name="session wizard")
        form = {
            "csrf_token": csrf_token(wizard),
            "session_type": "direct",
            "service_date": date.today().isoformat(),
            "site_id": first_option(wizard.text, "site_id"),
            "lead_staff_id": selected_option(wizard.text, "lead_staff_id"),
            "delivery_method": "In Person",
            "at_point_of_entry": "no",
            "interpreter_present": "no",
            "interpreters": "0",
            "hours": "0",
            "minutes": "30",
            "languages": ["English"],
            "funder_ids": [first_option(wizard.text, "funder_ids")],
        }
        with self.client.post("/admin/sessions/new/", data=form, name="save session", catch_response=True) as saved:
            found = re.search(r"/admin/sessions/edit/\?id=(\d+)", saved.url)
            if not found:
                saved.failure("the session was not saved")
                return
        session_id = found.group(1)
        token = csrf_token(saved)
        client_id = self.client_row()["id"]
        self.client.post(
            f"/admin/sessions/{session_id}/clients/", data={"client_id": client_id, "csrf_token": token}, name="add client"
        )
        self.client.post(
            f"/admin/sessions/{session_id}/forms/",
            data={"kind": "io", "client_id": client_id, "csrf_token": token},
            name="add form",
        )
