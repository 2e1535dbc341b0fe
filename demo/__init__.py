"""Demo data for ``flask --app app seed-demo``: idempotent, run under ``ALL_AGENCIES``."""
from demo.agencies import DEMO_PASSWORD, seed_agencies


def seed_demo():
    """Create whatever part of the demo is missing; later features add their own steps here."""
    seed_agencies()


__all__ = ["DEMO_PASSWORD", "seed_demo"]
