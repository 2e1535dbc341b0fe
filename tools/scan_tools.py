"""wapiti and sqlmap against the scan server: their command lines, targets and results.

Every command stays on loopback: the target is the scan server's base URL, and wapiti's own
outside helpers are switched off (see ``wapiti_command``). ``tools/scan.py`` runs them.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from scan_session import USER_AGENT, require_loopback

# Debian's wapiti 3.0.4 modules, less those that reach outside the machine or lock accounts:
# ssrf and xxe call an outside endpoint, wapp and nikto download databases, brute_login_form
# would trip the sign-in throttle, buster is a long brute force of file names, shellshock is for
# CGI scripts.
WAPITI_MODULES = "backup,blindsql,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,sql,xss"
LEVELS = {"GET": ("3", "2"), "POST": ("3", "1")}  # sqlmap (--level, --risk): no OR payloads on writes


def wapiti_command(base_url, cookie_file, work, crawl_seconds, attack_seconds):
    """wapiti over the whole site from the home page, signed in through ``cookie_file``.

    Its only outside calls are kept on loopback: the endpoint (used by ssrf/xxe, not loaded)
    points at the discard port, bug reports are off, and ``prepare_wapiti_config`` gives it the
    local Wappalyzer file it would otherwise download when it loads its modules."""
    require_loopback(base_url)
    return [
        *("wapiti", "-u", base_url, "-s", base_url + "admin/", "--scope", "folder"),
        *("-c", str(cookie_file), "-A", USER_AGENT, "-m", WAPITI_MODULES),
        *("--max-scan-time", str(crawl_seconds), "--max-attack-time", str(attack_seconds)),
        *("--max-files-per-dir", "20", "-S", "sneaky", "-t", "10"),
        *("--endpoint", "http://127.0.0.1:9/", "--no-bugreport", "--flush-session", "--verify-ssl", "0"),
        *("--store-session", str(work / "session"), "--store-config", str(work / "config")),
        *("-f", "json", "-o", str(work / "wapiti.json"), "-v", "1"),
    ]


def prepare_wapiti_config(work):
    """wapiti downloads the Wappalyzer database whenever ``apps.json`` is missing, even with
    the module off: an empty one keeps it local."""
    config = work / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "apps.json").write_text("{}")


def wapiti_findings(report_path):
    """``[(kind, category, path, parameter, info)]`` from wapiti's JSON report."""
    report = json.loads(Path(report_path).read_text())
    findings = []
    for kind in ("vulnerabilities", "anomalies"):
        for category, items in report.get(kind, {}).items():
            findings += [(kind, category, item["path"], item["parameter"], item["info"]) for item in items]
    return findings


@dataclass(frozen=True)
class Target:
    """One sqlmap run: a page, the parameters to inject, and why it is worth it."""

    name: str
    method: str
    path: str
    params: str
    fields: tuple = ()  # POST: (name, value) pairs, the CSRF token added when it runs
    consent: bool = False  # the registration pages need the privacy statement accepted first
    why: str = ""

    def url(self, base_url):
        return base_url.rstrip("/") + self.path

    def seconds(self, per_param):
        """A time limit that grows with the number of parameters."""
        return per_param * (len(self.params.split(",")) + 1)

    def data(self, token):
        return urlencode([*self.fields, ("csrf_token", token)]) if self.method == "POST" else None


