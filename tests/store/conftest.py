"""History stores for the tests: a SQLite file, and a real PostgreSQL server when one can
be started (the postgres_url fixture of tests/conftest.py)."""

from __future__ import annotations

import pytest

from narrative_qa.store.history import History


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def history(request, tmp_path, store_templates):
    if request.param == "sqlite":
        return History(store_templates.fresh(tmp_path / "history.db"))
    url = request.getfixturevalue("postgres_url")
    store = History(url)
    with store.engine.begin() as db:  # each test starts from an empty store
        from narrative_qa.store import schema

        for table in (schema.forecast, schema.finding, schema.decision, schema.submission,
                      schema.submission_window):
            db.execute(table.delete())
    return store
