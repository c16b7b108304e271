"""Periods the performance team opens for officers' submissions, and withdrawn versions.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_window",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("period", sa.String(50), nullable=False, unique=True),
        sa.Column("opened_at", sa.String(40), nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("closed_at", sa.String(40)),
        sa.Column("closed_by", sa.String(200)),
    )
    op.add_column("submission", sa.Column("withdrawn", sa.Boolean, nullable=False,
                                          server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("withdrawn")
    op.drop_table("submission_window")
