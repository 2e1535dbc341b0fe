"""Search text: the normalisation behind find-a-client and the duplicate warning, and the
``clients.search_text`` column the write hook in ``models/clients.py`` keeps up to date.

A client's ``search_text`` holds, space-separated and padded with spaces: lower-cased,
accent-free, transliterated (unidecode) name tokens, a consonant "skeleton" of each name
token (so Mohammed, Muhammad and Mohamad share ``mhmd``, and the Arabic-script ``حداد`` and
Haddad share ``hd``: see ``models/transliteration.py``), email, phone digits, date of birth,
IRCC identifier, family code and comments. Anonymous clients carry only their comments (and
are found by registration number, which is their id). The column is indexed by trigrams (FTS5 on SQLite,
pg_trgm on PostgreSQL).
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar

from unidecode import unidecode

from models.transliteration import romanise_arabic

NON_WORD = re.compile(r"[^a-z0-9@._+-]+")
DIGITS = re.compile(r"\D+")
SKELETON_RULES = (("ph", "f"), ("x", "ks"), ("ck", "k"), ("q", "k"), ("kh", "k"), ("gh", "g"), ("w", "v"), ("z", "s"), ("c", "k"))
VOWELS = re.compile(r"[aeiouy]+")
MIN_SKELETON = 2  # shorter skeletons (Li, Le: "l") would match too many names
REPEATS = re.compile(r"(.)\1+")
FINAL_H = re.compile(r"(?<=[aeiouy])h$")
MEMO = ContextVar("search_text_memo", default=None)  # ({name: its tokens}, {token: skeleton}) within remembered()


@contextmanager
def remembered():
    """Within: ``name_tokens`` and ``skeleton`` remember their result for each name and token,
    in dicts of this one use, dropped at its end (an enclosing use's are shared). A client
    import normalises the same names over and over (in its duplicate comparisons, a few per
    row, and in every row's search text): the same results, sooner."""
    if MEMO.get() is not None:
        yield
        return
    token = MEMO.set(({}, {}))
    try:
        yield
    finally:
        MEMO.reset(token)


def normalise(text):
    """Lower-case ASCII words: accents dropped, other scripts transliterated (Arabic script
    with its long vowels, see ``romanise_arabic``; apostrophes, such as unidecode's soft sign
    in Мельник, dropped: Melnyk, O'Brien as obrien)."""
    latin = unidecode(romanise_arabic(text)).replace("'", "").replace("`", "")
    return " ".join(NON_WORD.sub(" ", latin.lower()).split())


def skeleton(token):
    """A spelling-insensitive key for a name token: first letter plus its consonants."""
    memo = MEMO.get()
    if memo is None:
        return skeleton_of(token)
    found = memo[1].get(token)
    if found is None:
        found = memo[1][token] = skeleton_of(token)
    return found


def skeleton_of(token):
    """``skeleton`` itself (never remembered)."""
    token = normalise(token).replace(" ", "")
    for old, new in SKELETON_RULES:
        token = token.replace(old, new)
    token = FINAL_H.sub("", REPEATS.sub(r"\1", token))
    return REPEATS.sub(r"\1", token[:1] + VOWELS.sub("", token[1:]))


def ends_in_vowel(token):
    """Whether a name token ends in a vowel sound (a final h after a vowel is silent): Hassan
    and Hasan are one name, Hassani (of Hassan) another, though their skeletons agree."""
    return bool(VOWELS.fullmatch(FINAL_H.sub("", token)[-1:]))


def phone_digits(phone):
    """National digits of a phone number (a leading country code 1 dropped)."""
    digits = DIGITS.sub("", phone or "")
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def email_key(email):
    """An email address as find-a-client looks it up: trimmed and lower-cased (``None``: none)."""
    return (email or "").strip().lower() or None


def name_tokens(*names):
    """The normalised words of ``names``, in order."""
    memo = MEMO.get()
    if memo is None:
        return [token for name in names for token in normalise(name).split()]
    found = []
    for name in names:
        tokens = memo[0].get(name)
        if tokens is None:
            tokens = memo[0][name] = tuple(normalise(name).split())
        found += tokens
    return found


def client_search_text(client):
    """The text find-a-client searches for one client (see the module docstring)."""
    parts = [normalise(client.comments)]
    if client.kind != "anonymous":  # None until the column default applies at insert
        tokens = name_tokens(client.first_name, client.last_name, client.preferred_name)
        parts += tokens + [key for key in map(skeleton, tokens) if len(key) >= MIN_SKELETON]
        parts += [normalise(client.email), phone_digits(client.phone)]
        parts += [normalise(client.ircc_id_value), normalise(client.family_code)]
        parts.append(client.date_of_birth.isoformat() if client.date_of_birth else "")
    return " " + " ".join(part for part in parts if part) + " "


def is_migration_only(obj, name, type_, reflected, compare_to):
    """Alembic ``include_object``: the search index (and, on PostgreSQL, the name-word
    dictionary of the typo pass and the ``clients.name_words`` array with its index) lives
    in a migration, not in the models; so do the reports' indexes (``ix_reports_*``: JSON
    expressions and a partial index, migrations/versions/b8e2c4d6f1a3_report_indexes_on_form_answers.py)."""
    if type_ == "table" and (name.startswith("clients_fts") or name == "client_name_words"):
        return False
    if type_ == "column" and name == "name_words" and getattr(getattr(obj, "table", None), "name", None) == "clients":
        return False
    if type_ == "index" and name and name.startswith("ix_reports_"):
        return False
    return not (type_ == "index" and name in ("ix_clients_search_trgm", "ix_clients_name_words"))
