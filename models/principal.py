"""Who is acting: the principal that tenancy, the program and Private rules, the write guard
and the audit trail all take.

- ``staff``: a signed-in staff member. The web floor registers a loader
  (``install_request_principal``) that builds it per request from the signed-in account; models
  never read the request or the signed-in user themselves.
- ``client``: a client signed in to the portal; sees their own client row and nothing else of
  the agency until a model says what the portal may read (``portal_scope``).
- ``system``: a job (a CLI command, cron) for one agency, with a ``Declaration`` of what it reads
  of the restricted records. The declaration is in the job's code and in its audit rows.

With no principal, agency-owned rows are invisible and cannot be written (fail closed).
``tenant_scope(agency_id)`` is a system principal that declares nothing beyond tenancy: it sees
the agency's restricted records only when they are in no program and not Private.
``tenant_scope(ALL_AGENCIES)`` is the one escape hatch with no rules at all (seeding the demo,
creating an agency, tests); grep for it to review every use.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app, g, has_app_context, has_request_context

ALL_AGENCIES = object()

NONE = "none"  # none of the records of this type
OPEN = "open"  # every record that is not Private, whatever its program
ALL = "all"  # every record, Private ones included
LEVELS = (NONE, OPEN, ALL)
RESTRICTED_TYPES = ("service_form", "service_session", "case_note", "client_file", "referral", "task")


class NoPrincipal(Exception):
    """Code that needs to know who is acting ran with nobody acting."""


@dataclass(frozen=True)
class Declaration:
    """What a system job reads of the restricted records: a level per record type
    (``none``, ``open`` or ``all``); a type it does not name is read only where the whole agency
    may read it (in no program and not Private)."""

    purpose: str
    reads: tuple = ()  # ((record_type, level), ...), sorted

    @classmethod
    def of(cls, purpose, **reads):
        for record_type, level in reads.items():
            if record_type not in RESTRICTED_TYPES or level not in LEVELS:
                raise ValueError(f"unknown read {record_type}={level}")
        return cls(purpose, tuple(sorted(reads.items())))

    def level(self, record_type):
        return dict(self.reads).get(record_type)

    def describe(self):
        reads = ", ".join(f"{record_type}={level}" for record_type, level in self.reads)
        return f"{self.purpose} ({reads or 'agency-wide records only'})"


NOTHING_DECLARED = Declaration("tenancy only")


@dataclass(frozen=True)
class Principal:
    kind: str  # "staff", "client" or "system"
    agency_id: object  # an agency id, or ALL_AGENCIES
    staff_id: int | None = None
    role: str | None = None
    client_id: int | None = None
    declaration: Declaration = NOTHING_DECLARED
    address: str = field(default="", compare=False)
    source: str = field(default="", compare=False)

    @classmethod
    def staff(cls, staff, address="", source=""):
        return cls("staff", staff.agency_id, staff_id=staff.id, role=staff.role, address=address, source=source)

    @classmethod
    def portal_client(cls, client, address="", source=""):
        return cls("client", client.agency_id, client_id=client.id, address=address, source=source)

    @classmethod
    def system(cls, agency_id, declaration=NOTHING_DECLARED, source=""):
        return cls("system", agency_id, declaration=declaration, source=source)

    @property
    def is_everything(self):
        """The escape hatch: no tenancy and no rules."""
        return self.agency_id is ALL_AGENCIES

    def describe(self):
        if self.kind == "staff":
            return f"staff {self.staff_id} ({self.role})"
        if self.kind == "client":
            return f"portal client {self.client_id}"
        if self.is_everything:
            return "system: all agencies"
        return f"system: {self.declaration.describe()}"


@contextmanager
def acting_as(principal):
    """Run a block as ``principal`` (inside a request too: it replaces the signed-in person)."""
    had, previous = "principal" in g, g.get("principal")
    g.principal = principal
    try:
        yield principal
    finally:
        if had:
            g.principal = previous
        else:
            g.pop("principal", None)


def tenant_scope(agency_id, declaration=NOTHING_DECLARED):
    """Run a block as a system job for one agency (or ``ALL_AGENCIES``) that reads what
    ``declaration`` says; the address and page of a surrounding request are kept for the audit."""
    origin = request_origin()
    return acting_as(Principal("system", agency_id, declaration=declaration, address=origin[0], source=origin[1]))


def install_request_principal(app, loader, origin):
    """Register the web floor's ``loader()`` (the principal of the current request, or ``None``)
    and ``origin()`` (its address and page)."""
    app.extensions["request_principal"] = (loader, origin)


def current_principal():
    """Who is acting: the innermost ``acting_as`` block, else the request's principal, else ``None``."""
    if not has_app_context():
        return None
    if "principal" in g:
        return g.principal
    if has_request_context() and "request_principal" in current_app.extensions:
        return current_app.extensions["request_principal"][0]()
    return None


def request_origin():
    """The address and page of the current request, or ``("", "")`` outside one."""
    if has_request_context() and "request_principal" in current_app.extensions:
        return current_app.extensions["request_principal"][1]()
    return "", ""


def current_agency_id():
    """The agency the current code runs for, ``ALL_AGENCIES``, or ``None`` (no principal)."""
    principal = current_principal()
    return None if principal is None else principal.agency_id
