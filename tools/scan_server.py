"""Serve the app on loopback for the scanners, with sign-out and deletions refused.

    .venv/bin/python tools/scan_server.py PORT

The configuration comes from the environment as for ``flask run`` (``DATABASE_URL``,
``SECRET_KEY``, ``UPLOAD_FOLDER``; ``tools/scan.py`` sets them). A crawler submits every form it
finds, the sign-out button and the delete buttons included; ``ScanGuard`` answers 403 for those
before they reach the app, so the scan keeps its session and its data whatever the tools do
(Debian's wapiti 3.0.4 cannot take exclusions: ``-x`` fails on Python 3.11). Every other
request reaches the app unchanged.
"""

import os
import re
import sys

from werkzeug.serving import run_simple

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Sign-out, two-step changes, and every page that deletes, removes, archives or clears.
REFUSED = re.compile(
    r"^/(logout|two-step/(enable|disable))(/|$)"
    r"|/(delete|remove|archive|clear|unassign/\d+|action|withdraw)/?$"
)
GUARD_LOG = "scan-guard refused"


def is_refused(path):
    """Whether the guard keeps this path from the app (any method)."""
    return REFUSED.search(path) is not None


class ScanGuard:
    """WSGI middleware: 403 for the ``REFUSED`` paths, everything else to the app."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if is_refused(environ.get("PATH_INFO", "")):
            print(GUARD_LOG, environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), file=sys.stderr, flush=True)
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"Refused during the scan (sign-out or deletion).\n"]
        return self.app(environ, start_response)


def main(port):
    from app import create_app

    app = create_app()
    run_simple("127.0.0.1", port, ScanGuard(app), threaded=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
