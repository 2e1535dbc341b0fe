"""client portal: portal accounts, the client's own uploads, files shared with the client; job
postings and their reference lists (occupations with NOC 2021 codes, sectors, companies, skills);
the client's follows, skills and job leads

Revision ID: a7d3f9c1e2b4
Revises: e5f8a1c3b7d9
Create Date: 2026-12-01 13:30:00.000000

"""

from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = "a7d3f9c1e2b4"
down_revision = "e5f8a1c3b7d9"
branch_labels = None
depends_on = None

TABLES = ("portal_accounts", "portal_uploads")
JOB_TABLES = (
    "job_companies",
    "job_occupations",
    "job_sectors",
    "job_skills",
    "job_postings",
    "client_follows",
    "client_skills",
    "job_leads",
)


def agency_column(table):
    return (
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f(f"fk_{table}_agency_id_agencies")),
    )


def client_fk(table):
    return sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f(f"fk_{table}_client_id_clients"), ondelete="CASCADE")


def upgrade():
    with op.batch_alter_table("client_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_shared_with_client", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "portal_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=True),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *agency_column("portal_accounts"),
        client_fk("portal_accounts"),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["staff.id"], name=op.f("fk_portal_accounts_invited_by_id_staff"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_accounts")),
        sa.UniqueConstraint("client_id", name=op.f("uq_portal_accounts_client_id")),
        sa.UniqueConstraint("email", name=op.f("uq_portal_accounts_email")),
        sa.UniqueConstraint("session_token", name=op.f("uq_portal_accounts_session_token")),
    )
    op.create_index(op.f("ix_portal_accounts_agency_id"), "portal_accounts", ["agency_id"], unique=False)
    op.create_table(
        "portal_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        *agency_column("portal_uploads"),
        client_fk("portal_uploads"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_uploads")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_portal_uploads_stored_name")),
    )
    op.create_index(op.f("ix_portal_uploads_agency_id"), "portal_uploads", ["agency_id"], unique=False)
    op.create_index(op.f("ix_portal_uploads_client_id"), "portal_uploads", ["client_id"], unique=False)
    create_job_tables()
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES + JOB_TABLES:
            for statement in tenant_policy(table):
                op.execute(statement)


def create_job_tables():
    op.create_table(
        "job_companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_job_companies_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_companies")),
        sa.UniqueConstraint("agency_id", "name", name=op.f("uq_job_companies_agency_id_name")),
    )
    with op.batch_alter_table("job_companies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_companies_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "job_occupations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("noc_code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.Enum("broad", "major", "agency", name="noc_level", native_enum=False), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_job_occupations_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_occupations")),
        sa.UniqueConstraint("agency_id", "noc_code", "name", name=op.f("uq_job_occupations_agency_id_noc_code_name")),
    )
    with op.batch_alter_table("job_occupations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_occupations_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "job_sectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_job_sectors_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_sectors")),
        sa.UniqueConstraint("agency_id", "name", name=op.f("uq_job_sectors_agency_id_name")),
    )
    with op.batch_alter_table("job_sectors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_sectors_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "job_skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_job_skills_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_skills")),
        sa.UniqueConstraint("agency_id", "name", name=op.f("uq_job_skills_agency_id_name")),
    )
    with op.batch_alter_table("job_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_skills_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "job_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=True),
        sa.Column("sector_id", sa.Integer(), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_job_postings_agency_id_agencies")),
        sa.ForeignKeyConstraint(["company_id"], ["job_companies.id"], name=op.f("fk_job_postings_company_id_job_companies")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff.id"], name=op.f("fk_job_postings_created_by_id_staff"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["occupation_id"], ["job_occupations.id"], name=op.f("fk_job_postings_occupation_id_job_occupations")
        ),
        sa.ForeignKeyConstraint(["sector_id"], ["job_sectors.id"], name=op.f("fk_job_postings_sector_id_job_sectors")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_postings")),
    )
    with op.batch_alter_table("job_postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_postings_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_postings_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_postings_occupation_id"), ["occupation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_postings_sector_id"), ["sector_id"], unique=False)

    op.create_table(
        "client_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("occupation", "company", "sector", name="follow_kind", native_enum=False), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Enum("suggested", "accepted", name="suggestion_state", native_enum=False), nullable=False),
        sa.Column("suggested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_client_follows_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_follows_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["suggested_by_id"], ["staff.id"], name=op.f("fk_client_follows_suggested_by_id_staff"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_follows")),
        sa.UniqueConstraint("client_id", "kind", "target_id", name=op.f("uq_client_follows_client_id_kind_target_id")),
    )
    with op.batch_alter_table("client_follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_follows_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_follows_client_id"), ["client_id"], unique=False)

    op.create_table(
        "client_skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Enum("suggested", "accepted", name="suggestion_state", native_enum=False), nullable=False),
        sa.Column("suggested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_client_skills_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_client_skills_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["job_skills.id"], name=op.f("fk_client_skills_skill_id_job_skills"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["suggested_by_id"], ["staff.id"], name=op.f("fk_client_skills_suggested_by_id_staff"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_skills")),
        sa.UniqueConstraint("client_id", "skill_id", name=op.f("uq_client_skills_client_id_skill_id")),
    )
    with op.batch_alter_table("client_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_skills_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_skills_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_skills_skill_id"), ["skill_id"], unique=False)

    op.create_table(
        "job_leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "interested", "applied", "interviewing", "rejected", "no_response", "hired", name="lead_status", native_enum=False
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_job_leads_agency_id_agencies")),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_job_leads_client_id_clients"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["job_postings.id"], name=op.f("fk_job_leads_posting_id_job_postings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_leads")),
        sa.UniqueConstraint("client_id", "posting_id", name=op.f("uq_job_leads_client_id_posting_id")),
    )
    with op.batch_alter_table("job_leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_leads_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_leads_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_leads_posting_id"), ["posting_id"], unique=False)

    op.create_table(
        "job_posting_skills",
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["job_postings.id"], name=op.f("fk_job_posting_skills_posting_id_job_postings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["job_skills.id"], name=op.f("fk_job_posting_skills_skill_id_job_skills"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("posting_id", "skill_id", name=op.f("pk_job_posting_skills")),
    )


def downgrade():
    op.drop_table("job_posting_skills")
    for table in reversed(TABLES + JOB_TABLES):
        op.drop_table(table)
    with op.batch_alter_table("client_files", schema=None) as batch_op:
        batch_op.drop_column("is_shared_with_client")
