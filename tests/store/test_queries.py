"""The store answers each question with a query of its own: findings of a period in one
query (not one per row), one KPI's or one owner's rows by their indexed keys (not every
row of the store compared in Python)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from narrative_qa.assessment import Assessment, DataFacts, Finding, Submission
from narrative_qa.store.history import History

Q1, Q2 = "2025/26 Q1", "2025/26 Q2"


def _assessment(kpi_id: str, owner: str, codes: tuple[str, ...] = ("NQ08",)) -> Assessment:
    sub = Submission(narrative=f"Performance of {kpi_id} held at 50% this quarter.",
                     kpi_id=kpi_id, kpi_name=f"KPI {kpi_id}", service="Adult Services",
                     owner=owner, actual=50.0)
    findings = [Finding(code, "slug", "low", "m", "e", "s", [sub.narrative], 0.9)
                for code in codes]
    return Assessment(sub, DataFacts(), findings, "ready", 97)


@pytest.fixture
def store(tmp_path) -> History:
    history = History(f"sqlite:///{tmp_path / 'h.db'}")
    mine = [_assessment(f"MY-{n}", "Head of Carers") for n in range(3)]
    others = [_assessment(f"OT-{n}", f"Officer {n}") for n in range(20)]
    history.ingest(mine + others, Q1, "q1.xlsx")
    history.ingest([_assessment("my-0", " head of  CARERS "), *others], Q2, "q2.xlsx")
    return history


@contextmanager
def selects(history: History):
    """The SELECT statements run, with their parameters."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(history.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(history.engine, "before_cursor_execute", record)


def test_a_period_and_its_findings_are_two_queries_whatever_its_size(store):
    with selects(store) as seen:
        rows = store.current(Q1)
    assert len(rows) == 23 and all(r.findings[0]["code"] == "NQ08" for r in rows)
    assert len(seen) == 2


def test_one_kpi_is_read_by_its_key_not_by_every_row(store):
    with selects(store) as seen:
        latest = store.latest(" My-0 ")
        current = store.current(Q1, "my-1", with_findings=False)
    assert (latest.kpi_id, latest.period) == ("my-0", Q2)
    assert [r.kpi_id for r in current] == ["MY-1"]
    assert len(seen) == 2 and all("kpi_key" in sql for sql, _ in seen)
    assert all("my-0" in str(p) or "my-1" in str(p) for _, p in seen)


def test_an_owners_kpis_are_read_by_owner_not_the_whole_store(store):
    with selects(store) as seen:
        owned = store.latest_owned("HEAD OF CARERS")
    assert sorted((r.kpi_id, r.period) for r in owned) == [
        ("MY-1", Q1), ("MY-2", Q1), ("my-0", Q2)]
    assert len(seen) == 1 and "owner_key" in seen[0][0]
    assert "head of carers" in str(seen[0][1])
    assert store.latest_owned("") == [] and store.latest_owned("Nobody") == []


def test_a_stored_version_is_read_by_id_with_its_fingerprints(store):
    first = store.current(Q1, "OT-3")[0]
    columns, stored, keys = store.submission(first.id)
    assert (columns["owner"], stored.kpi_id, stored.findings) == (
        "Officer 3", "OT-3", first.findings)
    assert len(keys) == 1 and len(keys[0]) == 64
    assert store.submission(10**6) is None


def test_a_store_made_before_the_keys_gains_them(tmp_path):
    """Migration 0006 fills kpi_key and owner_key for the rows already stored."""
    from alembic import command
    from alembic.config import Config

    from narrative_qa.store.history import MIGRATIONS

    url = f"sqlite:///{tmp_path / 'old.db'}"
    history = History(url)
    history.ingest([_assessment("AB-1", "Head of Carers")], Q1, "q1.xlsx")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with history.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    reopened = History(url)
    assert reopened.latest("ab-1").kpi_id == "AB-1"
    assert [r.kpi_id for r in reopened.latest_owned("head of carers")] == ["AB-1"]


def test_checking_a_draft_reads_that_kpis_rows_only(store, settings):
    """A keystroke in the self-check (check_as -> check_draft with the store) reads the
    KPI's previous values and forecasts by its key: no query lists the store's periods or
    reads another KPI's rows."""
    from narrative_qa.selfcheck import check_as
    from narrative_qa.store.accounts import User

    officer = User(1, "o", "officer", "O", "Head of Carers", (), False)
    with selects(store) as seen:
        checked = check_as(officer, "Performance fell to 40% this quarter.",
                           {"kpi_id": "MY-0", "period": "2025/26 Q3"}, settings, store, None)
    assert checked.submission.previous_narrative == store.latest("my-0").record["narrative"]
    reads = [sql for sql, _ in seen if "FROM submission" in sql]
    assert reads and all("kpi_key" in sql for sql in reads), reads
