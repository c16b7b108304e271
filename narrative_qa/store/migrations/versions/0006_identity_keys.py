"""Each submission's KPI and owner as compared (issue 18): `kpi_key` is
narrative_qa.previous.match_key(kpi_id) ('' for none), `owner_key` is
narrative_qa.store.accounts.owner_key(owner). Indexed, so one KPI's or one owner's rows are
read by a query, not by reading every row and comparing in Python.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from narrative_qa.store.keys import kpi_key, owner_key

    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("kpi_key", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("owner_key", sa.Text, nullable=False, server_default=""))
    op.create_index("ix_submission_kpi_key", "submission", ["kpi_key"])
    op.create_index("ix_submission_owner_key", "submission", ["owner_key"])
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, kpi_id, record FROM submission")).all()
    for row_id, kpi_id, record in rows:
        import json

        owner = json.loads(record).get("owner")
        connection.execute(sa.text("UPDATE submission SET kpi_key = :k, owner_key = :o "
                                   "WHERE id = :id"),
                           {"k": kpi_key(kpi_id), "o": owner_key(owner), "id": row_id})


def downgrade() -> None:
    op.drop_index("ix_submission_owner_key", "submission")
    op.drop_index("ix_submission_kpi_key", "submission")
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("owner_key")
        batch.drop_column("kpi_key")