def targets(client_id, site_id):
    """The sqlmap targets for the demo's featured client and the worker's site."""
    named = (
        *(("first_name", "Amani"), ("last_name", "Okonkwo"), ("date_of_birth", "1991-04-12"), ("gender", "Female")),
        *(("phone", "(647) 555-0142"), ("has_email", "yes"), ("email", "amani.o@example.com")),
        *(("postal_code", "M6H 1V9"), ("registration_site_id", str(site_id)), ("official_language", "English")),
        *(("first_language", "Arabic"), ("country_of_birth", "Syria"), ("immigration_status", "Refugee Claimant")),
        *(("arrival_date", "2024-02-01"), ("research_consent", "yes"), ("family_code", ""), ("comments", "")),
    )
    find = "/admin/find-client/?q=Samira&gender=&dob_from=&immigration_status=&site=&worker=&language="
    return (
        Target("find-client", "GET", find, "q,dob_from,site,worker,language", why="FTS5 / pg_trgm search, custom SQL"),
        Target(
            "client-grid",
            "GET",
            "/admin/clients/?search=nouri&sort=2&page=0&flt0_0=3&flt1_5=1:Yes",
            "search,sort,page,flt0_0,flt1_5",
            why="Flask-Admin search, sort, paging; the assigned-worker and agency-answer filters are ours",
        ),
        Target(
            "registration",
            "POST",
            "/admin/register/named/",
            "first_name,last_name,date_of_birth,phone,email,family_code",
            named,
            consent=True,
            why="a write; names, birth date and phone feed the duplicate search",
        ),
        Target(
            "note-add",
            "POST",
            f"/admin/clients/{client_id}/notes/",
            "body,program_id",
            (("body", "Called about housing."), ("program_id", "")),
            why="a write: text and a program id",
        ),
        Target(
            "service-form-grid",
            "GET",
            "/admin/service-forms/?flt0_6=1:Yes&flt1_5=2020-01-01+to+2030-12-31&flt2_0=io",
            "flt0_6,flt1_5,flt2_0",
            why="agency-answer filter on JSON answers, date range, form kind",
        ),
        Target(
            "session-grid",
            "GET",
            "/admin/sessions/?flt0_4=2020-01-01+to+2030-12-31&flt1_3=direct&sort=1",
            "flt0_4,flt1_3,sort",
            why="date range and session type filters",
        ),
        Target("session-wizard", "GET", f"/admin/sessions/new/?client_id={client_id}", "client_id", why="id into a lookup"),
        Target(
            "family-of",
            "GET",
            f"/admin/register/named/?family_of={client_id}",
            "family_of",
            consent=True,
            why="id into a lookup",
        ),
    )


def sqlmap_command(target, base_url, cookie, token, dbms, work, timeout):
    """sqlmap on one target, non-interactive, the cookie replayed as given (``--drop-set-cookie``:
    every request starts from the same signed-in session, with the privacy consent given)."""
    level, risk = LEVELS[target.method]
    command = [
        *("sqlmap", "-u", require_loopback(target.url(base_url)), "-p", target.params, "--batch"),
        *("--cookie", cookie, "--drop-set-cookie", "--user-agent", USER_AGENT, "--dbms", dbms),
        *("--level", level, "--risk", risk, "--text-only", "--time-sec", "2", "--timeout", str(timeout)),
        *("--retries", "1", "--skip-waf", "--flush-session", "--disable-coloring", "--output-dir", str(work)),
    ]
    if target.method == "POST":  # the token stays valid for the session the cookie holds
        command += ["--data", target.data(token), "--answers", "resend original POST data=N"]
    return command


INJECTABLE = re.compile(r"parameter '[^']+' (is|appears to be) .*injectable|sqlmap identified the following injection")
CLEARED = re.compile(r"parameter '([^']+)' does not seem to be injectable")


def sqlmap_verdict(output, params):
    """``injectable``, ``not injectable``, or which parameters were cleared before sqlmap stopped."""
    if INJECTABLE.search(output):
        return "injectable"
    cleared = set(CLEARED.findall(output))
    missing = [param for param in params.split(",") if param not in cleared]
    if not missing:
        return "not injectable"
    if not cleared:
        return "not tested"
    return f"not injectable: {len(cleared)} of {len(cleared) + len(missing)} (not reached: {', '.join(missing)})"


def sqlmap_notes(output):
    """sqlmap's warnings that matter when reading the verdict (500s, unstable pages, stops)."""
    keep = re.compile(r"\[(CRITICAL|ERROR)\]|HTTP error codes|Internal Server Error|might be injectable|is vulnerable")
    return [line.strip() for line in output.splitlines() if keep.search(line)][:12]
