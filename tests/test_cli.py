"""The command line, through typer's CliRunner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from narrative_qa.cli import app
from tests.conftest import Q1, Q2

runner = CliRunner()
DRAFT = ("Performance remains below target. Recruitment remains a challenge. We will "
         "introduce a new tracking system in due course. The SWIFT team continues to monitor.")


def test_check_prints_findings_by_severity_with_quotes(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    result = runner.invoke(app, ["check", str(draft), "--target", "60", "--actual", "51",
                                 "--rag", "amber", "--fail-on", "high"])
    assert result.exit_code == 1, result.output
    out = result.output
    assert out.index("HIGH") < out.index("LOW")
    assert "NQ04 anecdotal-challenge" in out and "“Recruitment remains a challenge.”" in out
    assert "What to add:" in out and "SWIFT" in out


def test_check_reads_stdin_and_writes_json():
    result = runner.invoke(app, ["check", "-", "--format", "json", "--kpi-name", "Waits"],
                           input=DRAFT)
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["kpi_name"] == "Waits"
    assert {"NQ02", "NQ04", "NQ08"} <= {f["code"] for f in record["findings"]}


def test_score_writes_output_and_summary(tmp_path):
    out = tmp_path / "q2.xlsx"
    result = runner.invoke(app, ["score", str(Q2), "--previous", str(Q1), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "40 submissions" in result.output and "Findings by code" in result.output
    assert out.exists()
    failing = runner.invoke(app, ["score", str(Q2), "--previous", str(Q1), "--out",
                                  str(tmp_path / "q2.jsonl"), "--fail-on", "high", "--quiet"])
    assert failing.exit_code == 1


def test_score_reports_file_errors_with_code_and_exit_2(tmp_path):
    bad = tmp_path / "no-narrative.csv"
    bad.write_text("KPI,Target\nA,1\n")
    result = runner.invoke(app, ["score", str(bad)])
    assert result.exit_code == 2
    assert "NQE005" in result.output and "no-narrative.csv" in result.output
    result = runner.invoke(app, ["score", str(tmp_path / "q.xlsx"), "--out", "x.txt"])
    assert result.exit_code == 2 and "NQE001" in result.output


def test_rules_list_and_explain():
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0
    assert all(f"NQ{i:02d}" in listing.output for i in range(1, 12))
    explain = runner.invoke(app, ["rules", "explain", "nq04"])
    assert explain.exit_code == 0
    assert "anecdotal-challenge" in explain.output and "does not trigger" in explain.output
    missing = runner.invoke(app, ["rules", "explain", "NQ99"])
    assert missing.exit_code == 2 and "NQE024" in missing.output
