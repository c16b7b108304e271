"""The test stores copied from session templates (tests/stores.py) hold what the real
migrations and ingests write, and a store already holding rows is never copied over."""

from __future__ import annotations

import sqlite3

from narrative_qa.store.accounts import Accounts
from narrative_qa.store.history import History
from tests.stores import _copy_rows

PASSWORD = "correct horse battery"


def _rows(path, skip=()):
    db = sqlite3.connect(path)
    try:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "ORDER BY name") if n not in skip]
        return {n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names}
    finally:
        db.close()


def test_a_fresh_store_is_the_migrated_schema(store_templates, tmp_path):
    made = tmp_path / "made.db"
    History(f"sqlite:///{made}").engine.dispose()
    copied = History(store_templates.fresh(tmp_path / "copied.db"))
    copied.engine.dispose()
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    with sqlite3.connect(made) as first, sqlite3.connect(tmp_path / "copied.db") as second:
        assert first.execute(schema).fetchall() == second.execute(schema).fetchall()
    assert _rows(made) == _rows(tmp_path / "copied.db")


def test_the_quarters_are_copied_beside_the_stores_own_rows(store_templates, tmp_path):
    history = History(store_templates.fresh(tmp_path / "history.db"))
    Accounts.of(history).add_user("olive", PASSWORD, "officer")
    store_templates.add_quarters(history)
    assert history.quarter_periods() == ["2025/26 Q1", "2025/26 Q2"]
    assert len(history.current("2025/26 Q2")) == 40
    users = {"web_user"}
    assert _rows(tmp_path / "history.db", users) == _rows(store_templates.quarters, users)
    assert [u.username for u in Accounts.of(history).list_users()] == ["olive"]


def test_a_store_holding_submissions_is_not_copied_into(store_templates, tmp_path):
    history = History(store_templates.fresh(tmp_path / "history.db"))
    before = _rows(tmp_path / "history.db")
    assert _copy_rows(store_templates.quarters, tmp_path / "history.db")
    after = _rows(tmp_path / "history.db")
    assert after != before
    assert not _copy_rows(store_templates.quarters, tmp_path / "history.db")
    assert _rows(tmp_path / "history.db") == after
    history.engine.dispose()
