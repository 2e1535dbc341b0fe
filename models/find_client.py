"""Find a client: ``find_clients()`` reads the search box, runs index-backed candidate
queries and ranks what they found in Python.

The trigram index (FTS5 ``clients_fts`` on SQLite, pg_trgm ``ix_clients_search_trgm`` on
PostgreSQL) only narrows ``clients.search_text``: every statement here is an ORM select on
``Client``, so the tenancy hook adds the current agency to it (the FTS5 table appears only in
a subquery or join; on PostgreSQL ``client_ids_matching_words()`` applies the same rule).
Registration number, phone, email and date of birth use their own indexes; text is searched
as substrings, then whole words or consonant skeletons (see ``text_levels``), each query
capped at ``CANDIDATES`` rows. When that finds fewer than asked, a typo pass fetches named
clients holding, for every query word, a likely-intact piece of it (SQLite) or one of its
close spellings among the agency's name words (PostgreSQL). RapidFuzz then ranks the
candidates against their names. docs/SEARCH.md has the whole picture.
"""

import json
import re
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz
from sqlalchemy import Text, cast, column, false, func, literal, or_, select, table
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import joinedload

from extensions import db
from models.clients import Client, ClientAssignment
from models.search_text import MIN_SKELETON, email_key, ends_in_vowel, normalise, phone_digits, skeleton

