"""Text normalisation behind find-a-client and the duplicate warning.

A client's ``search_text`` holds, space-separated and padded with spaces: lower-cased,
accent-free, transliterated (unidecode) name tokens, a consonant "skeleton" of each name
token (so Mohammed, Muhammad and Mohamad share ``mhmd``), email, phone digits, date of birth,
IRCC identifier, family code and comments. Anonymous clients carry only their comments (and
are found by registration number, which is their id). The column is indexed by trigrams (FTS5 on SQLite,
pg_trgm on PostgreSQL).
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz
from unidecode import unidecode

NON_WORD = re.compile(r"[^a-z0-9@._+-]+")
DIGITS = re.compile(r"\D+")
SKELETON_RULES = (("ph", "f"), ("x", "ks"), ("ck", "k"), ("q", "k"), ("kh", "k"), ("gh", "g"), ("w", "v"), ("z", "s"), ("c", "k"))
VOWELS = re.compile(r"[aeiouy]+")
REPEATS = re.compile(r"(.)\1+")
FINAL_H = re.compile(r"(?<=[aeiouy])h$")


def normalise(text):
    """Lower-case ASCII words: accents dropped, other scripts transliterated."""
    return " ".join(NON_WORD.sub(" ", unidecode(text or "").lower()).split())


def skeleton(token):
    """A spelling-insensitive key for a name token: first letter plus its consonants."""
    token = normalise(token).replace(" ", "")
    for old, new in SKELETON_RULES:
        token = token.replace(old, new)
    token = FINAL_H.sub("", REPEATS.sub(r"\1", token))
    return REPEATS.sub(r"\1", token[:1] + VOWELS.sub("", token[1:]))


def phone_digits(phone):
    """National digits of a phone number (a leading country code 1 dropped)."""
    digits = DIGITS.sub("", phone or "")
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def name_tokens(*names):
    return [token for name in names for token in normalise(name).split()]


def registration_number(client_id):
    return f"C{client_id:06d}" if client_id else ""


def client_search_text(client):
    """The text find-a-client searches for one client (see the module docstring)."""
    parts = [normalise(client.comments)]
    if client.kind != "anonymous":  # None until the column default applies at insert
        tokens = name_tokens(client.first_name, client.last_name, client.preferred_name)
        parts += tokens + [key for key in map(skeleton, tokens) if len(key) >= 3]
        parts += [normalise(client.email), phone_digits(client.phone)]
        parts += [normalise(client.ircc_id_value), normalise(client.family_code)]
        parts.append(client.date_of_birth.isoformat() if client.date_of_birth else "")
    return " " + " ".join(part for part in parts if part) + " "


def is_migration_only(obj, name, type_, reflected, compare_to):
    """Alembic ``include_object``: the search index lives in a migration, not in the models."""
    if type_ == "table" and name.startswith("clients_fts"):
        return False
    return not (type_ == "index" and name == "ix_clients_search_trgm")


# --- Find a client: reading a query and ranking what it found --------------------------------
# The database side (index-backed candidate queries, ``find_clients``) is models/client_finder.py.


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REGISTRATION = re.compile(r"^c?(\d{1,9})$")
PHONE_LIKE = re.compile(r"^[\d\s().+-]+$")
NAME_LIKE = re.compile(r"^[a-z][a-z._-]*$")
MIN_PHONE_DIGITS = 7
MAX_QUERY_LENGTH, MAX_TOKENS = 200, 8  # longer input is cut: one query, not a denial of service
MIN_TRIGRAM = 3  # trigram indexes need 3+ characters; shorter tokens match whole words
MIN_HALVES = 6  # a word this long is looked up by its halves when misspelt
FUZZY_RATIO = 75  # RapidFuzz ratio a misspelt name token needs to count as a match
EXACT, PREFIX, SOUNDS_ALIKE = 100, 95, 85


@dataclass(frozen=True)
class SearchPlan:
    """What a query asks for: text tokens and, when it looks like one, a phone number,
    a date of birth or a registration number."""

    tokens: tuple = ()
    names: tuple = ()  # the tokens that can be (part of) a name: fuzzy matching and ranking use them
    phone: str = ""
    date_of_birth: date | None = None
    client_id: int | None = None

    def __bool__(self):
        return bool(self.tokens or self.phone or self.date_of_birth or self.client_id)


def parse_query(query):
    """Read the search box: normalised tokens plus phone, ISO date or registration number."""
    raw = (query or "").strip()[:MAX_QUERY_LENGTH]
    digits = phone_digits(raw) if PHONE_LIKE.match(raw) else ""
    registration = REGISTRATION.match(raw.lower())
    tokens = tuple(dict.fromkeys(normalise(raw).split()))[:MAX_TOKENS]
    return SearchPlan(
        tokens=tokens,
        names=tuple(token for token in tokens if NAME_LIKE.match(token)),
        phone=digits if len(digits) >= MIN_PHONE_DIGITS and not ISO_DATE.match(raw) else "",
        date_of_birth=parse_iso_date(raw),
        client_id=int(registration.group(1)) if registration and int(registration.group(1)) else None,
    )


def parse_iso_date(text):
    if not ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def text_levels(plan):
    """Text searches of growing width: ``(words, substrings, alike)``, ``None`` for one
    that would repeat a narrower one. Each is a list of alternatives; an alternative a list
    of pattern tuples, one per query token, and a row matches when ``search_text`` holds one
    pattern of every tuple (patterns padded with spaces are whole words). ``words``: every
    token as a whole word; ``substrings``: as a substring (3+ characters), or a phone
    number's bare digits; ``alike``: also the token's consonant skeleton."""
    if not plan.tokens:
        return None, None, None
    words = [[(f" {token} ",) for token in plan.tokens]]
    substrings = [[_substring(token) for token in plan.tokens], *([[(plan.phone,)]] if plan.phone else [])]
    alike = [[(*_substring(token), *_sounds_alike(token)) for token in plan.tokens]]
    return (words if words != substrings else None), substrings, (alike if alike != substrings[:1] else None)


def _substring(token):
    return (token,) if len(token) >= MIN_TRIGRAM else (f" {token} ",)


def _sounds_alike(token):
    key = skeleton(token) if NAME_LIKE.match(token) else ""
    return (f" {key} ",) if len(key) >= MIN_TRIGRAM and key != token else ()


def fuzzy_tokens(plan):
    """Name tokens long enough to look up by trigrams when spelt wrong."""
    return [token for token in plan.names if len(token) >= MIN_TRIGRAM]


def fuzzy_pieces(token):
    """Parts of a word that a misspelling of it most likely keeps: with one typo, one half
    is intact (with its word boundary); a short word gets its trigrams instead. Plus the
    word's skeleton, for a misspelt transliteration."""
    word = f" {token} "
    if len(token) >= MIN_HALVES:
        half = len(word) // 2
        return [word[:half], word[half:], *_sounds_alike(token)]
    return [word[i : i + 3] for i in range(len(word) - 2)] + list(_sounds_alike(token))


