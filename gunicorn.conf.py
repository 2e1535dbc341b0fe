"""gunicorn in production (``make serve``; docs/SCALING.md). Every value can be overridden from
the environment (``GUNICORN_WORKERS=8 make serve``) or on gunicorn's command line.

State shared between workers lives in the database, never in a worker: sessions are signed
cookies, the sign-in throttle counts rows of ``sign_in_attempts``, the notification outbox is
claimed with ``FOR UPDATE SKIP LOCKED`` and CSRF tokens are tied to the session. Any number of
workers, on one host or several behind a proxy, therefore see the same limits."""

import gc
import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Requests wait on PostgreSQL more than on the CPU: a few threads per process, two processes a core.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Streamed exports and the web client import run longer than gunicorn's 30 s default.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 300))
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then, so that no slow leak grows without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"

# Single-use links (password resets, portal invitations) carry their token in the path: a path
# segment of 32 or more URL-safe characters is logged as [token], in the request line, the path
# and the referrer (the page a link opened sends it to the next request of the same site).
TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{32,}(?=[/?#\s]|$)")
REDACTED_ATOMS = ("r", "U", "f", "{referer}i")


class TokenRedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in REDACTED_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = TOKEN_SEGMENT.sub("[token]", atoms[key])
        return atoms


logger_class = TokenRedactingLogger
wsgi_app = "app:create_app()"


def post_worker_init(worker):
    """The worker has loaded the app: its modules, word lists and fonts live as long as the worker.
    Frozen (``gc.freeze``), they are out of the garbage collector's walks, which a request making
    many objects (a contact list of 14,000 clients) otherwise pays for: about a third of its time."""
    gc.freeze()