CANDIDATES = 200  # rows one candidate query may return
CLIENTS_FTS = table("clients_fts", column("rowid"), column("rank"), column("clients_fts"))
CANDIDATE_COLUMNS = (Client.id, Client.first_name, Client.last_name, Client.preferred_name)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REGISTRATION = re.compile(r"^c?(\d{1,9})$")
PHONE_LIKE = re.compile(r"^[\d\s().+-]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_LIKE = re.compile(r"^[a-z][a-z._-]*$")
MIN_PHONE_DIGITS = 7
MAX_QUERY_LENGTH, MAX_TOKENS = 200, 8  # longer input is cut: one query, not a denial of service
MIN_TRIGRAM = 3  # trigram indexes need 3+ characters; shorter tokens match whole words
MIN_HALVES = 6  # a word this long is looked up by its halves when misspelt
FUZZY_RATIO = 75  # RapidFuzz ratio a misspelt name token needs to count as a match
SPELLINGS = 12  # name words close to a misspelt token that the PostgreSQL typo pass looks up
# Scores of one query token against a name: the same name, the same name spelt another way
# (85-95 by spelling), then the start of a longer name (Hassani for "hassan" ranks after Hasan).
EXACT, SOUNDS_ALIKE, PREFIX = 100, 85, 84


@dataclass(frozen=True)
class FindOptions:
    """The "Additional options" that narrow a search (``None``: any)."""

    gender: str | None = None
    dob_from: date | None = None
    dob_to: date | None = None
    immigration_status: str | None = None
    registration_site_id: int | None = None
    staff_id: int | None = None
    language: str | None = None
    include_archived: bool = False

    @property
    def narrows(self):
        """Whether any option besides "include archived" is set."""
        return any(getattr(self, f.name) not in (None, "") for f in fields(self) if f.name != "include_archived")


@dataclass(frozen=True)
class SearchPlan:
    """What a query asks for: text tokens and, when it looks like one, a phone number,
    a date of birth or a registration number."""

    tokens: tuple = ()
    names: tuple = ()  # the tokens that can be (part of) a name: fuzzy matching and ranking use them
    phone: str = ""
    email: str = ""
    date_of_birth: date | None = None
    client_id: int | None = None

    def __bool__(self):
        return bool(self.tokens or self.phone or self.email or self.date_of_birth or self.client_id)


def find_clients(query, options=None, *, limit=50, ids_only=False, **option_values):
    """Clients of the current agency matching ``query`` and the options, best first, with
    their registration site and assigned staff loaded (``ids_only``: just their ids, nothing
    loaded). The options are a ``FindOptions`` or its fields as keywords
    (``find_clients("ali", include_archived=True)``)."""
    ids = _ranked_ids(query, options or FindOptions(**option_values), limit)
    return ids if ids_only else _load(ids)


def _ranked_ids(query, options, limit):
    plan = parse_query(query)
    if not plan:
        return _listing_ids(options, limit) if options.narrows else []
    found = _exact_candidates(plan, options, limit)
    if len(found) < limit and fuzzy_tokens(plan):
        found |= _fuzzy_candidates(plan, options)
    ranked = sorted(found.values(), key=lambda row: rank_key(name_scores(plan, *row[1:]), row.last_name, row.first_name))
    return [row.id for row in ranked[:limit]]


def _exact_candidates(plan, options, limit):
    """Rows found by registration number, phone, email or date of birth (their own indexes),
    and by text: substrings first; whole words too when that hit the cap (so exact names are
    among the candidates), sounds-alike too when it found fewer than ``limit``. A whole email
    address that its index finds needs no text search."""
    clauses = [Client.id == plan.client_id] if plan.client_id else []
    clauses += [Client.phone_digits == plan.phone] if plan.phone else []
    clauses += [Client.email_key == plan.email] if plan.email else []
    clauses += [Client.date_of_birth == plan.date_of_birth] if plan.date_of_birth else []
    found = {row.id: row for clause in clauses for row in _rows(select(*CANDIDATE_COLUMNS).where(clause), options)}
    if plan.email and found:
        return found
    words, substrings, alike = text_levels(plan)
    by_substring = _rows(_text_query(substrings), options) if substrings else []
    if len(by_substring) >= CANDIDATES and searched_tokens(plan) != plan.tokens:  # common without its short words
        words, substrings, alike = text_levels(plan, every_token=True)
        by_substring = _rows(_text_query(substrings), options)
    found |= {row.id: row for row in by_substring if has_short_words(plan, row)}
    wider = words if len(by_substring) >= CANDIDATES else alike if len(found) < limit else None
    if wider:
        found |= {row.id: row for row in _rows(_text_query(wider), options) if has_short_words(plan, row)}
    return found


def _fuzzy_candidates(plan, options):
    """Named clients that share trigrams with the query's name tokens and spell close to it."""
    tokens = fuzzy_tokens(plan)
    query = _fuzzy_query_sqlite(tokens) if _dialect() == "sqlite" else _fuzzy_query_postgresql(tokens)
    rows = _rows(query.where(Client.kind == "named"), options)
    return {row.id: row for row in rows if is_fuzzy_match(name_scores(plan, *row[1:]))}


def _rows(query, options):
    """Run one scoped candidate query with the options applied, capped."""
    return db.session.execute(query.where(*option_filters(options)).limit(CANDIDATES)).all()


def _listing_ids(options, limit):
    """Options without a query: the matching clients in name order."""
    query = select(Client.id).where(*option_filters(options)).order_by(Client.last_name, Client.first_name, Client.id)
    return list(db.session.scalars(query.limit(limit)))


def _load(ids):
    """Full clients for the result list, in the given order, without N+1 queries."""
    if not ids:
        return []
    query = (
        select(Client)
        .where(Client.id.in_(ids))
        .options(
            joinedload(Client.registration_site),
            joinedload(Client.assignments).joinedload(ClientAssignment.staff),
        )
    )
    clients = {client.id: client for client in db.session.scalars(query).unique()}
    return [clients[client_id] for client_id in ids if client_id in clients]


def option_filters(options):
    """WHERE clauses for the additional options; archived clients only when asked."""
    filters = [] if options.include_archived else [Client.is_archived == false()]  # "= false", which an index can serve
    equal = {
        Client.gender: options.gender,
        Client.immigration_status: options.immigration_status,
        Client.registration_site_id: options.registration_site_id,
    }
    filters += [col == value for col, value in equal.items() if value not in (None, "")]
    filters += [Client.date_of_birth >= options.dob_from] if options.dob_from else []
    filters += [Client.date_of_birth <= options.dob_to] if options.dob_to else []
    filters += [Client.assignments.any(ClientAssignment.staff_id == options.staff_id)] if options.staff_id else []
    filters += [_speaks(options.language)] if options.language else []
    return filters


def _speaks(language):
    """First language, or one of the other languages (a JSON list, matched as its JSON text)."""
    others = cast(Client.other_languages, Text).contains(json.dumps(language), autoescape=True)
    return or_(Client.first_language == language, others)


def _dialect():
    return db.session.get_bind().dialect.name


def _text_query(level):
    """Candidate rows for one text level (see ``text_levels``)."""
    if _dialect() == "sqlite":
        match = " OR ".join("(" + " AND ".join(map(_any_of, alternative)) + ")" for alternative in level)
        fts = CLIENTS_FTS
        return select(*CANDIDATE_COLUMNS).where(Client.id.in_(select(fts.c.rowid).where(fts.c.clients_fts.op("MATCH")(match))))
    return select(*CANDIDATE_COLUMNS).where(or_(*map(_matching_all, level)))


def _matching_all(alternative):
    """``search_text`` holds a pattern of every tuple of ``alternative``: one call of
    ``client_ids_matching_words()``, which looks whole words (padded with spaces) up in the
    GIN index of ``clients.name_words`` (one posting list each) and substrings in the
    trigram index, all in one bitmap scan (row-level security keeps the planner from using
    either index on ``clients`` itself; the function applies the same agency rule, see its
    migration, f7a2c9d4e1b8)."""
    groups = ["|".join(patterns) for patterns in alternative]
    matching = func.client_ids_matching_words(literal(groups, ARRAY(Text)), CANDIDATES * 5)
    return Client.id.in_(select(matching))


def _any_of(patterns):
    return "(" + " OR ".join(map(_phrase, patterns)) + ")"


def _phrase(pattern):
    """An FTS5 phrase: with the trigram tokenizer it matches ``pattern`` as a substring."""
    return '"' + pattern.replace('"', '""') + '"'


def _fts_ranked(match):
    """Candidate columns for one FTS5 MATCH expression, the best (bm25) first."""
    fts = CLIENTS_FTS
    query = select(*CANDIDATE_COLUMNS).join(fts, fts.c.rowid == Client.id)
    return query.where(fts.c.clients_fts.op("MATCH")(match)).order_by(fts.c.rank)


def _fuzzy_query_sqlite(tokens):
    """Rows holding a likely-intact piece of every token, the best-matching (bm25) first."""
    return _fts_ranked(" AND ".join(_any_of(fuzzy_pieces(token)) for token in tokens))


def _fuzzy_query_postgresql(tokens):
    """Rows holding, for every token, one of its likely spellings as a whole word: the
    agency's name words close to it by trigrams (``client_name_words_like()`` over the
    dictionary of name words, a few thousand rows), the token itself and its skeleton.
    (Measured at 1,000,000 clients: looking up pieces of each word instead, such as
    ``'% ha%'``, matched 190,000 rows for one piece.)"""
    return select(*CANDIDATE_COLUMNS).where(_matching_all([_spellings(token) for token in tokens]))


def _spellings(token):
    """Whole-word patterns of the token's likely spellings (see ``_fuzzy_query_postgresql``)."""
    close = db.session.scalars(select(func.client_name_words_like(token, SPELLINGS))).all()
    words = [word for word in close if fuzz.ratio(token, word) >= FUZZY_RATIO - 5]
    return tuple(dict.fromkeys([f" {token} ", *(f" {word} " for word in words), *_sounds_alike(token)]))


# --- Reading a query and ranking what it found (no database) ------------------------------------


def parse_query(query):
    """Read the search box: normalised tokens plus phone, email, ISO date or registration number."""
    raw = (query or "").strip()[:MAX_QUERY_LENGTH]
    digits = phone_digits(raw) if PHONE_LIKE.match(raw) else ""
    registration = REGISTRATION.match(raw.lower())
    tokens = tuple(dict.fromkeys(normalise(raw).split()))[:MAX_TOKENS]
    return SearchPlan(
        tokens=tokens,
        names=tuple(token for token in tokens if NAME_LIKE.match(token)),
        phone=digits if len(digits) >= MIN_PHONE_DIGITS and not ISO_DATE.match(raw) else "",
        email=email_key(raw) if EMAIL.match(raw) else "",
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


def text_levels(plan, every_token=False):
    """Text searches of growing width: ``(words, substrings, alike)``, ``None`` for one
    that would repeat a narrower one. Each is a list of alternatives; an alternative a list
    of pattern tuples, one per query token, and a row matches when ``search_text`` holds one
    pattern of every tuple (patterns padded with spaces are whole words). ``words``: every
    token as a whole word; ``substrings``: as a substring (3+ characters), or a phone
    number's bare digits; ``alike``: also the token's consonant skeleton. Short tokens are
    left out beside longer ones unless ``every_token`` (see ``searched_tokens``)."""
    if not plan.tokens:
        return None, None, None
    if plan.phone or plan.date_of_birth:  # its digit groups as words would match most rows
        return None, ([[(plan.phone,)]] if plan.phone else None), None
    tokens = plan.tokens if every_token else searched_tokens(plan)
    words = [[(f" {token} ",) for token in tokens]]
    substrings = [[_substring(token) for token in tokens]]
    alike = [[(*_substring(token), *_sounds_alike(token)) for token in tokens]]
    return (words if words != substrings else None), substrings, (alike if alike != substrings[:1] else None)


def searched_tokens(plan):
    """The tokens the text search asks the index for: the short ones (Li, An) only when
    nothing longer was typed. Their whole-word trigrams ('  a', ' an') match most rows, so
    beside a longer word they are checked against the candidates' names instead
    (``has_short_words``)."""
    return tuple(token for token in plan.tokens if len(token) >= MIN_TRIGRAM) or plan.tokens


def has_short_words(plan, row):
    """Whether a text candidate has each short query token as a whole word of its names."""
    short = [token for token in plan.tokens if len(token) < MIN_TRIGRAM]
    if not short or len(short) == len(plan.tokens):
        return True
    names = {word for name in (row.first_name, row.last_name, row.preferred_name) for word in name_keys(name or "")[0]}
    return all(token in names for token in short)


def _substring(token):
    return (token,) if len(token) >= MIN_TRIGRAM else (f" {token} ",)


def _sounds_alike(token):
    key = skeleton(token) if NAME_LIKE.match(token) else ""
    return (f" {key} ",) if len(key) >= MIN_SKELETON and key != token else ()


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
    key, vowel_end = name_keys(token)[1][0], ends_in_vowel(token)
    alike = [
        name
        for name, name_key in zip(names, keys, strict=True)
        if name_key == key and len(key) >= MIN_SKELETON and ends_in_vowel(name) == vowel_end
    ]
    if alike:  # 85-95 by spelling: Mohammed before Mohamud for "mohamed"
        return SOUNDS_ALIKE + max(fuzz.ratio(token, name) for name in alike) / 10
    if any(name.startswith(token) for name in names):
        return PREFIX
    return min(PREFIX, max((fuzz.ratio(token, name) for name in names), default=0))


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
