"""Build the admin for one app: every view, in menu order.

Only ``init_admin`` imports the views, so importing ``admin_views.base`` (as every page does)
runs no page module: the package registers views and holds nothing a page could need.
"""

from flask_admin import Admin, helpers
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext

from extensions import db
from validation import is_local_path

AGENCY = lazy_gettext("Agency")
CLIENTS = lazy_gettext("Clients")
SESSIONS = lazy_gettext("Sessions")
REFERRALS = lazy_gettext("Referrals")
JOBS = lazy_gettext("Jobs")


def follow_only_local_paths():
    """Every Flask-Admin page sends the browser back to its ``url=`` parameter (details, edit,
    create, delete, actions, export), through ``helpers.get_redirect_target``, which asks
    ``helpers.is_safe_url``. That check lets "http:evil.example" through (Werkzeug makes it
    "http:///evil.example", which browsers open as http://evil.example/), so it is replaced by
    the site's one check, the same as for ``next=``."""
    helpers.is_safe_url = is_local_path


def init_admin(app):
    """Create the ``Admin`` inside the factory (a module-level one breaks a second app)."""
    follow_only_local_paths()
    from admin_views.menu import cached_menu

    app.jinja_env.globals["cached_menu"] = cached_menu  # templates/admin/project_base.html
    from admin_views.agencies import AgencySettingsView, FunderView, ProgramView, SiteView
    from admin_views.audit import AuditView
    from admin_views.clients import ClientView
    from admin_views.lists import AgencyQuestionView, GroupActivityNameView
    from admin_views.notifications import MessageTemplateView
    from admin_views.reference import ReferenceValueView
    from admin_views.service_sessions import ServiceFormView, ServiceSessionView
    from admin_views.staff import DirectoryView, StaffView
    from custom_pages import break_glass
    from custom_pages.client_import import ClientImportView
    from custom_pages.eap_import import EapImportView
    from custom_pages.find_client import FindClientView
    from custom_pages.home import HomeView
    from custom_pages.icare import IcareView
    from custom_pages.lookup import LookupView
    from custom_pages.my_account import MyAccountView
    from custom_pages.notifications import MyNotificationsView
    from custom_pages.outbox import OutboxView
    from custom_pages.plan_monitoring import PlanMonitoringView
    from custom_pages.registration import RegistrationView
    from custom_pages.reports import ReportsView
    from models import (
        Agency,
        AgencyQuestion,
        AuditEvent,
        Client,
        Funder,
        GroupActivityName,
        MessageTemplate,
        Program,
        ReferenceValue,
        ServiceForm,
        ServiceSession,
        Site,
        Staff,
    )

    admin = Admin(
        app,
        name="OCMS-Flask",
        index_view=HomeView(name=lazy_gettext("Home"), url="/admin", menu_icon_type="fa", menu_icon_value="fa-home"),
        theme=Bootstrap4Theme(base_template="admin/project_base.html", fluid=True),
    )
    admin.add_view(
        FindClientView(name=lazy_gettext("Find a client"), category=CLIENTS, endpoint="find_client", url="find-client")
    )
    admin.add_view(
        RegistrationView(name=lazy_gettext("Register a client"), category=CLIENTS, endpoint="registration", url="register")
    )
    admin.add_view(LookupView(name=lazy_gettext("Look-up"), endpoint="lookup", url="lookup"))
    admin.add_view(ClientView(Client, db, name=lazy_gettext("All clients"), category=CLIENTS, endpoint="clients", url="clients"))
    admin.add_view(
        ClientImportView(name=lazy_gettext("Import clients"), category=CLIENTS, endpoint="client_import", url="import-clients")
    )
    admin.add_view(
        EapImportView(
            name=lazy_gettext("Import Employment Action Plans"), category=CLIENTS, endpoint="eap_import", url="import-eap"
        )
    )
    admin.add_view(
        PlanMonitoringView(
            name=lazy_gettext("Plans to follow up"), category=CLIENTS, endpoint="plan_monitoring", url="plan-monitoring"
        )
    )
    admin.add_link(MenuLink(name=lazy_gettext("Begin a session"), endpoint="sessions.create_view", category=SESSIONS))
    admin.add_view(
        ServiceSessionView(
            ServiceSession, db, name=lazy_gettext("All sessions"), category=SESSIONS, endpoint="sessions", url="sessions"
        )
    )
    admin.add_view(
        ServiceFormView(
            ServiceForm, db, name=lazy_gettext("Service forms"), category=SESSIONS, endpoint="service_forms", url="service-forms"
        )
    )
    admin.add_view(
        GroupActivityNameView(
            GroupActivityName,
            db,
            name=lazy_gettext("Group activity names"),
            category=SESSIONS,
            endpoint="group_activities",
            url="group-activities",
        )
    )
    admin.add_view(ReportsView(name=lazy_gettext("Reports"), endpoint="reports", url="reports"))
    add_referral_views(admin)
    add_mentor_views(admin)
    add_job_views(admin)
    # --- iCARE ---
    admin.add_view(IcareView(name=lazy_gettext("iCARE upload"), category=CLIENTS, endpoint="icare", url="icare"))
    admin.add_view(DirectoryView(Staff, db, name=lazy_gettext("Directory"), endpoint="directory", url="directory"))
    admin.add_view(SiteView(Site, db, name=lazy_gettext("Sites"), category=AGENCY, endpoint="sites"))
    admin.add_view(ProgramView(Program, db, name=lazy_gettext("Programs"), category=AGENCY, endpoint="programs"))
    admin.add_view(FunderView(Funder, db, name=lazy_gettext("Funders"), category=AGENCY, endpoint="funders"))
    admin.add_view(StaffView(Staff, db, name=lazy_gettext("Staff"), category=AGENCY, endpoint="staff"))
    admin.add_view(AgencySettingsView(Agency, db, name=lazy_gettext("Agency settings"), category=AGENCY, endpoint="agency"))
    admin.add_view(
        AgencyQuestionView(AgencyQuestion, db, name=lazy_gettext("Agency questions"), category=AGENCY, endpoint="questions")
    )
    admin.add_view(
        ReferenceValueView(ReferenceValue, db, name=lazy_gettext("Reference lists"), category=AGENCY, endpoint="reference")
    )
    admin.add_view(AuditView(AuditEvent, db, name=lazy_gettext("Audit trail"), category=AGENCY, endpoint="audit", url="audit"))
    templates = MessageTemplateView(
        MessageTemplate, db, name=lazy_gettext("Email templates"), category=AGENCY, endpoint="message_templates"
    )
    admin.add_view(templates)
    admin.add_view(OutboxView(name=lazy_gettext("Messages not sent"), category=AGENCY, endpoint="outbox", url="outbox"))
    admin.add_view(
        MyNotificationsView(name=lazy_gettext("My notifications"), endpoint="my_notifications", url="my-notifications")
    )
    admin.add_view(MyAccountView(name=lazy_gettext("My account"), endpoint="my_account", url="my-account"))
    glass = break_glass.BreakGlassView(name=lazy_gettext("Break-glass"), endpoint="break_glass", url="break-glass")
    admin.add_view(glass)
    break_glass.register(app, glass)
    return admin


