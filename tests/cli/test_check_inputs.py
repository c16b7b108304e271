"""Issue 17: what `narrative-qa check` reads: Word drafts as the web app reads them (item
17), zip bombs refused (probe 1), special files refused (probe 4), standard input decoded
as files are (item 6)."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from narrative_qa.cli import app
from tests.hostile_files import docx, docx_bomb

runner = CliRunner()
DRAFT = "Performance fell to 51% because 3 of 15 posts were vacant in the quarter."


def _config(tmp_path, text: str):
    path = tmp_path / "settings.toml"
    path.write_text(text)
    return str(path)


def test_a_word_draft_is_checked_by_its_text_not_its_zip_bytes(tmp_path):
    path = tmp_path / "draft.docx"
    path.write_bytes(docx(DRAFT + "\nWe will recruit 3 social workers by March 2026."))
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["narrative"].startswith(DRAFT) and "PK" not in record["narrative"]
    assert "recruit 3 social workers" in record["narrative"]


def test_a_word_bomb_is_refused_naming_the_limit(tmp_path):
    path = docx_bomb(tmp_path / "draft.docx", megabytes=4)
    result = runner.invoke(app, ["check", str(path), "--config",
                                 _config(tmp_path, "[limits]\nmax_unzipped_mb = 1\n")])
    assert result.exit_code == 2
    assert "NQE057" in result.output and "1 MB" in result.output


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "draft.txt"
    link.symlink_to("/dev/zero")
    result = runner.invoke(app, ["check", str(link)])
    assert result.exit_code == 2 and "NQE058" in result.output


def test_endless_standard_input_stops_at_the_narrative_limit(tmp_path):
    config = _config(tmp_path, "[limits]\nmax_narrative_chars = 100\n")
    result = runner.invoke(app, ["check", "-", "--config", config], input=b"a" * 100_000)
    assert result.exit_code == 2 and "NQE021" in result.output


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_standard_input_is_decoded_as_files_are(encoding):
    text = DRAFT + " The café’s staff rota – see below."
    result = runner.invoke(app, ["check", "-", "--format", "json"],
                           input=text.encode(encoding))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["narrative"] == text


def test_check_says_a_period_names_no_real_quarter(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT)
    result = runner.invoke(app, ["check", str(path), "--period", "2025/26 Q5"])
    assert result.exit_code == 2 and "NQE024" in result.output and "quarter 5" in result.output


def test_score_names_a_row_whose_period_names_no_real_quarter(tmp_path):
    """Issue 17 item 14 through `score` itself: the row is scored and its period named."""
    source = tmp_path / "q.csv"
    source.write_text(f"kpi_id,Period,Narrative\nA-1,2025/26 Q5,{DRAFT}\n"
                      f"A-2,2025/26 Q2,{DRAFT}\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["score", str(source), "--out", str(out)])
    assert result.exit_code == 2, result.output  # a row has a problem (README: exit codes)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["kpi_id"] for r in rows] == ["A-1", "A-2"]
    assert "NQE024" in result.output and "2025/26 Q5" in result.output


def test_ingest_refuses_a_period_that_names_no_real_quarter(tmp_path):
    source = tmp_path / "q.csv"
    source.write_text(f"kpi_id,Narrative\nA-1,{DRAFT}\n")
    db = tmp_path / "history.db"
    result = runner.invoke(app, ["ingest", str(source), "--period", "2025/26 Q5", "--db",
                                 str(db)])
    assert result.exit_code == 2 and "NQE024" in result.output
    assert "Stored" not in result.output
