"""All models, imported here so that Alembic and the tenancy hooks see every table."""

# The rules register their ORM hooks on import: importing any model imports them.
from models import form_completeness, form_files, visibility, write_guard
from models.agencies import SITE_KINDS, Agency, Funder, Program, Site
from models.audit import AUDIT_ACTIONS, AuditEvent
from models.break_glass import BreakGlassGrant
from models.cams import ClientCamsNumber
from models.career_documents import CareerDocument
from models.client_merges import ClientMerge
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
from models.courses import Course
from models.eap import EapItem, EapOutcome, EapSubGoal, EmploymentActionPlan
from models.errors import ReadOnlyRecord, RecordNotFound, RecordRestricted, TenantViolation
from models.first_services import ClientFirstService
from models.form_answers import FormYesAnswer
from models.icare_uploads import IcareAmendment, IcareUpload, IcareUploadItem
from models.job_postings import JobCompany, JobOccupation, JobPosting, JobSector, JobSkill
from models.job_search import ClientFollow, ClientSkill, JobLead
from models.mentors import Mentor, MentorMatch, MentorUpdate
from models.message_templates import MessageTemplate
from models.notifications import Notification, NotificationOptOut, SmsMessage
from models.partnerships import Partnership, SharedReferral
from models.plans import DismissedProposal, PlanFollowUp, PlanGoal, PlanReview, PlanStep, SettlementPlan
from models.portal_accounts import PortalAccount
from models.portal_files import PortalUpload
from models.principal import ALL_AGENCIES, Declaration, Principal, acting_as, tenant_scope
from models.privacy import CONSENT_KINDS, ConsentRecord
from models.questions import AgencyQuestion
from models.recovery_codes import RecoveryCode
from models.reference import ReferenceValue
from models.referrals import Referral, ReferralPartner
from models.service_forms import ServiceForm
from models.service_sessions import GroupActivityName, ServiceSession, SessionClient
from models.sign_in_links import SignInLink
from models.staff import ROLES, SignInAttempt, Staff
from models.tasks import Task
from models.tenancy import AgencyOwned
from models.training import TrainingOpportunity

__all__ = [
    "ALL_AGENCIES",
    "AUDIT_ACTIONS",
    "AuditEvent",
    "BreakGlassGrant",
    "CONSENT_KINDS",
    "ConsentRecord",
    "CLIENT_KINDS",
    "ROLES",
    "SITE_KINDS",
    "Agency",
    "AgencyOwned",
    "AgencyQuestion",
    "AnonymousClientError",
    "CaseNote",
    "CareerDocument",
    "Client",
    "ClientActivity",
    "ClientAssignment",
    "ClientFile",
    "ClientMerge",
    "ClientFirstService",
    "EmergencyContact",
    "FormYesAnswer",
    "Course",
    "GroupActivityName",
    "Mentor",
    "MentorMatch",
    "MentorUpdate",
    "MessageTemplate",
    "ClientFollow",
    "ClientSkill",
    "JobCompany",
    "JobLead",
    "ClientCamsNumber",
    "EapItem",
    "EapOutcome",
    "EapSubGoal",
    "EmploymentActionPlan",
    "TrainingOpportunity",
    "JobOccupation",
    "JobPosting",
    "JobSector",
    "JobSkill",
    "Notification",
    "DismissedProposal",
    "PlanFollowUp",
    "PlanGoal",
    "PlanReview",
    "PlanStep",
    "SettlementPlan",
    "PortalAccount",
    "PortalUpload",
    "NotificationOptOut",
    "SmsMessage",
    "IcareAmendment",
    "IcareUpload",
    "IcareUploadItem",
    "Funder",
    "Program",
    "RecoveryCode",
    "ReferenceValue",
    "SignInLink",
    "SafetyFlag",
    "ServiceForm",
    "ServiceSession",
    "SessionClient",
    "SignInAttempt",
    "Site",
    "Staff",
    "TenantViolation",
    "ReadOnlyRecord",
    "RecordNotFound",
    "RecordRestricted",
    "Declaration",
    "Principal",
    "acting_as",
    "tenant_scope",
    "visibility",
    "Partnership",
    "Referral",
    "ReferralPartner",
    "SharedReferral",
    "Task",
    "write_guard",
    "form_completeness",
    "form_files",
]
