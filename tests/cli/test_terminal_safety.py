"""Terminal output on a new machine and with hostile text: coded messages stay on one line
whatever the width or path length, and user text is never markup or a terminal command."""

from __future__ import annotations

import io
import json

from rich.console import Console
from typer.testing import CliRunner

from narrative_qa.cli import app
from narrative_qa.cli import check as check_command
from narrative_qa.errors import Location, RowProblem
from narrative_qa.output.terminal import print_problem, terminal_safe

runner = CliRunner()
DRAFT = ("Performance remains below target. Recruitment remains a challenge. We will "
         "introduce a new tracking system in due course.")


def _line_with(output: str, text: str) -> str:
    return next(line for line in output.splitlines() if text in line)


def test_a_coded_error_is_one_line_whatever_the_path_length_and_width(tmp_path):
    folder = tmp_path / ("a-very-long-folder-name-" * 6)
    folder.mkdir()
    path = folder / "nolabels.jsonl"
    path.write_text(json.dumps({"narrative": "x"}))
    for columns in ("20", "80", "300"):
        result = runner.invoke(app, ["evaluate", str(path)], env={"COLUMNS": columns})
        assert result.exit_code == 2
        line = _line_with(result.output, "NQE024")
        assert f"{path}, row 1, column 'labels'" in line


def test_a_coded_message_keeps_file_row_and_column_together_on_a_terminal():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=40, color_system=None)
    problem = RowProblem("NQE022", "target 'lots' is not a number",
                         Location("/tmp/" + "deep/" * 20 + "q2.csv", 7, "Target"))
    print_problem(problem, console, "yellow")
    assert "q2.csv, row 7, column 'Target'" in buffer.getvalue()


def test_terminal_text_shows_control_characters_instead_of_obeying_them():
    assert terminal_safe("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"
    assert terminal_safe("line\x0bnext\r\nend") == "line\nnext\nend"
    assert terminal_safe("tab\tkept") == "tab\tkept"


def test_check_never_passes_ansi_escapes_or_markup_from_the_draft(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("\x1b[2J\x1b]0;owned\x07" + DRAFT + " See [/x] and [bold]this[/bold].")
    result = runner.invoke(app, ["check", str(draft), "--kpi-name", "Reviews [/red]",
                                 "--target", "60", "--actual", "51", "--polarity", "up"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b[2J" in result.output
    assert "Reviews [/red]" in result.output


def test_the_error_handler_prints_text_that_looks_like_markup(tmp_path):
    missing = tmp_path / "draft [/x] [bold].txt"
    result = runner.invoke(app, ["check", str(missing)])
    assert result.exit_code == 2
    assert "NQE001" in result.output and "draft [/x] [bold].txt" in result.output


def test_ingest_and_review_list_print_user_text_that_looks_like_markup(tmp_path):
    export = tmp_path / "q2.csv"
    export.write_text("kpi_id,kpi_name,target,actual,previous_actual,polarity,narrative\n"
                      f"K1,Reviews completed,60,51,[/red],up,{DRAFT}\n", encoding="utf-8")
    db = str(tmp_path / "h.db")
    ingest = runner.invoke(app, ["ingest", str(export), "--period", "2025/26 Q2", "--db", db])
    assert ingest.exit_code == 2, ingest.output  # exit 2: the row has a problem
    assert "previous actual '[/red]' is not a number" in ingest.output
    dismiss = runner.invoke(app, ["review", "dismiss", "--period", "2025/26 Q2", "--kpi", "K1",
                                  "--code", "NQ04", "--reason", "fine [/x] really",
                                  "--by", "[bold]Ann", "--db", db])
    assert dismiss.exit_code == 0, dismiss.output
    listing = runner.invoke(app, ["review", "list", "--db", db])
    assert listing.exit_code == 0, listing.output
    assert "[bold]Ann" in listing.output and "fine [/x] really" in listing.output


def test_rules_explain_of_an_unknown_code_lists_the_codes():
    result = runner.invoke(app, ["rules", "explain", "NQ99"])
    assert result.exit_code == 2
    line = _line_with(result.output, "NQE")
    assert line.startswith("NQE024") and "NQ99" in line and "NQ04" in line
    assert "rule file" not in result.output


def test_check_says_what_it_waits_for_when_a_person_is_typing(monkeypatch):
    monkeypatch.setattr(check_command, "stdin_is_tty", lambda: True)
    result = runner.invoke(app, ["check", "--kpi-name", "Waits"], input=DRAFT)
    assert result.exit_code == 0
    assert "Ctrl-D" in result.output.splitlines()[0]
    monkeypatch.setattr(check_command, "stdin_is_tty", lambda: False)
    piped = runner.invoke(app, ["check", "--kpi-name", "Waits"], input=DRAFT)
    assert "Ctrl-D" not in piped.output


def test_a_coded_message_with_line_breaks_in_its_detail_is_one_line():
    from narrative_qa.errors import ConfigError

    error = ConfigError("NQE014", "cannot open the history store (connection failed\n"
                        "  is the server running?\n)", Location("postgresql://u:***@h/db"))
    assert "\n" not in error.render()
    assert "connection failed is the server running? )" in error.render()
    problem = RowProblem("NQE022", "target 'a\nb' is not a number", Location("f.csv", 3, "t"))
    assert problem.render().startswith("NQE022 f.csv, row 3, column 't': target 'a b'")
