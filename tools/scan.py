"""Scan the running app with Debian's wapiti and sqlmap (``make scan``); see docs/SECURITY.md, Scanners.

    .venv/bin/python tools/scan.py [--database-url postgresql://...  [--reset]] [--reports DIR]

The demo is seeded into a fresh SQLite file in a temp folder (or the PostgreSQL database given
by ``--database-url`` / ``SCAN_DATABASE_URL``: an empty one, or ``--reset`` to drop its schema
first), served on 127.0.0.1 at a free port (``tools/scan_server.py``), and scanned signed in
as worker@demo.org. As root the scan runs in a network namespace of its own with only a
loopback interface, so no request can leave the machine whatever a tool does; PostgreSQL is
then reached through its Unix socket. The bounds: wapiti's crawl and each of its modules, each
sqlmap target, and ``--minutes`` for everything. Reports go to ``scan-reports/<time>/``
(git-ignored); ``summary.md`` there is what docs/SECURITY.md quotes. Exit status 1 when a
scanner found something high, an HTTP 500 was served, or the session did not hold.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
sys.path.insert(0, str(TOOLS))

from scan_report import Results, write_summary  # noqa: E402
from scan_session import SignInFailed, checked_value, sign_in  # noqa: E402
from scan_tools import WAPITI_MODULES, prepare_wapiti_config, sqlmap_command, targets, wapiti_command  # noqa: E402

WORKER, PASSWORD = "worker@demo.org", "demo-password"
FEATURED_CLIENT = "Samira Nouri"
PG_SOCKET_DIR = "/var/run/postgresql"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("SCAN_DATABASE_URL"), help="PostgreSQL instead of SQLite")
    parser.add_argument("--reset", action="store_true", help="drop schema public of that database first")
    parser.add_argument("--reports", type=Path, help="default: scan-reports/<UTC time>/")
    parser.add_argument("--crawl-seconds", type=int, default=120, help="wapiti's crawl")
    parser.add_argument("--attack-seconds", type=int, default=45, help="each wapiti module")
    parser.add_argument("--param-seconds", type=int, default=30, help="each sqlmap target: this per parameter, plus one")
    parser.add_argument("--minutes", type=float, default=19, help="the whole scan")
    parser.add_argument("--only", choices=("wapiti", "sqlmap"))
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)  # already in the namespace
    return parser.parse_args(argv)


def ensure_tools():
    """Install Debian's wapiti and sqlmap when absent (as .ci/run does for chromium)."""
    missing = [tool for tool in ("wapiti", "sqlmap") if shutil.which(tool) is None]
    if missing:
        print("Installing Debian's", " and ".join(missing), flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env, stdout=subprocess.DEVNULL)


def can_isolate():
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0


def through_socket(url):
    """A PostgreSQL URL on 127.0.0.1/localhost, to its Unix socket (the namespace has its own loopback)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres") or parts.hostname not in ("127.0.0.1", "localhost") or "host=" in parts.query:
        return url
    user = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    query = "&".join(filter(None, (parts.query, f"host={PG_SOCKET_DIR}")))
    return urlunsplit((parts.scheme, user, parts.path, query, ""))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare_database(args, work):
    """The app's environment with a freshly migrated and seeded database."""
    url = args.database_url or "sqlite:///" + str(work / "scan.sqlite3")
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "UPLOAD_FOLDER": str(work / "uploads")}
    if args.database_url:
        empty_postgres(url, args.reset)
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for command in (["init-db"], ["seed-demo"]):
        done = subprocess.run(flask + command, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"flask {command[0]} failed:\n{done.stdout}{done.stderr}")
    return env


