"""Files on disk that belong to a database row, written so that a rolled-back transaction
leaves nothing behind.

``store_on_commit(session, path, data)`` writes the bytes now, under a temporary name beside
``path`` (so a full disk fails the request before anything is committed), and moves them to
``path`` when the session's transaction commits; ``remove_on_commit`` removes files whose rows a
committed transaction deleted. A rollback, or a session closed without a
commit, removes the temporary file: a refused row never leaves its file on disk.

The temporary name ends in ``.part``; one can only outlive its request if the process dies
between the write and the end of the transaction, and is never served (no row names it)."""

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

PENDING = "files_pending_commit"
DOOMED = "files_removed_on_commit"
TEMPORARY_SUFFIX = ".part"


def store_on_commit(session, path, data):
    """Write ``data`` for ``path``; it appears there only if the current transaction commits."""
    path = Path(path)
    temporary = path.with_name(path.name + TEMPORARY_SUFFIX)
    temporary.write_bytes(data)
    session.info.setdefault(PENDING, []).append((temporary, path))


def remove_on_commit(session, paths):
    """Remove ``paths`` from disk once the current transaction commits (a rollback keeps them)."""
    session.info.setdefault(DOOMED, []).extend(Path(path) for path in paths)


@event.listens_for(Session, "after_commit")
def _move_into_place(session):
    for temporary, path in session.info.pop(PENDING, ()):
        os.replace(temporary, path)
    for path in session.info.pop(DOOMED, ()):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted(session, transaction):
    """The outermost transaction ended without a commit (rolled back or closed)."""
    if transaction.parent is None:
        for temporary, _ in session.info.pop(PENDING, ()):
            temporary.unlink(missing_ok=True)
        session.info.pop(DOOMED, None)
