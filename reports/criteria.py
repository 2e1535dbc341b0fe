"""What a report is asked for: the criteria, read from the query string and checked.

The URL holds the criteria (``?from=2026-01-01&to=2026-01-31&site=3&worker=7...``), so a report
can be bookmarked and shared. ``read_criteria`` never raises: it returns the criteria and a list
of plain messages; a report runs only when there is no message (never a silently wrong number).
Which ids are allowed (the viewer's sites, workers, programs...) is given by the caller, so an
unknown id and another agency's id get the same message.
"""

from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta

from flask_babel import gettext, lazy_gettext
from werkzeug.datastructures import MultiDict

from service_forms.labels import value_label

MAX_DAYS = 366 * 10  # a longer range is a typing mistake, not a report
EARLIEST = date(1950, 1, 1)
ID_LISTS = {"site": "sites", "worker": "workers", "program": "programs", "funder": "funders"}
TEXT_OPTIONS = ("gender", "immigration_status", "country_of_birth", "first_language", "postal_prefix", "answer")
NUMBER_OPTIONS = {"age_min": (0, 120), "age_max": (0, 120), "arrival_year": (1900, 2100), "question": (1, 2**31 - 1)}
CLIENT_OPTIONS = ("gender", "immigration_status", "age_min", "age_max", "country_of_birth", "first_language")
CLIENT_OPTIONS += ("arrival_year", "postal_prefix")
NAMED_BY = {**ID_LISTS, "session_type": "session_types", "question": "questions"}  # an ``Allowed`` list: {id: name}
VALUE_LISTS = {  # the text options stored as a value list's (English) values
    "gender": "genders",
    "immigration_status": "immigration_statuses",
    "country_of_birth": "countries",
    "first_language": "languages",
}
LABELS = {
    "from": lazy_gettext("From"),
    "to": lazy_gettext("To"),
    "site": lazy_gettext("Site"),
    "worker": lazy_gettext("Worker"),
    "program": lazy_gettext("Program"),
    "funder": lazy_gettext("Funder"),
    "session_type": lazy_gettext("Session type"),
    "gender": lazy_gettext("Gender"),
    "immigration_status": lazy_gettext("Immigration status"),
    "age_min": lazy_gettext("Age from"),
    "age_max": lazy_gettext("Age to"),
    "country_of_birth": lazy_gettext("Country of birth"),
    "first_language": lazy_gettext("First language"),
    "arrival_year": lazy_gettext("Arrival year"),
    "postal_prefix": lazy_gettext("Postal code starts with"),
    "question": lazy_gettext("Agency question"),
    "answer": lazy_gettext("Answer"),
}


@dataclass(frozen=True)
class Criteria:
    date_from: date
    date_to: date
    site: tuple = ()
    worker: tuple = ()
    program: tuple = ()
    funder: tuple = ()
    session_type: tuple = ()
    gender: str | None = None
    immigration_status: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    country_of_birth: str | None = None
    first_language: str | None = None
    arrival_year: int | None = None
    postal_prefix: str | None = None
    question: int | None = None
    answer: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def query_args(self):
        """The criteria as query-string pairs (the URL of this report)."""
        pairs = [("from", self.date_from.isoformat()), ("to", self.date_to.isoformat())]
        for f in fields(self):
            if f.name in ("date_from", "date_to", "extra"):
                continue
            value = getattr(self, f.name)
            values = value if isinstance(value, tuple) else (() if value is None else (value,))
            pairs += [(f.name, str(v)) for v in values]
        return pairs

    def given(self, allowed=None, taken=None):
        """``[(label, value)]`` of what was asked, for the page and the Criteria sheet: ids by
        their names (from ``allowed``), values of a value list in the interface's language;
        only the criteria in ``taken`` (a report's ``filters``) when given."""
        pairs = [(k, v) for k, v in self.query_args() if taken is None or k in taken]
        return [(LABELS[key], shown_value(key, value, allowed)) for key, value in pairs]

    def uses_client_options(self):
        return any(getattr(self, name) not in (None, "") for name in CLIENT_OPTIONS)


def shown_value(key, value, allowed):
    """A criterion's query-string value as the viewer reads it (as written when unknown)."""
    if key in NAMED_BY and allowed is not None:
        names = getattr(allowed, NAMED_BY[key])
        found = names.get(int(value) if value.isdecimal() else value)
        return value if found is None else str(found)
    return value_label(VALUE_LISTS[key], value) if key in VALUE_LISTS else value


@dataclass(frozen=True)
class Allowed:
    """The ids and values the viewer may ask for: ``{"sites": {id: name}, ...}``."""

    sites: dict
    workers: dict
    programs: dict
    funders: dict
    session_types: dict
    questions: dict = field(default_factory=dict)


def last_month(today):
    first_this = today.replace(day=1)
    end = first_this - timedelta(days=1)
    return end.replace(day=1), end


def this_month(today):
    return today.replace(day=1), today


def parse_date(text, label, problems):
    try:
        value = date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        problems.append(gettext("%(label)s: '%(text)s' is not a date; use YYYY-MM-DD.", label=label, text=text))
        return None
    if value < EARLIEST or value > date(2100, 12, 31):
        problems.append(
            gettext("%(label)s: %(date)s is outside the years reports cover (1950 to 2100).", label=label, date=value.isoformat())
        )
        return None
    return value


