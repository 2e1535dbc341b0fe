"""Likely duplicates of a profile about to be saved: same DOB with a similar name, or the
same phone, email or IRCC identifier. Every lookup uses an (agency, column) index."""

from flask_babel import lazy_gettext
from rapidfuzz import fuzz
from sqlalchemy import or_, select

from extensions import db
from models.clients import Client
from models.search_text import name_tokens, phone_digits, skeleton

SIMILAR_NAME = 80


def names_alike(a_first, a_last, b_first, b_last):
    """Similar spelling or the same transliteration skeletons, in any word order."""
    a, b = name_tokens(a_first, a_last), name_tokens(b_first, b_last)
    if fuzz.token_sort_ratio(" ".join(a), " ".join(b)) >= SIMILAR_NAME:
        return True
    return sorted(map(skeleton, a)) == sorted(map(skeleton, b))


def likely_duplicates(profile, exclude_id=None, limit=10):
    """``[(client, reasons)]`` for a dict-like profile with names, DOB, phone, email, IRCC id."""
    conditions = []
    if profile.get("date_of_birth"):
        conditions.append(Client.date_of_birth == profile["date_of_birth"])
    if phone_digits(profile.get("phone")):
        conditions.append(Client.phone_digits == phone_digits(profile["phone"]))
    if profile.get("email"):
        conditions.append(Client.email == profile["email"].lower())
    if profile.get("ircc_id_value"):
        conditions.append(Client.ircc_id_value == profile["ircc_id_value"])
    if not conditions:
        return []
    query = select(Client).where(Client.kind == "named", or_(*conditions))
    if exclude_id:
        query = query.where(Client.id != exclude_id)
    found = [(c, reasons(profile, c)) for c in db.session.scalars(query.limit(200))]
    return [(c, why) for c, why in found if why][:limit]


def reasons(profile, client):
    """Why ``client`` looks like the same person as ``profile`` (empty: it does not), each reason
    in the reader's language."""
    why = []
    same_dob = profile.get("date_of_birth") and client.date_of_birth == profile["date_of_birth"]
    if same_dob and names_alike(profile.get("first_name"), profile.get("last_name"), client.first_name, client.last_name):
        why.append(lazy_gettext("similar name and same date of birth"))
    if phone_digits(profile.get("phone")) and client.phone_digits == phone_digits(profile["phone"]):
        why.append(lazy_gettext("same phone number"))
    if profile.get("email") and (client.email or "").lower() == profile["email"].lower():
        why.append(lazy_gettext("same email"))
    if profile.get("ircc_id_value") and client.ircc_id_value == profile["ircc_id_value"]:
        why.append(lazy_gettext("same IRCC identifier"))
    return why
