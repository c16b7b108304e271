"""Hostile and everyday inputs against the history store (issue 7): nothing is lost, nothing
reversed, no password shown, concurrent writers queue, every message says what to do."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrative_qa.api import ingest_file
from narrative_qa.assessment import Assessment
from narrative_qa.cli import app
from narrative_qa.errors import ConfigError, InputError
from narrative_qa.reporting.view import build_report
from narrative_qa.store import history as store
from narrative_qa.store.history import History

Q1P, Q2P, Q3P = "2025/26 Q1", "2025/26 Q2", "2025/26 Q3"
CHALLENGE = "Recruitment remains a challenge."  # raises NQ04 (challenge with no figures)


def row(kpi_id: str, narrative: str = CHALLENGE, **extra) -> dict:
    return {"kpi_id": kpi_id, "kpi_name": f"KPI {kpi_id}", "owner": "A Smith",
            "service": "HR", "target": 60, "actual": 51, "narrative": narrative, **extra}


def jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def flat(text: str) -> str:
    return " ".join(text.split())


def real_url(history: History) -> str:
    return history.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def sqlite_store(tmp_path) -> History:
    return History(f"sqlite:///{tmp_path / 'history.db'}")


# --- item 5: a password in --db is never shown ----------------------------------------

def test_password_is_hidden_in_urls():
    from narrative_qa.store.history import redact

    assert "secret" not in redact("postgresql+psycopg://u:secret@host/db")
    assert "secret" not in redact("postgresql://u@host/db?password=secret&sslmode=require")
    assert "secret" not in redact("postgresql://u:secret@[bad")  # not even parseable


def test_unreachable_server_error_does_not_show_the_password():
    url = "postgresql+psycopg://u:secret@127.0.0.1:9/db?connect_timeout=2"
    with pytest.raises(ConfigError) as caught:
        History(url)
    assert caught.value.code == "NQE014"
    assert "secret" not in caught.value.render() and "***" in caught.value.render()
    result = CliRunner().invoke(app, ["review", "list", "--db", url])
    assert result.exit_code == 2 and "NQE014" in result.output
    assert "secret" not in result.output


def test_stored_message_does_not_show_the_password(postgres_url, tmp_path):
    # The throwaway server trusts every login, so a password in the URL is accepted.
    url = postgres_url.replace("postgres@", "postgres:secret@")
    path = jsonl(tmp_path / "q.jsonl", [row("P-1")])
    result = CliRunner().invoke(app, ["ingest", str(path), "--period", Q2P, "--db", url])
    assert result.exit_code == 0, result.output
    assert "Stored 1 rows" in result.output and "secret" not in result.output


# --- item 7: every input row is stored or reported --------------------------------------

HOSTILE_ROWS = [row("A-1"), row(""), row("C-1", narrative=""),
                row("D-1", "First copy. " + CHALLENGE), row("D-1", "Second copy. " + CHALLENGE)]


def test_every_row_is_stored_and_counted_in_the_report(sqlite_store, settings, tmp_path):
    path = jsonl(tmp_path / "q.jsonl", HOSTILE_ROWS)
    result, stored = ingest_file(path, Q2P, sqlite_store, settings=settings)
    assert stored == 5
    view = build_report(sqlite_store, Q2P)
    assert len(view.items) == 5
    assert view.verdicts["error"] == 1  # the empty narrative: "could not be scored"
    blocked = next(i for i in view.items if i.kpi_id == "C-1")
    assert blocked.verdict == "error" and blocked.record["errors"][0]["code"] == "NQE020"
    copies = [i.record["narrative"] for i in view.items if i.kpi_id == "D-1"]
    assert sorted(copies) == sorted(r["narrative"] for r in HOSTILE_ROWS[3:])
    nameless = next(i for i in view.items if i.kpi_id == "(no kpi_id, row 2)")
    assert nameless.findings and nameless.record["errors"][0]["code"] == "NQE066"


def test_ingest_says_how_many_rows_were_and_were_not_scored(sqlite_store, tmp_path):
    path = jsonl(tmp_path / "q.jsonl", HOSTILE_ROWS)
    result = CliRunner().invoke(app, ["ingest", str(path), "--period", Q2P,
                                      "--db", real_url(sqlite_store)])
    output = flat(result.output)
    assert result.exit_code == 2
    assert "Stored 5 rows" in output and "4 scored, 1 could not be scored" in output
    assert f"NQE066 {path}, row 2, column 'kpi_id'" in output
    assert f"NQE020 {path}, row 3, column 'narrative'" in output
    assert f"NQE023 {path}, row 4, column 'kpi_id'" in output
    assert f"NQE023 {path}, row 5, column 'kpi_id'" in output


def test_reingesting_supersedes_copies_and_nameless_rows(sqlite_store, settings, tmp_path):
    path = jsonl(tmp_path / "q.jsonl", HOSTILE_ROWS)
    ingest_file(path, Q2P, sqlite_store, settings=settings)
    ingest_file(path, Q2P, sqlite_store, settings=settings)
    assert len(sqlite_store.current(Q2P)) == 5  # the second ingest replaced the first
    assert [v["is_current"] for v in sqlite_store.versions("D-1", Q2P)] == [
        False, False, True, True]


# --- item 9: importing an old export is idempotent and keeps each decision's time --------

def _export(history: History, path: Path) -> None:
    result = CliRunner().invoke(app, ["review", "export", str(path), "--db", real_url(history)])
    assert result.exit_code == 0, result.output


def test_importing_an_old_export_does_not_reverse_a_later_decision(sqlite_store, settings,
                                                                   tmp_path):
    ingest_file(jsonl(tmp_path / "q.jsonl", [row("D-1")]), Q2P, sqlite_store, settings=settings)
    sqlite_store.decide("D-1", Q2P, "NQ04", "dismissed", "figures in appendix", "ELT",
                        decided_at="2025-10-01T09:00:00+00:00")
    old = tmp_path / "old.csv"
    _export(sqlite_store, old)
    sqlite_store.decide("D-1", Q2P, "NQ04", "confirmed", "appendix was not attached", "ELT")
    assert not sqlite_store.dismissed(Q2P)

    result = CliRunner().invoke(app, ["review", "import", str(old),
                                      "--db", real_url(sqlite_store)])
    assert result.exit_code == 0, result.output
    assert "Recorded 0 decisions" in flat(result.output)
    assert "1 were already recorded" in flat(result.output)
    assert len(sqlite_store.decisions()) == 2
    assert not sqlite_store.dismissed(Q2P)  # the later confirmation still stands


def test_an_imported_decision_keeps_its_own_time(sqlite_store, settings, tmp_path):
    ingest_file(jsonl(tmp_path / "q.jsonl", [row("D-1")]), Q2P, sqlite_store, settings=settings)
    sqlite_store.decide("D-1", Q2P, "NQ04", "confirmed", "stands", "ELT")
    sheet = tmp_path / "decisions.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kpi_id", "period", "code", "decision", "reason", "reviewer",
                         "decided_at"])
        writer.writerow(["D-1", Q2P, "NQ04", "dismissed", "old view", "ELT",
                         "01/10/2025 09:30"])  # as Excel re-saves a time
    result = CliRunner().invoke(app, ["review", "import", str(sheet),
                                      "--db", real_url(sqlite_store)])
    assert result.exit_code == 0, result.output
    times = {d["decision"]: d["decided_at"] for d in sqlite_store.decisions()}
    assert times["dismissed"] == "2025-10-01T09:30:00+00:00"
    assert not sqlite_store.dismissed(Q2P)  # older than the confirmation, so it loses
    assert [d["decision"] for d in sqlite_store.decisions()] == ["dismissed", "confirmed"]


def test_a_decision_time_that_is_not_a_time_is_a_row_error(sqlite_store, settings, tmp_path):
    ingest_file(jsonl(tmp_path / "q.jsonl", [row("D-1")]), Q2P, sqlite_store, settings=settings)
    sheet = tmp_path / "decisions.csv"
    sheet.write_text("kpi_id,period,code,decision,reason,reviewer,decided_at\n"
                     f"D-1,{Q2P},NQ04,dismissed,why,ELT,yesterday\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["review", "import", str(sheet),
                                      "--db", real_url(sqlite_store)])
    assert result.exit_code == 2
    assert f"NQE065 {sheet}, row 2, column 'decided_at'" in flat(result.output)
    assert not sqlite_store.decisions()


# --- item 10: dismissals never reach back; --period is checked against the file ----------

def test_a_dismissal_applies_to_its_period_and_later_ones_only(sqlite_store, settings,
                                                               tmp_path):
    path = jsonl(tmp_path / "q.jsonl", [row("D-1")])
    for period in (Q1P, Q2P, Q3P):
        ingest_file(path, period, sqlite_store, settings=settings)
    sqlite_store.decide("D-1", Q2P, "NQ04", "dismissed", "not a challenge", "ELT")
    codes = {p: {f["code"] for i in build_report(sqlite_store, p).items for f in i.findings}
             for p in (Q1P, Q2P, Q3P)}
    assert "NQ04" in codes[Q1P]
    assert "NQ04" not in codes[Q2P] and "NQ04" not in codes[Q3P]
    q2 = build_report(sqlite_store, Q2P)
    q1_nq04 = next(c for c in q2.change if c["code"] == "NQ04")
    assert q1_nq04["before"] == 1  # last quarter's count is not reduced by a later dismissal


def test_ingest_refuses_a_file_for_another_period(sqlite_store, settings, tmp_path):
    path = jsonl(tmp_path / "q2.jsonl", [row("A-1", period=Q2P), row("B-1", period=Q2P)])
    with pytest.raises(InputError) as caught:
        ingest_file(path, Q3P, sqlite_store, settings=settings)
    message = caught.value.render()
    assert caught.value.code == "NQE060"
    assert f"{path}, row 1, column 'period'" in message
    assert Q2P in message and Q3P in message and "1 more rows" in message
    assert sqlite_store.periods() == []
    _, stored = ingest_file(path, "2025-26 q2", sqlite_store, settings=settings)
    assert stored == 2  # the same period written another way is accepted


# --- item 16: two ingests at once --------------------------------------------------------

def _slow_records(monkeypatch) -> None:
    """Make each stored row take a little while, so two ingests surely overlap."""
    original = Assessment.to_record

    def slow(self):
        time.sleep(0.01)
        return original(self)

    monkeypatch.setattr(Assessment, "to_record", slow)


def test_two_ingests_at_once_are_stored_as_versions_1_and_2(history, settings, tmp_path,
                                                           monkeypatch):
    path = jsonl(tmp_path / "q.jsonl", [row(f"K-{n}", f"Row {n}. {CHALLENGE}")
                                        for n in range(20)])
    result, _ = ingest_file(path, Q1P, history, settings=settings)  # scored once
    _slow_records(monkeypatch)
    url, errors, start = real_url(history), [], threading.Barrier(2)

    def writer(source: str) -> None:
        try:
            writer_store = History(url)  # its own connections, as a second process has
            start.wait()
            writer_store.ingest(result.assessments, Q2P, source)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever escaped
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for n in range(20):
        versions = history.versions(f"K-{n}", Q2P)
        assert [(v["version"], v["is_current"]) for v in versions] == [(1, False), (2, True)]
    assert len(history.current(Q2P)) == 20


def test_a_store_kept_busy_is_a_coded_error_and_nothing_is_half_written(sqlite_store, settings,
                                                                        tmp_path, monkeypatch):
    result, _ = ingest_file(jsonl(tmp_path / "q.jsonl", [row("A-1"), row("B-1")]), Q1P,
                            sqlite_store, settings=settings)
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.2)
    busy_store = History(real_url(sqlite_store))
    other = sqlite3.connect(str(tmp_path / "history.db"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the store
    try:
        with pytest.raises(ConfigError) as caught:
            busy_store.ingest(result.assessments, Q2P, "q.jsonl")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert caught.value.code == "NQE062" and "nothing from this run was stored" in str(
        caught.value)
    assert sqlite_store.current(Q2P) == []


# --- item 19: review messages list the values; missing drivers name the extra ------------

def _import(history: History, path: Path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return CliRunner().invoke(app, ["review", "import", str(path), "--db", real_url(history)])


def test_review_errors_list_the_values_to_use(sqlite_store, settings, tmp_path):
    ingest_file(jsonl(tmp_path / "q.jsonl", [row("D-1"), row("E-1")]), Q2P, sqlite_store,
                settings=settings)
    header = "kpi_id,period,code,decision,reason,reviewer"
    result = _import(sqlite_store, tmp_path / "d.csv", [
        header, f"D-1,{Q2P},NQ04,rejected,why,ELT", f"D-1,{Q2P},NQ99,dismissed,why,ELT",
        f"NOPE,{Q2P},NQ04,dismissed,why,ELT", f"D-1,{Q2P},NQ04,dismissed,,ELT",
        "D-1,1999/00 Q1,NQ04,dismissed,why,ELT"])
    output = flat(result.output)
    assert result.exit_code == 2
    assert "row 2, column 'decision'" in output
    assert "decision must be one of: confirmed, dismissed" in output
    assert "no NQ99 finding for KPI 'D-1'" in output
    assert "the findings raised for it are: NQ04" in output
    assert "no KPI 'NOPE' is stored" in output and "are: D-1, E-1" in output
    assert "NQE061" in output and "row 5, column 'reason'" in output
    assert f"periods stored: {Q2P}" in output


def test_a_decisions_file_without_a_column_names_the_columns(sqlite_store, tmp_path):
    result = _import(sqlite_store, tmp_path / "d.csv", ["kpi_id,period,code,decision,reason",
                                                        f"D-1,{Q2P},NQ04,dismissed,why"])
    output = flat(result.output)
    assert result.exit_code == 2 and "NQE064" in output and "'reviewer'" in output
    assert "--map" not in output


def test_a_missing_database_driver_names_the_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    with pytest.raises(ConfigError) as caught:
        History("postgresql+psycopg://u:secret@localhost/db")
    message = caught.value.render()
    assert caught.value.code == "NQE063" and "pip install 'narrative-qa[postgres]'" in message
    assert "No module named" not in message and "secret" not in message
    with pytest.raises(ConfigError, match="NQE063"):
        History("postgresql+psycopg2://u@localhost/db")  # psycopg2 is not a dependency
