"""The history tables, as SQLAlchemy Core objects (created by the alembic migrations)."""

import sqlalchemy as sa

metadata = sa.MetaData()

submission = sa.Table(
    "submission", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kpi_id", sa.String(100), nullable=False),
    sa.Column("period", sa.String(50), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("is_current", sa.Boolean, nullable=False),
    sa.Column("ingested_at", sa.String(40), nullable=False),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Column("service", sa.String(200)),
    sa.Column("owner", sa.String(200)),
    sa.Column("actual", sa.Float),
    sa.Column("narrative", sa.Text, nullable=False),
    sa.Column("record", sa.Text, nullable=False),
    # migration 0004: a version that withdraws the KPI's submission for the period
    sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.false()),
    # migration 0006: the KPI and owner as compared (narrative_qa.store.keys)
    sa.Column("kpi_key", sa.Text, nullable=False, server_default="", index=True),
    sa.Column("owner_key", sa.Text, nullable=False, server_default="", index=True),
    sa.UniqueConstraint("kpi_id", "period", "version"),
)

finding = sa.Table(
    "finding", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submission.id"), nullable=False),
    sa.Column("code", sa.String(10), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("finding", sa.Text, nullable=False),
)

decision = sa.Table(
    "decision", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kpi_id", sa.String(100), nullable=False),
    sa.Column("period", sa.String(50), nullable=False),
    sa.Column("code", sa.String(10), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("decided_at", sa.String(40), nullable=False),
)

# Migration 0004: the periods the performance team has opened for officers' submissions
# (one row per period, in its canonical spelling; closing keeps the row).
submission_window = sa.Table(
    "submission_window", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("period", sa.String(50), nullable=False, unique=True),
    sa.Column("opened_at", sa.String(40), nullable=False),
    sa.Column("opened_by", sa.String(200), nullable=False),
    sa.Column("closed_at", sa.String(40)),
    sa.Column("closed_by", sa.String(200)),
)

# Migration 0005: the forecasts a submission version made (issue 19). A resubmission is a
# new version with its own forecasts; the earlier version keeps its own.
forecast = sa.Table(
    "forecast", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submission.id"), nullable=False,
              index=True),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("what", sa.String(20), nullable=False),
    sa.Column("value", sa.String(50)),
    sa.Column("due", sa.String(7)),  # 'YYYY-MM', the last month the forecast covers
    sa.Column("due_period", sa.String(50)),  # the reporting period holding `due`
    sa.Column("vague", sa.Boolean, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("problem", sa.Text),
)
