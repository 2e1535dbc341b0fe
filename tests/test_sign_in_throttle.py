"""The sign-in throttle holds under parallel requests: each attempt is claimed (recorded as a
failure) before the password is checked, so requests made at the same moment count each other
and no more than SIGN_IN_MAX_FAILURES guesses are checked (PostgreSQL: real concurrent
transactions; SQLite serialises writers, so it cannot show a race)."""

import threading

import pytest
from sqlalchemy import func, select

from custom_pages.auth import BAD_CREDENTIALS
from extensions import db
from models import SignInAttempt, Staff
from tests.conftest import sign_in

pytestmark = pytest.mark.usefixtures("demo")
PARALLEL = 12


@pytest.fixture(autouse=True)
def postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs concurrent writers (PostgreSQL)")


def guess_at_once(app, email, count):
    """``count`` wrong passwords for ``email``, all sent at the same moment; the pages' texts."""
    start, pages = threading.Barrier(count), []

    def guess(n):
        client = app.test_client()
        start.wait()
        pages.append(sign_in(client, email, f"wrong-{n}").get_data(as_text=True))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return pages


def refused(page):
    return "Too many failed sign-in attempts" in page


@pytest.mark.parametrize("email", ["worker@demo.org", "nobody@demo.org"])
def test_parallel_guesses_check_no_more_passwords_than_the_limit(app, client, monkeypatch, email):
    """Two bursts of parallel guesses, then one at a time until refused: never more than the
    limit of guesses is checked, and then even the right password is refused."""
    checked = []
    original = Staff.check_password
    monkeypatch.setattr(Staff, "check_password", lambda self, password: checked.append(1) or original(self, password))
    limit = app.config["SIGN_IN_MAX_FAILURES"]
    pages = guess_at_once(app, email, PARALLEL) + guess_at_once(app, email, PARALLEL)
    assert len(pages) == 2 * PARALLEL and all(str(BAD_CREDENTIALS) in page or refused(page) for page in pages)
    wrong = sum(str(BAD_CREDENTIALS) in page for page in pages)
    assert wrong <= limit  # claims made at the same moment count each other: often fewer get through
    while not refused(sign_in(client, email, "wrong").get_data(as_text=True)):
        wrong += 1
        assert wrong <= limit, "a guess beyond the limit was checked"
    assert wrong == limit
    if email.startswith("worker"):
        assert len(checked) == limit
        assert refused(sign_in(client, email).get_data(as_text=True))
    with app.app_context():
        failures = db.session.scalar(select(func.count(SignInAttempt.id)).where(SignInAttempt.email == email))
    assert failures == limit  # refused claims are withdrawn: the lock-out ends on time
