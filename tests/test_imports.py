"""Every module imports on its own, and imports only rise through the floors.

Floors, bottom up: helpers and the service-form catalogue (which needs no model), models,
exports and demo data, pages (admin views and custom pages), the CLI, and ``app.py`` at the
top, imported by nothing. A module may import its own floor or lower ones, never a higher one.
The floor check reads every import in a module, function-level ones included (a late import
is still a dependency); the cycle check reads module-level imports, the ones that run when
the module is imported.
"""

import ast
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("imports")  # one worker builds the module's fresh imports

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_FOLDERS = {"tests", "migrations", "bench", "docs", "static", "templates", "reference_data", "instance"}
FLOORS = {
    "config": 0,
    "extensions": 0,
    "validation": 0,
    "service_forms": 0,
    "career_documents": 0,  # resumes and cover letters described as data, and their builder's checks
    "models": 1,
    "exports": 2,
    "reports": 2,
    "demo": 2,
    "admin_views": 3,
    "custom_pages": 3,
    "portal": 3,  # the client portal blueprint: pages
    "i18n": 3,
    "commands": 4,
    "app": 5,
}


def module_files():
    """``{module name: path}`` for the top-level .py files and every package, recursively."""
    # (a name with a dot is no module: gunicorn.conf.py is gunicorn's settings file, read by gunicorn)
    found = {path.stem: path for path in ROOT.glob("*.py") if "." not in path.stem}
    for init in sorted(ROOT.glob("*/**/__init__.py")):
        package = init.parent
        top = package.relative_to(ROOT).parts[0]
        if top in SKIPPED_FOLDERS or top.startswith("."):
            continue
        for path in package.glob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = module_files()


@cache
def parsed(name):
    return ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))


def imported_names(node, module):
    """Dotted names an import statement loads (``import a.b`` loads ``a`` and ``a.b``)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
            package = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
            base = f"{package}.{base}" if base else package
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    loaded = set()
    for name in names:
        parts = name.split(".")
        loaded.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return loaded


def imports(module, module_level_only):
    """Every dotted name ``module`` imports (``module_level_only``: not inside functions)."""
    tree = parsed(module)
    nodes = module_level_nodes(tree) if module_level_only else ast.walk(tree)
    names = set()
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= imported_names(node, module)
    return names


def module_level_nodes(tree):
    """Statements that run at import: the module body and its if/try/with blocks, not functions."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))


def project_edges(module):
    """Project modules ``module`` runs when imported; its own packages are already running."""
    own_packages = {".".join(module.split(".")[: i + 1]) for i in range(module.count(".") + 1)}
    return sorted(name for name in imports(module, True) if name in MODULES and name not in own_packages)


def third_party_modules():
    tops = {name.split(".")[0] for name in MODULES}
    names = set().union(*(imports(module, False) for module in MODULES))
    return sorted(name for name in names if name.split(".")[0] not in tops)


@pytest.fixture(scope="module")
def fresh_imports():
    """Each module imported alone in a process of its own (see ``import_probe.py``)."""
    request = json.dumps({"preload": third_party_modules(), "modules": sorted(MODULES)})
    probe = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "import_probe.py")],
        input=request,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,  # ~40 s on a quiet machine; a loaded one (a parallel run) takes many times that
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_alone(fresh_imports, module):
    result = fresh_imports[module]
    if result and result["cycle"]:
        pytest.fail(f"import cycle: {' -> '.join(result['cycle'])} ({result['error']})")
    assert result is None, f"{result['error']} (while importing {' -> '.join(result['chain'])})"


def find_cycle(graph):
    """One cycle of the directed graph as a list of nodes (first = last), or ``None``."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        path.append(node)
        for target in graph.get(node, ()):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target, path)):
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node, [])):
            return cycle
    return None


def test_module_level_imports_have_no_cycle():
    """Stricter than importing each module alone: a cycle that happens to import in one order
    (``from package import module`` finds a half-run module) still fails here."""
    cycle = find_cycle({module: project_edges(module) for module in MODULES})
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def floor_of(module):
    return FLOORS.get(module.split(".")[0])


def test_every_module_has_a_floor():
    assert sorted({m.split(".")[0] for m in MODULES if floor_of(m) is None}) == []


def test_no_module_imports_a_higher_floor():
    upward = [
        f"{module} (floor {floor_of(module)}) imports {name} (floor {floor_of(name)})"
        for module in sorted(MODULES)
        for name in sorted(imports(module, False))
        if name in MODULES and None not in (floor_of(name), floor_of(module)) and floor_of(name) > floor_of(module)
    ]
    assert upward == []


def test_nothing_imports_app():
    assert [module for module in MODULES if "app" in imports(module, False)] == []


def test_admin_views_package_only_registers_views():
    """``admin_views/__init__.py`` imports its views inside ``init_admin``: importing
    ``admin_views.base`` (as custom pages do) must not pull every page in."""
    pages = [name for name in imports("admin_views", True) if name in MODULES and floor_of(name) == FLOORS["admin_views"]]
    assert pages == []


def test_the_walk_finds_the_project():
    assert {"app", "models", "models.service_sessions", "service_forms.catalogue", "admin_views.base"} <= set(MODULES)
    assert not any(name.split(".")[0] in SKIPPED_FOLDERS for name in MODULES)


LOADED_WHEN_USED = ("fpdf", "zxcvbn", "openpyxl")  # 38 MiB of a fresh process (bench/README.md)


def test_the_heavy_libraries_load_when_first_used():
    """A worker that never prints a PDF, checks a password or reads a spreadsheet does not hold
    fpdf2, zxcvbn's word lists or openpyxl: ``create_app()`` and the code it imports leave them
    to the function that needs them."""
    script = (
        "import sys; from app import create_app; create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
        f"print(','.join(name for name in {LOADED_WHEN_USED!r} if name in sys.modules))"
    )
    probe = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == ""