def add_mentor_views(admin):
    """The mentor and tutor directory, their matches and who is available."""
    from admin_views.mentors import MentorView
    from models import Mentor

    category = lazy_gettext("Mentors")
    admin.add_view(
        MentorView(Mentor, db, name=lazy_gettext("Mentor directory"), category=category, endpoint="mentors", url="mentors")
    )
    admin.add_link(MenuLink(name=lazy_gettext("Mentor matches"), endpoint="mentors.matches", category=category))
    admin.add_link(MenuLink(name=lazy_gettext("Available mentors"), endpoint="mentors.available", category=category))


def add_job_views(admin):
    """Job postings and the job search reference lists (the client portal's Job Board)."""
    from admin_views.job_postings import JobCompanyView, JobListView, JobOccupationView, JobPostingView
    from models.job_postings import JobCompany, JobOccupation, JobPosting, JobSector, JobSkill

    admin.add_view(
        JobPostingView(
            JobPosting, db, name=lazy_gettext("Job postings"), category=JOBS, endpoint="job_postings", url="job-postings"
        )
    )
    admin.add_view(
        JobOccupationView(
            JobOccupation, db, name=lazy_gettext("Occupations"), category=JOBS, endpoint="job_occupations", url="occupations"
        )
    )
    admin.add_view(JobListView(JobSector, db, name=lazy_gettext("Sectors"), category=JOBS, endpoint="job_sectors", url="sectors"))
    admin.add_view(
        JobCompanyView(JobCompany, db, name=lazy_gettext("Companies"), category=JOBS, endpoint="job_companies", url="companies")
    )
    admin.add_view(JobListView(JobSkill, db, name=lazy_gettext("Skills"), category=JOBS, endpoint="job_skills", url="skills"))


def add_referral_views(admin):
    """Referrals, partners, tasks, incoming referrals and trusted partnerships."""
    from admin_views.referrals import ReferralPartnerView, ReferralView, TaskView
    from custom_pages.partnerships import IncomingReferralsView, PartnershipsView
    from models import Referral, ReferralPartner, Task

    admin.add_view(
        ReferralView(Referral, db, name=lazy_gettext("Referrals"), category=REFERRALS, endpoint="referrals", url="referrals")
    )
    admin.add_view(TaskView(Task, db, name=lazy_gettext("Tasks"), category=REFERRALS, endpoint="tasks", url="tasks"))
    admin.add_view(
        ReferralPartnerView(
            ReferralPartner, db, name=lazy_gettext("Referral partners"), category=REFERRALS, endpoint="partners", url="partners"
        )
    )
    admin.add_view(
        IncomingReferralsView(
            name=lazy_gettext("Incoming referrals"), category=REFERRALS, endpoint="incoming_referrals", url="incoming-referrals"
        )
    )
    admin.add_view(
        PartnershipsView(
            name=lazy_gettext("Trusted partnerships"), category=REFERRALS, endpoint="partnerships", url="partnerships"
        )
    )
