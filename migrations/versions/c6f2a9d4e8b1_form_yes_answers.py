"""reports: each service form's "Yes" answers stored (service_form_yes_answers: one row per form
and field answered Yes), so the indicator reports (I&O topics, needs and referrals, support
services...) count indexed rows grouped by field instead of reading every form's JSON answers;
filled from the existing forms

Revision ID: c6f2a9d4e8b1
Revises: b8e2f4a6c1d3
Create Date: 2026-12-01 20:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

from models.form_answers import refresh_yes_answers
from models.tenancy import tenant_policy

revision = "c6f2a9d4e8b1"
down_revision = "b8e2f4a6c1d3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "service_form_yes_answers",
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_service_form_yes_answers_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["form_id"], ["service_forms.id"], name=op.f("fk_service_form_yes_answers_form_id_service_forms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("form_id", "field", name=op.f("pk_service_form_yes_answers")),
    )
    op.create_index(op.f("ix_service_form_yes_answers_agency_id"), "service_form_yes_answers", ["agency_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in tenant_policy("service_form_yes_answers"):
            op.execute(statement)
        op.execute("SELECT set_config('app.all_agencies', 'on', true)")
    refresh_yes_answers(bind)


def downgrade():
    op.drop_index(op.f("ix_service_form_yes_answers_agency_id"), table_name="service_form_yes_answers")
    op.drop_table("service_form_yes_answers")
