"""The ELT flow on SQLite and on a real PostgreSQL server: ingest two quarters, report,
feedback, dismiss a finding and see it gone (and remembered next quarter)."""

from __future__ import annotations

import csv
import json

import openpyxl
from typer.testing import CliRunner

from narrative_qa.api import check_draft, ingest_file
from narrative_qa.cli import app
from narrative_qa.language.periods import next_period, previous_period
from narrative_qa.reporting.render import render_report_html, write_feedback, write_report
from narrative_qa.reporting.view import build_report
from tests.conftest import Q1, Q2

Q1P, Q2P = "2025/26 Q1", "2025/26 Q2"


def ingest_both(history, settings):
    ingest_file(Q1, Q1P, history, settings=settings)
    result, stored = ingest_file(Q2, Q2P, history, settings=settings)
    assert stored == 40
    return result


def stored_both(history, store_templates):
    """The same two quarters in the store, copied from the session's template on SQLite
    (tests/stores.py), for tests of what is done with them rather than of ingesting."""
    store_templates.add_quarters(history)
    assert len(history.current(Q2P)) == 40


def test_periods_count_back_across_financial_years():
    assert previous_period("2025/26 Q2") == "2025/26 Q1"
    assert previous_period("2025/26 Q1") == "2024/25 Q4"
    assert previous_period("Spring 2025") is None
    assert next_period("2025/26 Q1") == "2025/26 Q2"
    assert next_period("2025/26 Q4") == "2026/27 Q1"
    assert next_period("Spring 2025") is None


def test_ingest_takes_last_quarter_from_the_store(history, settings):
    result = ingest_both(history, settings)
    joined = [a.submission for a in result.assessments]
    assert all(s.previous_narrative for s in joined)
    assert sum(isinstance(s.previous_actual, float) for s in joined) >= 35
    assert {f.code for a in result.assessments for f in a.findings} >= {"NQ01", "NQ03", "NQ11"}


def test_reingesting_keeps_the_earlier_version(history, settings):
    ingest_both(history, settings)
    ingest_file(Q2, Q2P, history, settings=settings)
    versions = history.versions("CS-05", Q2P)
    assert [(v["version"], v["is_current"]) for v in versions] == [(1, False), (2, True)]
    assert len(history.current(Q2P)) == 40


def test_check_and_score_take_previous_values_from_the_store(history, settings, store_templates):
    stored_both(history, store_templates)
    stored = next(s for s in history.current(Q2P) if s.kpi_id == "CS-05")
    draft = check_draft(stored.record["narrative"], settings, history=history,
                        kpi_id="CS-05", period="2025/26 Q3", target="60", actual="55")
    assert draft.submission.previous_narrative == stored.record["narrative"]
    assert draft.submission.previous_actual == stored.record["actual"]
    assert "NQ11" in {f.code for f in draft.findings}


def test_report_counts_and_dismissal(history, store_templates, tmp_path):
    stored_both(history, store_templates)
    view = build_report(history, Q2P)
    assert sum(view.verdicts.values()) == 40
    before = sum(len(i.findings) for i in view.items)
    target = next(i for i in view.items if any(f["code"] == "NQ04" for f in i.findings))
    history.decide(target.kpi_id, Q2P, "NQ04", "dismissed", "figure is in the appendix",
                   "ELT reviewer")
    after = build_report(history, Q2P)
    assert sum(len(i.findings) for i in after.items) == before - 1
    assert after.dismissed == 1
    item = next(i for i in after.items if i.kpi_id == target.kpi_id)
    assert "NQ04" not in {f["code"] for f in item.findings}
    written = write_feedback(history, Q2P, tmp_path / "feedback")
    assert {p.suffix for p in written} == {".md", ".html", ".docx"}
    owner_doc = next(p for p in written if p.suffix == ".md"
                     and target.kpi_id in p.read_text())
    from docx import Document

    word = Document(str(owner_doc.with_suffix(".docx")))
    text_in_word = "\n".join(p.text for p in word.paragraphs)
    assert target.kpi_id in text_in_word and "What to add:" in text_in_word
    assert "Challenge named with no figures" not in text_in_word.split(target.kpi_id)[1]
    text = owner_doc.read_text()
    section = text[text.index(target.kpi_id):]
    section = section.split("\n## ")[0]
    assert "Challenge named with no figures" not in section
    decision = history.decisions()[0]
    assert decision["reviewer"] == "ELT reviewer" and decision["decided_at"]


def test_dismissal_is_remembered_when_the_sentence_recurs(history, settings, store_templates):
    stored_both(history, store_templates)
    recycled = next(s for s in history.current(Q2P)
                    if any(f["code"] == "NQ04" for f in s.findings))
    history.decide(recycled.kpi_id, Q2P, "NQ04", "dismissed", "not a challenge", "reviewer")
    # Next quarter the officer submits the same sentence again.
    later = check_draft(recycled.record["narrative"], settings, kpi_id=recycled.kpi_id,
                        period="2025/26 Q3", target=str(recycled.record["target"]),
                        actual=str(recycled.record["actual"]))
    history.ingest([later], "2025/26 Q3", "draft")
    view = build_report(history, "2025/26 Q3")
    assert "NQ04" not in {f["code"] for i in view.items for f in i.findings}


