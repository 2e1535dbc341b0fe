"""The domain's refusals. Models raise these and never answer HTTP themselves; the app turns
each into its page in one place (``app.register_error_pages``)."""


class TenantViolation(Exception):
    """A write would put a row into an agency other than the current one (404)."""


class RecordNotFound(Exception):
    """No such record for whoever is acting: absent, or of another agency (404)."""


class RecordRestricted(Exception):
    """The record exists in the agency but the program or Private rules hide it from the viewer:
    answered with a 403 page that offers break-glass, never with the record's content."""

    def __init__(self, record_type, record_id):
        super().__init__(f"{record_type} {record_id} is restricted")
        self.record_type, self.record_id = record_type, record_id


class ReadOnlyRecord(Exception):
    """A write the rules do not allow (a record seen through break-glass, or a move, Private flag
    change or delete by someone who is not on the owner's side): 403, nothing saved."""


class StaleRecord(Exception):
    """A save from a page loaded before someone else changed the record (optimistic locking,
    ``models/record_history.py``): nothing is saved. ``changes`` are the ``RecordChange``s made
    since the page was loaded, as the audit trail recorded them (possibly none known)."""

    def __init__(self, changes=()):
        super().__init__("The record was changed by someone else since the page was loaded.")
        self.changes = list(changes)


class InvalidEntry(ValueError):
    """A value the domain refuses (a follow-up before the referral date, a referral to an agency
    without an accepted partnership...): the page shows ``message`` beside ``field``; nothing is
    saved. Uncaught, it is a 400 page, never a 500."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


class LinkNotValid(Exception):
    """A single-use sign-in link (``models/sign_in_links.py``) that cannot be used: ``reason`` is
    ``"unknown"`` (no such link, or one of another purpose), ``"expired"`` or ``"used"`` (used,
    or replaced by a newer link). Pages show a clear page saying so; nothing is changed."""

    def __init__(self, reason):
        super().__init__(f"sign-in link {reason}")
        self.reason = reason
