"""`narrative-qa periods open|close|list`: the performance team opens periods from the
server too (the web app's Periods page keeps the same windows)."""

from __future__ import annotations

from typer.testing import CliRunner

from narrative_qa.cli import app

runner = CliRunner()


def test_periods_open_list_close(tmp_path):
    db = ["--db", str(tmp_path / "h.db")]
    opened = runner.invoke(app, ["periods", "open", "2025-26 q3", "--by", "Pat", *db])
    assert opened.exit_code == 0 and "Opened 2025/26 Q3" in opened.output
    listed = runner.invoke(app, ["periods", "list", *db])
    assert listed.output.startswith("2025/26 Q3\topen\topened ") and "by Pat" in listed.output
    closed = runner.invoke(app, ["periods", "close", "2025/26 Q3", *db])
    assert closed.exit_code == 0
    assert "2025/26 Q3\tclosed" in runner.invoke(app, ["periods", "list", *db]).output
    again = runner.invoke(app, ["periods", "close", "2025/26 Q3", *db])
    assert again.exit_code == 2 and "NQE120" in again.output
    bad = runner.invoke(app, ["periods", "open", "next year", *db])
    assert bad.exit_code == 2 and "NQE024" in bad.output
