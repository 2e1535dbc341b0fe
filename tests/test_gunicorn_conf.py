"""gunicorn.conf.py: its values load, and the access log never holds a single-use link's token."""

import gc
import runpy
import secrets
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def atoms_of(path, referer="-"):
    settings = runpy.run_path(str(CONF))
    logger = settings["logger_class"](Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    return logger.atoms(response, request, environ, timedelta(milliseconds=5))


def test_the_settings_load():
    settings = runpy.run_path(str(CONF))
    assert settings["worker_class"] == "gthread" and settings["wsgi_app"] == "app:create_app()"


def test_a_links_token_is_never_logged():
    token = secrets.token_urlsafe(32)  # as models/sign_in_links.py makes them
    for path in (f"/portal/accept/{token}", f"/portal/reset/{token}", f"/password-reset/{token}"):
        atoms = atoms_of(path, referer=f"https://ocms.example{path}")
        logged = " ".join(str(atoms[key]) for key in ("r", "U", "f", "{referer}i"))
        assert token not in logged and logged.count("[token]") == 4


def test_ordinary_paths_are_logged_as_they_are():
    atoms = atoms_of("/admin/clients/42/?tab=notes", referer="https://ocms.example/admin/find-client/?q=amina")
    assert atoms["r"] == "GET /admin/clients/42/?tab=notes HTTP/1.1" and atoms["U"] == "/admin/clients/42/"
    assert atoms["f"] == "https://ocms.example/admin/find-client/?q=amina"


def test_a_worker_freezes_the_loaded_app_out_of_the_garbage_collectors_walks():
    settings = runpy.run_path(str(CONF))
    assert "app:create_app()" == settings["wsgi_app"]
    gc.unfreeze()
    try:
        settings["post_worker_init"](SimpleNamespace())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