@lru_cache(maxsize=65536)
def name_keys(name):
    """A name's normalised tokens and their skeletons (cached: ranking asks for them often)."""
    tokens = tuple(normalise(name).split())
    return tokens, tuple(skeleton(token) for token in tokens)


def token_score(token, names, keys):
    """How well one query token matches the best of a client's name tokens (0-100)."""
    if token in names:
        return EXACT
    if any(name.startswith(token) for name in names):
        return PREFIX
    key = name_keys(token)[1][0]
    alike = [name for name, name_key in zip(names, keys, strict=True) if name_key == key and len(key) >= MIN_TRIGRAM]
    if alike:  # 85-95 by spelling: Mohammed before Mohamud for "mohamed"
        return SOUNDS_ALIKE + max(fuzz.ratio(token, name) for name in alike) / 10
    return max((fuzz.ratio(token, name) for name in names), default=0)


def name_scores(plan, first_name, last_name, preferred_name):
    """Scores of the query's name tokens against one client's names (empty: no name tokens)."""
    names, keys = (), ()
    for name in (first_name, last_name, preferred_name):
        tokens, skeletons = name_keys(name or "")
        names, keys = names + tokens, keys + skeletons
    return [token_score(token, names, keys) for token in plan.names]


def is_fuzzy_match(scores):
    """A misspelt query matches when every name token comes close to one of the names."""
    return bool(scores) and min(scores) >= FUZZY_RATIO


def rank_key(scores, last_name, first_name):
    """Best first: every token an exact name, then by mean score, then alphabetically."""
    exact = bool(scores) and min(scores) == EXACT
    mean = sum(scores) / len(scores) if scores else 0
    return (not exact, -mean, name_keys(last_name or "")[0], name_keys(first_name or "")[0])
