"""The web app's tables in the history store (created by migration 0002): accounts,
server-side sessions, API tokens and sign-in attempts. Times are UTC epoch seconds."""

import sqlalchemy as sa

metadata = sa.MetaData()

user = sa.Table(
    "web_user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("owner_name", sa.String(200)),  # officers: matched with the KPIs' owner
    sa.Column("services", sa.Text, nullable=False),  # reviewers: JSON list of services
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

session = sa.Table(
    "web_session", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),  # sha256 of the cookie's id
    sa.Column("user_id", sa.Integer, sa.ForeignKey("web_user.id")),  # NULL before sign-in
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen_at", sa.Float, nullable=False),
)

api_token = sa.Table(
    "web_api_token", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("web_user.id"), nullable=False),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("revoked_at", sa.Float),
)

login_attempt = sa.Table(
    "web_login_attempt", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),  # "user" or "client"
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

# Quarter uploads (migration 0003): the file, its progress and its scored result live in
# the database, so a worker restart loses neither (another worker resumes the scoring).
upload = sa.Table(
    "web_upload", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("web_user.id"), nullable=False),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # see narrative_qa.web.upload
    sa.Column("period", sa.String(50)),  # the period it is (to be) stored as
    sa.Column("total", sa.Integer),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("problems", sa.Text, nullable=False),  # JSON list of row/column problems
    sa.Column("error", sa.Text),  # JSON {code, message} when the file could not be used
    sa.Column("stored", sa.Integer),  # rows stored as the period
    sa.Column("summary", sa.Text),  # JSON counts of verdicts
    sa.Column("input", sa.LargeBinary, nullable=False),
    sa.Column("result", sa.LargeBinary),  # the scored workbook
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("heartbeat_at", sa.Float, nullable=False),  # last progress; a stale one resumes
)
