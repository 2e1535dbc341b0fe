"""What a scan found, gathered from the tools' reports and the server's log, as ``summary.md``
and ``summary.json`` in the reports folder (``tools/scan.py``)."""

import glob
import json
import re
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

from scan_server import GUARD_LOG
from scan_tools import sqlmap_notes, sqlmap_verdict, wapiti_findings

HIGH_LEVEL = 3  # wapiti's levels: 1 low, 2 medium, 3 high, 4 critical
ACCESS_LINE = re.compile(r'"(GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|TRACE|[A-Z]+) (\S+) HTTP/[\d.]+" (\d{3}) ')
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # werkzeug colours the status codes
EXCEPTION_LINE = re.compile(r"Exception on (\S+) \[(\w+)\]")


def tool_version(command):
    """The first version number the tool prints (``3.0.4``, ``1.7.2#stable``)."""
    output = subprocess.run(command, capture_output=True, text=True).stdout
    found = re.search(r"\d+\.\d+(\.\d+)*(#\w+)?", output)
    return found.group(0) if found else "unknown"


class Results:
    """Everything the scan measured; ``problems`` makes the exit status 1."""

    def __init__(self, base_url, args, deadline, isolated):
        self.base_url, self.args, self.deadline, self.isolated = base_url, args, deadline, isolated
        self.setup_seconds = self.total_seconds = 0.0
        self.wapiti, self.sqlmap, self.problems = None, [], []

    def remaining(self):
        return max(0.0, self.deadline - time.monotonic())

    def add_wapiti(self, work, seconds, stopped, session_held):
        report = work / "wapiti.json"
        findings = wapiti_findings(report) if report.exists() else []
        levels = wapiti_levels(report) if report.exists() else {}
        self.wapiti = {
            "seconds": round(seconds),
            "stopped by the time limit": stopped,
            "session held": session_held,
            "crawl": wapiti_crawl(work / "session"),
            "findings": [[levels.get((f[1], f[2], f[3], f[4]), 0), *f] for f in findings],
        }
        self.problems += [f"wapiti: {f[2]} on {f[3]} [{f[4]}]" for f in self.wapiti["findings"] if is_high(f)]
        if not session_held:
            self.problems.append("wapiti: the session did not hold (signed out during the scan)")
        if not report.exists():
            self.problems.append("wapiti: no report (stopped by the time limit?)")

    def add_sqlmap(self, target, output, seconds, stopped, session_held):
        verdict = "not run (time budget)" if output is None else sqlmap_verdict(output, target.params)
        self.sqlmap.append(
            {
                "target": target.name,
                "method": target.method,
                "path": target.path,
                "params": target.params,
                "why": target.why,
                "verdict": verdict + (" (stopped by the time limit)" if stopped and output is not None else ""),
                "seconds": round(seconds),
                "session held": session_held,
                "notes": sqlmap_notes(output or ""),
            }
        )
        if verdict == "injectable":
            self.problems.append(f"sqlmap: {target.name} is injectable")
        if not session_held:
            self.problems.append(f"sqlmap: the session did not hold on {target.name}")


def is_high(finding):
    level, kind, category = finding[:3]
    return (kind == "vulnerabilities" and level >= HIGH_LEVEL) or category == "Internal Server Error"


def wapiti_levels(report_path):
    report = json.loads(Path(report_path).read_text())
    return {
        (category, item["path"], item["parameter"], item["info"]): int(item.get("level") or 0)
        for kind in ("vulnerabilities", "anomalies")
        for category, items in report.get(kind, {}).items()
        for item in items
    }


def wapiti_crawl(session_folder):
    """What wapiti crawled and attacked, from its session database."""
    databases = glob.glob(str(session_folder / "*.db"))
    if not databases:
        return {}
    with sqlite3.connect(databases[0]) as connection:
        methods = dict(connection.execute("SELECT method, COUNT(*) FROM paths WHERE evil = 0 GROUP BY method"))
        attacked = dict(connection.execute("SELECT module_name, COUNT(*) FROM attack_log GROUP BY module_name"))
        distinct = connection.execute("SELECT COUNT(DISTINCT path) FROM paths WHERE evil = 0").fetchone()[0]
    return {"resources": methods, "distinct URLs": distinct, "attacked per module": attacked}


