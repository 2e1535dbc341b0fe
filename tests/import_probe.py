"""Import each project module alone, in a fresh process of its own (run by ``test_imports.py``).

Reads ``{"preload": [...], "modules": [...]}`` as JSON on stdin and writes ``{module: null or
failure}`` as JSON on stdout. This parent interpreter imports only the third-party modules the
project uses (never a project module: it refuses to go on if one got loaded); every module is
then imported by a child forked from it, so each child starts with no project module loaded
and no project code ever run, as a new interpreter would, without paying ~1 s of Flask,
SQLAlchemy and Alembic imports per module. Children run in parallel, one per core.
"""

import importlib
import json
import os
import re
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTIAL = re.compile(r"partially initialized module '([\w.]+)'")


def preload(names, project_tops):
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # an optional dependency missing here: the child will say so if it matters
            pass
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in project_tops)
    if loaded:
        raise SystemExit(f"preloading third-party modules loaded project modules: {loaded}")


def import_chain(error):
    """The project modules whose top level was running when the import failed, outermost first."""
    chain = []
    for frame, _ in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_name == "<module>" and frame.f_code.co_filename.startswith(ROOT + os.sep):
            chain.append(frame.f_globals.get("__name__"))
    return chain


def failure(error):
    """What went wrong: the message, the import chain and, for a cycle, the cycle itself."""
    chain, found = import_chain(error), PARTIAL.search(str(error))
    partial = found.group(1) if found else None
    cycle = chain[chain.index(partial) :] + [partial] if partial in chain else None
    return {"error": f"{type(error).__name__}: {error}"[:2000], "chain": chain, "cycle": cycle}


def child(name, out_path):
    """In the forked child: import ``name``, write the outcome, leave without cleanup handlers."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    result = None
    try:
        importlib.import_module(name)
    except BaseException as error:
        result = failure(error)
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    os._exit(0)


def run_all(modules, workers):
    results, running = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        pending = list(enumerate(modules))
        while pending or running:
            while pending and len(running) < workers:
                index, name = pending.pop(0)
                out_path = os.path.join(folder, f"{index}.json")
                pid = os.fork()
                if pid == 0:
                    child(name, out_path)
                running[pid] = (name, out_path)
            pid, status = os.wait()
            name, out_path = running.pop(pid)
            results[name] = read_result(out_path, status)
    return results


def read_result(out_path, status):
    try:
        with open(out_path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {"error": f"the child process died (wait status {status})", "chain": [], "cycle": None}


def main():
    sys.path[0] = ROOT  # the project, not tests/, as when the app runs
    request = json.load(sys.stdin)
    preload(request["preload"], {name.split(".")[0] for name in request["modules"]})
    results = run_all(request["modules"], max(1, os.cpu_count() or 1))
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
