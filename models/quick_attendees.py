"""Quick (ad-hoc) attendees of a group activity: before a new client is made from a first and a
last name, the clients already registered under that name, found as find-a-client finds them
and kept when their names match as the duplicate check matches them."""

from models.client_duplicates import names_alike
from models.find_client import find_clients

CANDIDATES = 20


def clients_named(first_name, last_name, limit=5):
    """Named clients of the agency who are likely the person called ``first_name last_name``."""
    found = find_clients(f"{first_name} {last_name}", limit=CANDIDATES)
    alike = [c for c in found if c.kind == "named" and names_alike(first_name, last_name, c.first_name, c.last_name)]
    return alike[:limit]
