"""Periods opened for officers' submissions, and withdrawn versions, in the store (SQLite
and PostgreSQL); and migration 0004 over a store made at 0003 (issue 16, defects 2, 4)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from narrative_qa.api import check_draft
from narrative_qa.errors import ConfigError
from narrative_qa.store import windows

P1, P2, P3 = "2025/26 Q1", "2025/26 Q2", "2025/26 Q3"


def _ingest(history, settings, kpi_id: str, period: str, text: str, source: str) -> None:
    assessment = check_draft(text, settings, kpi_id=kpi_id, kpi_name="KPI", target="60",
                             actual="55", unit="%", period=period, owner="Olive Owen")
    history.ingest([assessment], period, source)


def test_open_close_and_reopen_a_period(history):
    assert windows.open_periods(history) == []
    opened = windows.open_period(history, "2025-26 q2", "Performance Team")
    assert opened.period == P2 and opened.is_open and opened.opened_by == "Performance Team"
    windows.open_period(history, P3, "Performance Team")
    assert windows.open_periods(history) == [P3, P2]  # newest first
    assert windows.open_window(history, "2025/26 q2").period == P2
    closed = windows.close_period(history, P2, "Performance Team")
    assert not closed.is_open and closed.closed_by == "Performance Team"
    assert windows.open_window(history, P2) is None and windows.open_periods(history) == [P3]
    with pytest.raises(ConfigError) as again:
        windows.close_period(history, P2, "x")
    assert again.value.code == "NQE120" and P3 in str(again.value)
    assert windows.open_period(history, P2, "Admin").is_open  # reopened, one row kept
    assert sorted(w.period for w in windows.windows(history)) == [P2, P3]
    with pytest.raises(ConfigError) as bad:
        windows.open_period(history, "next year", "x")
    assert bad.value.code == "NQE024"


def test_a_withdrawn_submission_is_a_new_version_no_longer_current(history, settings):
    _ingest(history, settings, "MINE-1", P1, "Up to 55% in Q1 after 3 hires.", "upload.xlsx")
    _ingest(history, settings, "MINE-1", P2, "Up to 58% in Q2.", "web:olive")
    assert history.withdraw("mine-1", P2, "web:olive") == 2
    assert history.current(P2, "MINE-1") == [] and history.current(P2) == []
    versions = history.versions("MINE-1", P2)
    assert [(v["version"], v["is_current"], v["withdrawn"]) for v in versions] == [
        (1, False, False), (2, True, True)]
    assert versions[0]["narrative"] == "Up to 58% in Q2."  # the withdrawn text is kept
    assert [r.kpi_id for r in history.previous_rows(P1)] == ["MINE-1"]
    assert history.previous_rows(P2) == []  # next quarter does not read a withdrawn one
    with pytest.raises(ConfigError) as nothing:
        history.withdraw("MINE-1", P2, "web:olive")
    assert nothing.value.code == "NQE121"
    _ingest(history, settings, "MINE-1", P2, "Resubmitted: 58% in Q2.", "web:olive")
    assert [s.version for s in history.current(P2, "MINE-1")] == [3]


def test_migration_0004_upgrades_a_store_made_at_0003(tmp_path, settings):
    from alembic import command
    from alembic.config import Config

    from narrative_qa.store.history import MIGRATIONS, History

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(sa.text(
            "INSERT INTO submission (kpi_id, period, version, is_current, ingested_at, "
            "source, narrative, record) VALUES ('OLD-1', :p, 1, 1, 'then', 'x', 'Kept.', "
            "'{\"kpi_id\": \"OLD-1\"}')"), {"p": P1})
    history = History(url)
    assert [s.kpi_id for s in history.current(P1)] == ["OLD-1"]
    assert history.versions("OLD-1", P1)[0]["withdrawn"] is False
    assert windows.open_period(history, P2, "Admin").is_open
