"""`narrative-qa users` and the 0002 migration on an existing store."""

from __future__ import annotations

from typer.testing import CliRunner

from narrative_qa.cli import app

runner = CliRunner()


def test_users_add_list_passwd_disable(tmp_path):
    db = ["--db", str(tmp_path / "h.db")]
    added = runner.invoke(app, ["users", "add", "olive", "--role", "officer", "--name",
                                "Olive Owen", "--password-stdin", *db],
                          input="a long password\n")
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["users", "list", *db])
    assert listed.output.split() == ["olive", "officer", "active", "Olive", "Owen", "Olive",
                                     "Owen"]
    assert "a long password" not in listed.output
    from narrative_qa.store.accounts import Accounts
    from narrative_qa.store.history import History

    accounts = Accounts(History(f"sqlite:///{tmp_path / 'h.db'}").engine)
    assert accounts.verify("olive", "a long password") is not None
    changed = runner.invoke(app, ["users", "passwd", "olive", "--password-stdin", *db],
                            input="another long one\n")
    assert changed.exit_code == 0
    assert accounts.verify("olive", "a long password") is None
    assert accounts.verify("olive", "another long one") is not None
    assert runner.invoke(app, ["users", "disable", "olive", *db]).exit_code == 0
    assert accounts.verify("olive", "another long one") is None


def test_users_errors_are_coded(tmp_path):
    db = ["--db", str(tmp_path / "h.db")]
    short = runner.invoke(app, ["users", "add", "x", "--role", "admin", "--password-stdin",
                                *db], input="short\n")
    assert short.exit_code == 2 and "NQE107" in short.output
    runner.invoke(app, ["users", "add", "x", "--role", "admin", "--password-stdin", *db],
                  input="long enough pw\n")
    again = runner.invoke(app, ["users", "add", "x", "--role", "admin", "--password-stdin",
                                *db], input="long enough pw\n")
    assert again.exit_code == 2 and "already exists" in again.output
    unknown = runner.invoke(app, ["users", "disable", "nobody", *db])
    assert unknown.exit_code == 2 and "the users are: x" in unknown.output


def test_a_store_made_before_the_web_app_upgrades_keeping_its_rows(tmp_path, settings):
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from narrative_qa.api import check_draft
    from narrative_qa.store import schema
    from narrative_qa.store.history import MIGRATIONS, History

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(schema.submission.insert().values(
            kpi_id="K", period="2025/26 Q1", version=1, is_current=True, ingested_at="x",
            source="s", narrative="n", record="{}"))
    history = History(url)  # opens at 0002: web tables added, the old row kept
    assert [r["version"] for r in history.versions("K", "2025/26 Q1")] == [1]
    with history.engine.connect() as db:
        assert sa.inspect(db).has_table("web_session")
    from narrative_qa.store.accounts import Accounts

    Accounts(history.engine).add_user("o", "long enough pw", "officer")
    assert check_draft("Up to 61%.", settings) is not None
