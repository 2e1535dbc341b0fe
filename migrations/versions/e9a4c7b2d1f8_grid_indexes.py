"""grids and the home page: composite indexes (agency_id, <sort or filter column>) behind every
default sort and filter of the client, session and form grids, the worker filters and the home
page's assigned clients and incomplete sessions (the single-column agency_id indexes stay)

Revision ID: e9a4c7b2d1f8
Revises: a7c3e5b9d2f4
Create Date: 2026-12-01 13:30:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "e9a4c7b2d1f8"
down_revision = "a7c3e5b9d2f4"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_clients_agency_archived_id", "clients", ("agency_id", "is_archived", "id")),
    ("ix_clients_agency_name", "clients", ("agency_id", "last_name", "first_name")),
    ("ix_clients_agency_site", "clients", ("agency_id", "registration_site_id", "id")),
    ("ix_clients_agency_registered", "clients", ("agency_id", "registration_date")),
    ("ix_clients_agency_status", "clients", ("agency_id", "immigration_status")),
    ("ix_client_assignments_agency_staff", "client_assignments", ("agency_id", "staff_id", "client_id")),
    ("ix_session_staff_staff", "session_staff", ("staff_id", "session_id")),
    ("ix_service_sessions_agency_site_date", "service_sessions", ("agency_id", "site_id", "service_date")),
    ("ix_service_sessions_agency_program_date", "service_sessions", ("agency_id", "program_id", "service_date")),
    ("ix_service_sessions_agency_lead_date", "service_sessions", ("agency_id", "lead_staff_id", "service_date")),
    ("ix_service_sessions_agency_creator_date", "service_sessions", ("agency_id", "created_by_id", "service_date")),
    ("ix_service_sessions_agency_type_date", "service_sessions", ("agency_id", "session_type", "service_date")),
    ("ix_service_forms_agency_newest", "service_forms", ("agency_id", "id")),
    ("ix_service_forms_agency_author_id", "service_forms", ("agency_id", "author_id", "id")),
    ("ix_service_forms_agency_program_id", "service_forms", ("agency_id", "program_id", "id")),
    ("ix_service_forms_agency_complete_id", "service_forms", ("agency_id", "is_complete", "id")),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, list(columns))


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
