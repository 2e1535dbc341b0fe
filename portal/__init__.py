"""The client portal: clients' own sign-in and pages at ``/portal/`` (``docs/PORTAL.md``)."""

from portal import documents, eap, files, jobs, language, pages, plan, sign_in, training  # noqa: F401 - the routes register on import
from portal.blueprint import bp
from portal.sessions import SplitSessionInterface


def init_app(app):
    """The portal's own session cookie, and its pages."""
    app.session_interface = SplitSessionInterface()
    app.register_blueprint(bp)


__all__ = ["bp", "init_app"]
