"""Recovery codes for two-step sign-in: ten one-time codes a staff member keeps on paper, each
usable once instead of the code from their app (a lost phone does not lock them out).

Only the SHA-256 of each code is stored (a code is 50 random bits, and every guess counts as a
failed sign-in attempt, so a fast hash is enough). Making a new set ends the old one; turning
two-step sign-in off, or an agency admin resetting it, removes them.
"""

import hashlib
import secrets

from sqlalchemy import delete, func, select, update

from extensions import db
from models.base import utcnow
from models.tenancy import AgencyOwned

CODE_COUNT = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
CODE_LENGTH = 10
UNSYNCED = {"synchronize_session": False}


class RecoveryCode(AgencyOwned, db.Model):
    __tablename__ = "staff_recovery_codes"
    __table_args__ = (db.UniqueConstraint("staff_id", "code_hash"),)

    id = db.Column(db.Integer, primary_key=True)
    staff_id = db.Column(db.Integer, db.ForeignKey("staff.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash = db.Column(db.String(64), nullable=False)
    used_at = db.Column(db.DateTime)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


def normalise(code):
    """What the person typed, as stored: no spaces or dashes, lower case."""
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def code_hash(code):
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def readable(code):
    return f"{code[:5]}-{code[5:]}"


def new_codes(staff):
    """Replace the staff member's codes with ten new ones; returns them, readable, to show once
    (the caller commits)."""
    remove_codes(staff)
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(staff_id=staff.id, code_hash=code_hash(code)))
    db.session.flush()
    return [readable(code) for code in codes]


def remove_codes(staff):
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_id == staff.id), execution_options=UNSYNCED)


def codes_left(staff):
    query = select(func.count(RecoveryCode.id)).where(RecoveryCode.staff_id == staff.id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(query)


def use_code(staff, code):
    """Whether ``code`` is one of the staff member's unused codes; it is used up at once (a
    conditional UPDATE, so two requests cannot both use it; the caller commits)."""
    if not 8 <= len(normalise(code)) <= 20:
        return False
    statement = update(RecoveryCode).where(
        RecoveryCode.staff_id == staff.id, RecoveryCode.code_hash == code_hash(code), RecoveryCode.used_at.is_(None)
    )
    return db.session.execute(statement.values(used_at=utcnow()), execution_options=UNSYNCED).rowcount == 1


def reset_two_step(staff):
    """Two-step sign-in off: the secret and the recovery codes go and every session of the
    account ends (an agency admin's reset, or the person turning it off; the caller commits)."""
    staff.totp_secret = staff.totp_last_step = None
    remove_codes(staff)
    staff.end_all_sessions()