def read_dates(args, today, problems):
    default_from, default_to = last_month(today)
    date_from = parse_date(args["from"], LABELS["from"], problems) if args.get("from") else default_from
    date_to = parse_date(args["to"], LABELS["to"], problems) if args.get("to") else default_to
    if date_from and date_to:
        if date_to < date_from:
            problems.append(gettext("The date range is reversed: 'From' is after 'To'."))
        elif (date_to - date_from).days > MAX_DAYS:
            problems.append(gettext("The date range is longer than ten years: choose a shorter one."))
    return date_from or default_from, date_to or default_to


def read_ids(args, name, allowed, problems):
    values = []
    for raw in args.getlist(name):
        if raw == "":
            continue
        value = int(raw) if raw.isascii() and raw.isdecimal() and len(raw) < 11 else None
        if value is None or value not in allowed:
            problems.append(gettext("%(label)s: '%(value)s' is not one you can report on.", label=LABELS[name], value=raw))
        elif value not in values:
            values.append(value)
    return tuple(values)


def read_options(args, problems):
    options = {}
    for name in TEXT_OPTIONS:
        value = (args.get(name) or "").strip()
        if len(value) > 200:
            problems.append(gettext("%(label)s: too long.", label=LABELS[name]))
        elif value:
            options[name] = value
    for name, (low, high) in NUMBER_OPTIONS.items():
        raw = (args.get(name) or "").strip()
        if not raw:
            continue
        if not (raw.isascii() and raw.isdecimal() and len(raw) < 11 and low <= int(raw) <= high):
            problems.append(
                gettext(
                    "%(label)s: '%(value)s' is not a number from %(low)s to %(high)s.",
                    label=LABELS[name],
                    value=raw,
                    low=low,
                    high=high,
                )
            )
        else:
            options[name] = int(raw)
    if options.get("age_min") is not None and options.get("age_max") is not None and options["age_min"] > options["age_max"]:
        problems.append(gettext("The age range is reversed: 'Age from' is above 'Age to'."))
    return options


def read_criteria(args, allowed, today, default_site=None):
    """``(Criteria, problems)`` from a query string (a ``MultiDict``); defaults: last month and,
    when no criteria are given at all, the viewer's site (pass none for a report without a site
    criterion)."""
    problems = []
    date_from, date_to = read_dates(args, today, problems)
    ids = {name: read_ids(args, name, getattr(allowed, plural), problems) for name, plural in ID_LISTS.items()}
    if not args and default_site in allowed.sites:
        ids["site"] = (default_site,)
    types = []
    for raw in args.getlist("session_type"):
        if raw and raw not in allowed.session_types:
            problems.append(gettext("Session type: '%(value)s' is not one of the session types.", value=raw))
        elif raw and raw not in types:
            types.append(raw)
    options = read_options(args, problems)
    if options.get("question") is not None and options["question"] not in allowed.questions:
        problems.append(gettext("Agency question: '%(value)s' is not one of your agency's questions.", value=options["question"]))
    criteria = Criteria(date_from, date_to, session_type=tuple(types), **ids, **options)
    return criteria, problems


# A range is valid or not as a whole; an answer is one of its question's.
CHECKED_TOGETHER = (("from", "to"), ("age_min", "age_max"), ("question", "answer"))
LISTS = (*ID_LISTS, "session_type")


def criteria_groups():
    together = {name for names in CHECKED_TOGETHER for name in names}
    return CHECKED_TOGETHER + tuple((name,) for name in LABELS if name not in together)


def carried_parts(args):
    """``args`` cut into the parts checked on their own: a range, each value of a list, each
    other criterion; names criteria do not declare (a CSRF token, a typo) are left out."""
    given = [(k, v) for k, v in args.items(multi=True) if k in LABELS and v.strip()]
    parts = []
    for names in criteria_groups():
        found = [(k, v) for k, v in given if k in names]
        if names[0] in LISTS:
            parts += [MultiDict([pair]) for pair in found]
        elif found:
            parts.append(MultiDict(found))
    return parts


def carried(args, allowed, today):
    """The criteria of a report's query string that the next report starts with, as query
    pairs: only declared criteria, only valid values (an invalid one is dropped, never replaced
    by a default, so the next report never runs with what nobody asked)."""
    pairs = []
    for part in carried_parts(args):
        criteria, problems = read_criteria(part, allowed, today)
        if not problems:
            pairs += [(k, v) for k, v in criteria.query_args() if k in part]
    if not any(k == "question" for k, _v in pairs):  # an answer means nothing without its question
        pairs = [(k, v) for k, v in pairs if k != "answer"]
    order = list(LABELS)
    return sorted(dict.fromkeys(pairs), key=lambda pair: order.index(pair[0]))


def carried_names(pairs, allowed):
    """``"From: 2026-01-01 · Site: S1, S2"``: carried criteria as the viewer reads them."""
    values = {}
    for key, value in pairs:
        values.setdefault(key, []).append(shown_value(key, value, allowed))
    return " · ".join(
        gettext("%(label)s: %(values)s", label=LABELS[key], values=", ".join(shown)) for key, shown in values.items()
    )


def with_dates(criteria, date_from, date_to):
    return replace(criteria, date_from=date_from, date_to=date_to)