def server_figures(log_path):
    """Requests by status, the guard's refusals, and every HTTP 500 with its exception."""
    text = ANSI_COLOUR.sub("", Path(log_path).read_text(errors="replace"))
    statuses = Counter(match.group(3) for match in ACCESS_LINE.finditer(text))
    guarded = Counter(re.sub(r"/\d+/", "/<id>/", line.split()[-1]) for line in text.splitlines() if line.startswith(GUARD_LOG))
    errors = Counter()
    for block in text.split("Exception on ")[1:]:
        lines = ("Exception on " + block).splitlines()
        where = EXCEPTION_LINE.match(lines[0])
        last = next((line for line in reversed(lines) if re.match(r"^[\w.]+(Error|Exception|Violation)\b", line)), "?")
        errors[f"{where.group(2)} {where.group(1).split('?')[0]}: {last}" if where else last] += 1
    return {"requests": sum(statuses.values()), "statuses": dict(sorted(statuses.items())), "guard": guarded, "500s": errors}


def write_summary(results, reports):
    """Write summary.json and summary.md; return the Markdown."""
    server = server_figures(reports / "server.log")
    if server["statuses"].get("500"):
        results.problems.append(f"server: {server['statuses']['500']} HTTP 500 responses")
    data = {
        "tools": {"wapiti": tool_version(["wapiti", "--version"]), "sqlmap": tool_version(["sqlmap", "--version"])},
        "target": results.base_url,
        "database": "PostgreSQL" if (results.args.database_url or "").startswith("postgres") else "SQLite",
        "network namespace": results.isolated,
        "seconds": {"setup": round(results.setup_seconds), "total": round(results.total_seconds)},
        "wapiti": results.wapiti,
        "sqlmap": results.sqlmap,
        "server": {**server, "guard": dict(server["guard"]), "500s": dict(server["500s"])},
        "problems": results.problems,
    }
    (reports / "summary.json").write_text(json.dumps(data, indent=1))
    markdown = "\n".join(summary_lines(data)) + "\n"
    (reports / "summary.md").write_text(markdown)
    return markdown


def summary_lines(data):
    yield f"# Scan of {data['target']} ({data['database']})"
    yield ""
    tools = data["tools"]
    yield f"- Tools: wapiti {tools['wapiti']}, sqlmap {tools['sqlmap']}; network namespace: {data['network namespace']}"
    yield f"- Seconds: setup {data['seconds']['setup']}, total {data['seconds']['total']}"
    yield f"- Problems: {len(data['problems'])}" + "".join(f"\n  - {problem}" for problem in data["problems"])
    yield from wapiti_lines(data["wapiti"])
    yield from sqlmap_lines(data["sqlmap"])
    server = data["server"]
    yield ""
    yield f"## Server: {server['requests']} requests, by status {server['statuses']}"
    yield f"- Refused by the scan guard: {server['guard'] or 'none'}"
    yield "- HTTP 500: " + ("none" if not server["500s"] else "".join(f"\n  - {k} (x{n})" for k, n in server["500s"].items()))


def wapiti_lines(wapiti):
    if wapiti is None:
        return
    yield ""
    stopped, held = wapiti["stopped by the time limit"], wapiti["session held"]
    yield f"## wapiti: {wapiti['seconds']} s, stopped by the limit: {stopped}, session held: {held}"
    yield f"- Crawl: {wapiti['crawl']}"
    yield "- Findings (level, category: path [parameter] info, how many; ids shown as <id>):"
    grouped = Counter(
        (level, category, re.sub(r"/\d+/", "/<id>/", path), parameter, info[:160])
        for level, _, category, path, parameter, info in wapiti["findings"]
    )
    for (level, category, path, parameter, info), count in sorted(grouped.items()):
        yield f"  - {level} {category}: {path} [{parameter}] {info} (x{count})"


def sqlmap_lines(runs):
    if not runs:
        return
    yield ""
    yield "## sqlmap"
    yield ""
    yield "| target | method | parameters | verdict | s | session held |"
    yield "| --- | --- | --- | --- | ---: | --- |"
    for run in runs:
        cells = (run["target"], run["method"], run["params"], run["verdict"], run["seconds"], run["session held"])
        yield "| " + " | ".join(map(str, cells)) + " |"
    for run in runs:
        yield from (f"- {run['target']}: {note[:200]}" for note in run["notes"] if "do not appear to be injectable" not in note)