def test_xlsx_screening_table(history, store_templates, tmp_path):
    stored_both(history, store_templates)
    path = write_report(history, Q2P, tmp_path / "report.xlsx")
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("KPI", "KPI name", "Service", "Owner")
    assert len(rows) == 41


def test_html_in_narrative_renders_as_text(history, settings, tmp_path):
    evil = tmp_path / "evil.jsonl"
    evil.write_text(json.dumps({
        "kpi_id": "X-1", "kpi_name": "<img src=x onerror=alert(1)>", "owner": "<b>Boss</b>",
        "period": Q2P, "target": 60, "actual": 51, "service": "<i>svc</i>",
        "narrative": "<script>alert('x')</script> Recruitment remains a challenge."}))
    ingest_file(evil, Q2P, history, settings=settings)
    html = render_report_html(build_report(history, Q2P))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "<b>Boss</b>" not in html
    for path in write_feedback(history, Q2P, tmp_path / "fb"):
        if path.suffix != ".docx":
            text = path.read_text()
            assert "<script>" not in text and "<img" not in text


def test_cli_flow_with_decisions_file(history, settings, tmp_path):
    runner = CliRunner()
    db = ["--db", history.url]
    for path, period in ((Q1, Q1P), (Q2, Q2P)):
        result = runner.invoke(app, ["ingest", str(path), "--period", period, *db])
        assert result.exit_code == 0, result.output
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["report", "--period", Q2P, "--out", str(out), *db]).exit_code == 0
    assert 'data-verdict="not-acceptable"' in out.read_text()
    view = build_report(history, Q2P)
    item = next(i for i in view.items if i.findings)
    code = item.findings[0]["code"]
    decisions = tmp_path / "decisions.csv"
    with decisions.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kpi_id", "period", "code", "decision", "reason", "reviewer"])
        writer.writerow([item.kpi_id, Q2P, code, "dismissed", "agreed at ELT", "=cmd"])
        writer.writerow(["NOPE", Q2P, "NQ04", "dismissed", "typo", "reviewer"])
    result = runner.invoke(app, ["review", "import", str(decisions), *db])
    output = " ".join(result.output.split())
    assert result.exit_code == 2 and "row 3" in output and "NOPE" in output
    exported = tmp_path / "out.csv"
    assert runner.invoke(app, ["review", "export", str(exported), *db]).exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    assert "agreed at ELT" in text and "'=cmd" in text
    assert runner.invoke(app, ["report", "--period", "1999/00 Q1", *db]).exit_code == 2


def test_an_existing_store_opens_again_at_the_latest_schema(tmp_path, settings):
    import sqlalchemy as sa

    from narrative_qa.store.history import History

    url = f"sqlite:///{tmp_path / 'kept.db'}"
    ingest_file(Q1, Q1P, History(url), settings=settings)
    reopened = History(url)  # runs the migrations again: nothing to do, nothing lost
    assert len(reopened.current(Q1P)) == 40
    with reopened.engine.connect() as db:
        version = db.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert version == _head()


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from narrative_qa.store.history import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_a_store_that_cannot_be_opened_is_an_nqe_error(tmp_path):
    import pytest

    from narrative_qa.errors import ConfigError
    from narrative_qa.store.history import History

    with pytest.raises(ConfigError, match="NQE014"):
        History(f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}")


def test_the_screening_workbook_is_formatted_as_a_council_would(history, store_templates,
                                                                tmp_path):
    """Issue 16, defect 19: no widths, header style, frozen header or filter; snake_case
    headers."""
    stored_both(history, store_templates)
    sheet = openpyxl.load_workbook(write_report(history, Q2P, tmp_path / "r.xlsx")).active
    headers = [c.value for c in sheet[1]]
    assert headers == ["KPI", "KPI name", "Service", "Owner", "RAG stated",
                       "RAG from the figures", "Verdict", "Findings",
                       "What the ELT should know"]
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["I"].width >= 60 and sheet.column_dimensions["B"].width >= 30
    fills = {c.value: c.fill.fgColor.rgb for row in sheet.iter_rows(min_row=2, min_col=5,
                                                                     max_col=7) for c in row}
    assert fills["red"].endswith("FFC7CE") and fills["green"].endswith("C6EFCE")
    assert fills["not-acceptable"].endswith("FFC7CE")


def test_a_kpi_spelled_another_way_supersedes_the_stored_one(history, settings):
    """One KPI-identity rule (previous.match_key) when storing too: 'cs-05 ' is CS-05, so
    storing it makes CS-05's earlier copy superseded and numbers its version after it."""
    first = check_draft("Performance fell to 51% in June.", settings, kpi_id="CS-05",
                        period=Q2P, target="60", actual="51")
    again = check_draft("Performance fell to 51% in June; vacancies explain it.", settings,
                        kpi_id="cs-05 ", period=Q2P, target="60", actual="51")
    history.ingest([first], Q2P, "first.xlsx")
    history.ingest([again], Q2P, "second.xlsx")
    versions = history.versions("CS-05", Q2P)
    assert [(v["version"], v["is_current"]) for v in versions] == [(1, False), (2, True)]
    current = history.current(Q2P)
    assert len(current) == 1
    assert current[0].record["narrative"].endswith("vacancies explain it.")
