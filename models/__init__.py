"""All models, imported here so that Alembic and the tenancy hooks see every table."""
from models.agencies import SITE_KINDS, Agency, Funder, Program, Site
from models.clients import (
    CLIENT_KINDS,
    AnonymousClientError,
    CaseNote,
    Client,
    ClientActivity,
    ClientAssignment,
    ClientFile,
    EmergencyContact,
    SafetyFlag,
)
from models.reference import ReferenceValue
from models.staff import ROLES, SignInAttempt, Staff
from models.tenancy import ALL_AGENCIES, AgencyOwned, TenantViolation, tenant_scope

__all__ = [
    "ALL_AGENCIES",
    "CLIENT_KINDS",
    "ROLES",
    "SITE_KINDS",
    "Agency",
    "AgencyOwned",
    "AnonymousClientError",
    "CaseNote",
    "Client",
    "ClientActivity",
    "ClientAssignment",
    "ClientFile",
    "EmergencyContact",
    "Funder",
    "Program",
    "ReferenceValue",
    "SafetyFlag",
    "SignInAttempt",
    "Site",
    "Staff",
    "TenantViolation",
    "tenant_scope",
]
