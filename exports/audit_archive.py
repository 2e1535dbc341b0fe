"""The audit archive files, and one agency's archiving run (``flask --app app archive-audit``).

A file is gzip-compressed JSON Lines (``audit-<CODE>-before-<YYYY-MM>.jsonl.gz``): one JSON
object per audit row, with every column under its own name, ``changes`` as the JSON it is,
times in ISO 8601 (UTC). JSON Lines rather than CSV because an archive must give back exactly
what the table held: numbers, nulls and nested ``changes`` keep their types, and no cell is
altered (a CSV for spreadsheets has to prefix text starting with ``= + - @``, which would change
the record). Nothing in it is a formula: a spreadsheet does not open it directly.

The order of one run, in one transaction per agency (models/audit_archive.py for the rules):
claim the agency, write the rows to a temporary file (created 0600, synced to disk), read it
back and compare the count and the SHA-256 of the ids with what was selected, delete exactly
those rows, move the file into place, record an ``archive`` event (with the file's SHA-256) and
commit. If writing, reading back or the delete fails, the temporary file is removed and the
transaction rolled back: nothing leaves the table. If the commit itself fails after the move,
the file stays beside the rows it copies; a later run writes a new file (names never repeat).
"""

import gzip
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from extensions import db
from models.audit_archive import (
    ARCHIVING,
    COLUMNS,
    ArchiveMismatch,
    IdTally,
    archivable_rows,
    claim_agency,
    count_archivable,
    record_archive,
    remove_archived,
)
from models.principal import tenant_scope

PROGRESS_EVERY = 10_000
SUFFIX = ".jsonl.gz"


@dataclass
class ArchiveResult:
    code: str
    cutoff: object
    rows: int = 0
    file_name: str = ""
    skipped: bool = False

    def summary(self, dry_run=False):
        head = f"{self.code}: audit rows from before {self.cutoff.isoformat()}: "
        if self.skipped:
            return head + "another archiving run holds this agency; skipped."
        if not self.rows:
            return head + "none to archive."
        verb = "would be archived" if dry_run else "archived"
        return head + f"{self.rows} {verb} to {self.file_name}."


def archive_path(folder, code, cutoff):
    """A file name not used yet in ``folder`` (a second file for the same month gets ``-2``...)."""
    stem = f"audit-{re.sub(r'[^A-Za-z0-9_-]', '_', code)}-before-{cutoff:%Y-%m}"
    path, number = Path(folder) / f"{stem}{SUFFIX}", 1
    while path.exists():
        number += 1
        path = Path(folder) / f"{stem}-{number}{SUFFIX}"
    return path


def json_value(value):
    """What ``json`` cannot write itself: the row's datetimes."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot archive a {type(value).__name__}")


def write_rows(path, rows, progress=None):
    """Write ``rows`` (dicts) to a new file at ``path``, readable by its owner only, and sync
    it to disk; ``progress(count)`` every ``PROGRESS_EVERY`` rows. Returns the count written."""
    count = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb") as packed, io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as out:
            for row in rows:
                out.write(json.dumps(row, default=json_value, ensure_ascii=False) + "\n")
                count += 1
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count)
        raw.flush()
        os.fsync(raw.fileno())
    return count


def read_back(path):
    """Count and id checksum of the rows in an archive file, each checked for every column."""
    tally = IdTally()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            row = json.loads(line)
            if set(row) != set(COLUMNS):
                raise ArchiveMismatch(f"line {number} of {Path(path).name} does not hold every column")
            tally.add(row["id"])
    return tally


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def move_into_place(partial, path):
    """Rename the verified file to its name, and sync the folder so the rename survives a crash."""
    os.replace(partial, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def archive_agency(agency_id, code, cutoff, folder, dry_run=False, echo=print):
    """Archive one agency's audit rows from before ``cutoff`` into ``folder`` (see the module
    docstring), as a system job that reads audit rows only."""
    with tenant_scope(agency_id, ARCHIVING):
        try:
            return run_archive(agency_id, code, cutoff, Path(folder), dry_run, echo)
        finally:
            db.session.rollback()  # after a commit a no-op; otherwise nothing of the run remains


def run_archive(agency_id, code, cutoff, folder, dry_run, echo):
    if not claim_agency(agency_id):
        return ArchiveResult(code, cutoff, skipped=True)
    result = ArchiveResult(code, cutoff, rows=count_archivable(agency_id, cutoff))
    if dry_run or not result.rows:
        result.file_name = archive_path(folder, code, cutoff).name if result.rows else ""
        return result
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = archive_path(folder, code, cutoff)
    echo(f"{code}: archiving {result.rows} audit rows from before {cutoff.isoformat()} to {path}")
    selected = copy_and_remove(agency_id, code, cutoff, path, echo)
    result.rows, result.file_name = selected.count, path.name
    record_archive(cutoff, selected.count, path.name, file_sha256(path))
    db.session.commit()
    return result


def copy_and_remove(agency_id, code, cutoff, path, echo):
    """Write, read back, delete and move into place; any failure removes the partial file and
    raises (the caller rolls back, so no row leaves the table)."""
    partial = path.with_name(f".{path.name}.partial")
    selected = IdTally()
    partial.unlink(missing_ok=True)  # left by a run that died: this run holds the agency's claim
    try:
        rows = archivable_rows(agency_id, cutoff, selected)
        write_rows(partial, rows, progress=lambda count: echo(f"{code}: {count} rows written"))
        remove_archived(agency_id, cutoff, selected, read_back(partial))
        move_into_place(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return selected
