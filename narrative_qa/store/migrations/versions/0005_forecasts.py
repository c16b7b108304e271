"""The forecasts each submission version made (issue 19).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecast",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submission.id"), nullable=False,
                  index=True),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("end_char", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("what", sa.String(20), nullable=False),
        sa.Column("value", sa.String(50)),
        sa.Column("due", sa.String(7)),
        sa.Column("due_period", sa.String(50)),
        sa.Column("vague", sa.Boolean, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("problem", sa.Text),
    )
    # The quarters already stored made forecasts too: read them now, so they are checked
    # when they fall due (withdrawn versions have no narrative, and so none).
    from narrative_qa.store.forecasts import store_forecasts

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, narrative, period FROM submission "
                                      "ORDER BY id")).all()
    for row_id, narrative, period in rows:
        store_forecasts(connection, row_id, narrative, period)


def downgrade() -> None:
    op.drop_table("forecast")
