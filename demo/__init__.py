"""Demo data for ``flask --app app seed-demo``: idempotent, run under ``ALL_AGENCIES``."""

from demo.access_rules import seed_access_examples
from demo.agencies import DEMO_PASSWORD, seed_agencies
from demo.clients import seed_clients
from demo.icare import seed_icare
from demo.jobs import seed_jobs
from demo.mentors import seed_mentors
from demo.notifications import seed_notifications
from demo.plans import seed_plans_demo
from demo.portal import PORTAL_LOGINS, seed_portal
from demo.referrals import seed_referrals_demo
from demo.sessions import seed_sessions

DEMO_LOGINS = (
    ("admin@demo.org", "agency admin"),
    ("coordinator@demo.org", "coordinator, manager of the three workers"),
    ("worker@demo.org", "worker, Settlement Services (author of the demo's private notes)"),
    ("worker2@demo.org", "worker, Employment Services (another program)"),
    ("worker3@demo.org", "worker, Settlement Services (same program, not the author)"),
    ("admin@other.org", "agency admin of another agency"),
)


def seed_demo():
    """Create whatever part of the demo is missing; later features add their own steps here."""
    seed_agencies()
    seed_clients("DEMO", target=200)
    seed_clients("OTHER", target=12, seed=11)
    seed_sessions("DEMO")
    seed_sessions("OTHER", per_type=2, seed=5)
    seed_access_examples("DEMO")
    seed_referrals_demo()
    seed_plans_demo()
    seed_notifications("DEMO")
    seed_icare("DEMO")
    seed_mentors("DEMO")
    seed_jobs("DEMO")
    seed_jobs("OTHER")
    seed_portal("DEMO")


__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "PORTAL_LOGINS", "seed_demo"]
