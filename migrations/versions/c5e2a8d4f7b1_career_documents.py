"""resumes and cover letters (career documents) of a client, with their author

Revision ID: c5e2a8d4f7b1
Revises: a7d3f9c1e2b4
Create Date: 2026-12-01 16:50:00.000000

"""

from alembic import op
import sqlalchemy as sa

from models.tenancy import tenant_policy


# revision identifiers, used by Alembic.
revision = "c5e2a8d4f7b1"
down_revision = "a7d3f9c1e2b4"
branch_labels = None
depends_on = None

TABLE = "career_documents"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("resume", "cover_letter", name="career_document_kind", native_enum=False), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("author_kind", sa.Enum("client", "staff", name="career_document_author", native_enum=False), nullable=False),
        sa.Column("author_staff_id", sa.Integer(), nullable=True),
        sa.Column("posting_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("copied_from_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_career_documents_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["author_staff_id"], ["staff.id"], name=op.f("fk_career_documents_author_staff_id_staff"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_career_documents_client_id_clients"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["copied_from_id"],
            ["career_documents.id"],
            name=op.f("fk_career_documents_copied_from_id_career_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["job_leads.id"], name=op.f("fk_career_documents_lead_id_job_leads"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["job_postings.id"], name=op.f("fk_career_documents_posting_id_job_postings"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_career_documents")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_career_documents_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_career_documents_author_staff_id"), ["author_staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_career_documents_client_id"), ["client_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in tenant_policy(TABLE):
            op.execute(statement)


def downgrade():
    op.drop_table(TABLE)