def empty_postgres(url, reset):
    """Refuse a database that has tables, unless ``--reset`` (then drop its schema public)."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine, inspect, text

    import config

    engine = create_engine(config.database_url(url))
    with engine.begin() as connection:
        if reset:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        elif inspect(connection).get_table_names():
            sys.exit(f"{url} has tables: give an empty database, or --reset to drop its schema public")
    engine.dispose()


def start_server(env, port, log_path):
    log = open(log_path, "w")  # open for the server's whole life
    command = [sys.executable, str(TOOLS / "scan_server.py"), str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/"
    for _ in range(60):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, base_url
        except OSError:
            if server.poll() is not None:
                sys.exit(f"the scan server stopped: see {log_path}")
            time.sleep(0.5)
    sys.exit(f"the scan server did not start: see {log_path}")


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def run_logged(command, log_path, timeout):
    """Run a tool with its output in ``log_path``: ``(seconds, stopped by the time limit)``."""
    started = time.monotonic()
    with open(log_path, "w") as log:
        tool = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            tool.wait(timeout)
        except subprocess.TimeoutExpired:
            stop(tool)
            return time.monotonic() - started, True
    return time.monotonic() - started, False


def run_wapiti(base_url, args, reports, results):
    browser = sign_in(base_url, WORKER, PASSWORD)
    work = reports / "wapiti"
    prepare_wapiti_config(work)
    browser.write_wapiti_cookies(work / "cookies.json")
    command = wapiti_command(base_url, work / "cookies.json", work, args.crawl_seconds, args.attack_seconds)
    modules = len(WAPITI_MODULES.split(","))
    limit = min(results.remaining(), args.crawl_seconds + modules * args.attack_seconds + 180)
    seconds, stopped = run_logged(command, work / "wapiti.log", limit)
    results.add_wapiti(work, seconds, stopped, browser.is_signed_in())


def target_session(base_url, target):
    """A fresh signed-in session for one target (the registration form needs the privacy consent)."""
    browser = sign_in(base_url, WORKER, PASSWORD)
    if target.consent:
        accept_privacy_statement(browser)
    return browser, browser.csrf_token("/admin/")


def accept_privacy_statement(browser):
    token = browser.csrf_token("/admin/register/")
    browser.open("/admin/register/consent/", {"csrf_token": token, "decision": "accept", "lang": "en"})


def run_sqlmap(base_url, ids, args, reports, results):
    dbms = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    work = reports / "sqlmap"
    work.mkdir(parents=True, exist_ok=True)
    for target in targets(*ids):
        limit = min(target.seconds(args.param_seconds), results.remaining())
        if limit < 20:
            results.add_sqlmap(target, None, 0, True, True)
            continue
        browser, token = target_session(base_url, target)
        command = sqlmap_command(target, base_url, browser.cookie_header(), token, dbms, work, timeout=10)
        seconds, stopped = run_logged(command, work / f"{target.name}.log", limit)
        results.add_sqlmap(target, (work / f"{target.name}.log").read_text(), seconds, stopped, browser.is_signed_in())


def demo_ids(base_url):
    """The featured client's id and the worker's registration site, read from the pages."""
    browser = sign_in(base_url, WORKER, PASSWORD)
    _, _, html = browser.open("/admin/find-client/?q=" + FEATURED_CLIENT.replace(" ", "+"))
    client_id = re.search(r'href="/admin/clients/(\d+)/"', html).group(1)
    accept_privacy_statement(browser)
    _, _, html = browser.open("/admin/register/named/")
    return int(client_id), int(checked_value(html, "registration_site_id"))


def scan(args):
    started = time.monotonic()
    reports = (args.reports or ROOT / "scan-reports" / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")).resolve()
    reports.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocms-scan-") as temp:
        env = prepare_database(args, Path(temp))
        server, base_url = start_server(env, free_port(), reports / "server.log")
        results = Results(base_url, args, started + args.minutes * 60, isolated=args.inside)
        try:
            results.setup_seconds = time.monotonic() - started
            if args.only != "sqlmap":
                run_wapiti(base_url, args, reports, results)
            if args.only != "wapiti":
                run_sqlmap(base_url, demo_ids(base_url), args, reports, results)
        except SignInFailed as error:
            results.problems.append(str(error))
        finally:
            stop(server)
    results.total_seconds = time.monotonic() - started
    summary = write_summary(results, reports)
    print(summary)
    print(f"Reports: {reports}")
    return 1 if results.problems else 0


def main(argv):
    args = parse_args(argv)
    if not args.inside:
        ensure_tools()
        if can_isolate():
            inner = [sys.executable, str(Path(__file__).resolve()), "--inside", *argv]
            os.execvp("unshare", ["unshare", "--net", "--", *inner])
        print("No network namespace (not root, or no unshare): the scan is kept on 127.0.0.1 by its options only")
    else:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        args.database_url = args.database_url and through_socket(args.database_url)
    return scan(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
