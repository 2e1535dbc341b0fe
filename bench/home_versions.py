"""Two versions of the home page against one database, in the same run, requests alternated.

Serves the app from two source trees (e.g. this one and a worktree of the commit before a
change) on loopback ports, signs in on each as the same staff member, and alternates the
requests: ``GET /admin/`` on the old tree, ``GET /admin/`` on the new one, and the new page
followed by each of its dashboard panels' requests (what a browser asks for). Prints medians.

    .venv/bin/python bench/home_versions.py --old ../wt-base --database-url sqlite:////tmp/bench.sqlite3
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from demo import DEMO_PASSWORD  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVE = (
    "import sys; sys.path.insert(0, '.'); from app import create_app; "
    "create_app({{'SQLALCHEMY_DATABASE_URI': {url!r}, 'WTF_CSRF_ENABLED': False, 'SECRET_KEY': 'bench'}})"
    ".run(host='127.0.0.1', port={port}, threaded=False)"
)


def serve(tree, url, port):
    log = open(f"/tmp/home-bench-{port}.log", "w")  # noqa: SIM115 - the server's, for as long as it runs
    process = subprocess.Popen([sys.executable, "-c", SERVE.format(url=url, port=port)], cwd=tree, stderr=log)
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.3)
    raise RuntimeError(f"{tree} did not start")


def signed_in(port, email):
    browser = requests.Session()
    response = browser.post(f"http://127.0.0.1:{port}/login", data={"email": email, "password": DEMO_PASSWORD})
    assert "/login" not in response.url, "sign-in failed"
    return browser


def timed(browser, port, panels):
    start = time.perf_counter()
    page = browser.get(f"http://127.0.0.1:{port}/admin/")
    assert page.status_code == 200
    urls = re.findall(r'data-dashboard-panel="([^"]+)"', page.text) if panels else []
    for url in urls:
        assert browser.get(f"http://127.0.0.1:{port}{url}", headers={"X-Requested-With": "fetch"}).status_code == 200
    return (time.perf_counter() - start) * 1000


def compare(old, new, email, repeat):
    cases = {"old page": (old, False), "new page": (new, False), "new page + panels": (new, True)}
    browsers = {port: signed_in(port, email) for port in (old, new)}
    times = {name: [] for name in cases}
    for _ in range(repeat + 1):  # the first round warms up
        for name, (port, panels) in cases.items():
            times[name].append(timed(browsers[port], port, panels))
    old_median = statistics.median(times["old page"][1:])
    for name in cases:
        median = statistics.median(times[name][1:])
        print(f"{email:22} {name:18} {median:8.1f} ms {median / old_median:6.2f}x of the old page", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", required=True, help="the source tree of the version to compare with")
    parser.add_argument("--database-url", required=True, help="a database with the demo and seed-scale rows")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    servers = [serve(args.old, args.database_url, 5791), serve(HERE, args.database_url, 5792)]
    try:
        print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        for email in ("admin@demo.org", "coordinator@demo.org", "worker@demo.org"):
            compare(5791, 5792, email, args.repeat)
        print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    finally:
        for server in servers:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
