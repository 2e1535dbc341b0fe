"""Demo data for ``flask --app app seed-demo``: idempotent, run under ``ALL_AGENCIES``."""

from demo.access_rules import seed_access_examples
from demo.agencies import DEMO_PASSWORD, seed_agencies
from demo.clients import seed_clients
from demo.sessions import seed_sessions


def seed_demo():
    """Create whatever part of the demo is missing; later features add their own steps here."""
    seed_agencies()
    seed_clients("DEMO", target=200)
    seed_clients("OTHER", target=12, seed=11)
    seed_sessions("DEMO")
    seed_sessions("OTHER", per_type=2, seed=5)
    seed_access_examples("DEMO")


__all__ = ["DEMO_PASSWORD", "seed_demo"]
