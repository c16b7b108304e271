"""Hostile and everyday text in every writer: no live formulas, no raw Markdown/HTML, no
crash on control characters, no file overwritten by another, no partial output, and a
coded error (never a traceback) for an output path that cannot be used."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from typer.testing import CliRunner

from narrative_qa.api import ingest_file, score_file
from narrative_qa.cli import app
from narrative_qa.output.files import safe_cell, write_assessments
from narrative_qa.reporting import render
from narrative_qa.reporting.render import write_feedback, write_report
from narrative_qa.store.history import History

runner = CliRunner()
PERIOD = "2025/26 Q2"
LIVE = '\x01=HYPERLINK("http://evil.example/","click")'
NARRATIVE = "Recruitment remains a challenge.\x0bWe will recruit two posts by March."


def _jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _record(**values) -> dict:
    record = {"kpi_id": "X-1", "kpi_name": "Waits", "owner": "A Smith", "period": PERIOD,
              "target": 60, "actual": 51, "narrative": NARRATIVE}
    record.update(values)
    return record


@pytest.fixture
def history(tmp_path) -> History:
    return History(f"sqlite:///{tmp_path / 'history.db'}")


def _no_live_formula(cells: list) -> None:
    for cell in cells:
        text = str(cell)
        assert text.lstrip()[:1] not in {"=", "+", "-", "@"}, repr(text)
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), repr(text)


def _xlsx_cells(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if cell.value is not None:
                    cells.append(cell.value)
    return cells


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [c for row in csv.reader(handle) for c in row]


# 2. Formula injection: neutralised after cleaning, in every writer, every column.

def test_control_character_cannot_hide_a_formula():
    for value in (LIVE, "\x00+1", "\x0b-2+3", " =1+1", "\u2028@SUM(A1)"):
        cell = safe_cell(value)
        assert cell.startswith("'"), repr(cell)
        _no_live_formula([cell])
    assert safe_cell("ok") == "ok" and safe_cell(3) == 3 and safe_cell(None) is None
    assert safe_cell(safe_cell(LIVE)) == safe_cell(LIVE)  # applied twice, changed once


def test_score_csv_and_xlsx_neutralise_every_column_and_header(tmp_path, settings):
    source = _jsonl(tmp_path / "in.jsonl", _record(kpi_id=LIVE, owner=LIVE, **{LIVE: "x"}))
    result = score_file(source, settings=settings)
    write_assessments(result.assessments, tmp_path / "o.csv")
    write_assessments(result.assessments, tmp_path / "o.xlsx")
    csv_cells, xlsx_cells = _csv_cells(tmp_path / "o.csv"), _xlsx_cells(tmp_path / "o.xlsx")
    for cells in (csv_cells, xlsx_cells):
        _no_live_formula(cells)
        assert sum(str(c).startswith("' =HYPERLINK") for c in cells) >= 3  # header, id, owner


def test_report_xlsx_and_decision_export_neutralise(tmp_path, settings, history):
    source = _jsonl(tmp_path / "in.jsonl", _record(
        kpi_id="X-1", owner=LIVE, service=LIVE, kpi_name=LIVE,
        narrative="Recruitment remains a challenge."))
    ingest_file(source, PERIOD, history, settings=settings)
    code = history.current(PERIOD)[0].findings[0]["code"]
    history.decide("X-1", PERIOD, code, "dismissed", LIVE, LIVE)
    _no_live_formula(_xlsx_cells(write_report(history, PERIOD, tmp_path / "r.xlsx")))
    out = tmp_path / "decisions.csv"
    result = runner.invoke(app, ["review", "export", str(out), "--db", history.url])
    assert result.exit_code == 0, result.output
    cells = _csv_cells(out)
    _no_live_formula(cells)
    assert cells.count(safe_cell(LIVE)) == 2  # reason and reviewer


# 3. Markdown feedback: every value escaped, automatically.

def test_markdown_feedback_escapes_owner_and_period():
    owner = "<!-- [click](javascript:alert(1)) <b>Boss</b> *x*"
    period = "2025/26 Q2 <img src=x onerror=alert(1)> [a](javascript:x)"
    text = render.render_feedback_markdown(owner, period, [], {})
    assert "<!--" not in text and "<b>" not in text and "<img" not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # escaped: shown, not a link
    assert r"\[click\]" in text
    assert "&lt;b&gt;Boss&lt;/b&gt;" in text and r"\*x\*" in text


def test_markdown_escaping_is_automatic_and_never_doubled():
    template = render.markdown_environment().from_string("{{ a }}|{{ a | md }}")
    plain, filtered = template.render(a="<b>&*").rsplit("|", 1)
    assert plain == filtered == r"&lt;b&gt;&amp;\*"


# 8. Feedback file names: unique, stable, carry the period, safe length; replacements said.

def _feedback_history(tmp_path, settings, history, owners, period=PERIOD):
    records = [_record(kpi_id=f"X-{i}", owner=o, period=period) for i, o in enumerate(owners)]
    ingest_file(_jsonl(tmp_path / f"in-{len(owners)}-{period[-2:]}.jsonl", *records), period,
                history, settings=settings)


def test_feedback_names_are_unique_stable_and_carry_the_period(tmp_path, settings, history):
    long_owner = "Ä" * 200 + " Smith"  # 400+ bytes in UTF-8
    owners = ["A Smith", "A. Smith", long_owner]
    _feedback_history(tmp_path, settings, history, owners)
    folder = tmp_path / "fb"
    first = write_feedback(history, PERIOD, folder)
    md = sorted(p for p in first if p.suffix == ".md")
    assert len(md) == 3 and len(set(first)) == 9
    assert all(p.name.startswith("2025-26-q2-") for p in first)
    assert all(len(p.name.encode()) <= 255 for p in first)
    texts = {p.read_text(encoding="utf-8") for p in md}
    assert any("For: A Smith" in t for t in texts) and any("For: A. Smith" in t for t in texts)
    assert sorted(write_feedback(history, PERIOD, folder)) == sorted(first)  # stable

    _feedback_history(tmp_path, settings, history, ["A Smith"], period="2025/26 Q1")
    q1 = write_feedback(history, "2025/26 Q1", folder)
    assert all(p.name.startswith("2025-26-q1-") for p in q1)
    assert all(p.exists() for p in first)  # Q1 did not replace Q2


def test_feedback_command_says_which_files_it_replaced(tmp_path, settings, history):
    _feedback_history(tmp_path, settings, history, ["A Smith"])
    args = ["feedback", "--period", PERIOD, "--out", str(tmp_path / "fb"), "--db", history.url]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "Replac" not in first.output
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "Replaced 3 existing files" in again.output
    assert "2025-26-q2-a-smith.md" in again.output


# 13. Control characters: text cleaned (a soft line break is kept as a break), no partial output.

def test_soft_line_break_in_docx_and_report_xlsx(tmp_path, settings, history):
    source = _jsonl(tmp_path / "in.jsonl", _record(owner="A\x0bSmith\x01", kpi_name="Wa\x0bits"))
    ingest_file(source, PERIOD, history, settings=settings)
    written = write_feedback(history, PERIOD, tmp_path / "fb")
    word = next(p for p in written if p.suffix == ".docx")
    text = "\n".join(p.text for p in Document(str(word)).paragraphs)
    assert "For: A\nSmith" in text and "Wa\nits" in text
    assert "two posts by March" in text or all(p.suffix != ".docx" for p in written)
    md = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert "A Smith" in md and "\x0b" not in md and "\x01" not in md
    cells = _xlsx_cells(write_report(history, PERIOD, tmp_path / "report.xlsx"))
    assert "A\nSmith " in cells, cells  # \x01 became a space


def test_failed_feedback_leaves_no_partial_folder(tmp_path, settings, history, monkeypatch):
    _feedback_history(tmp_path, settings, history, ["A Smith", "B Jones"])
    folder = tmp_path / "new" / "fb"
    calls = []

    def broken(self, data):  # the documents are built in memory, then written
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, data)

    original = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", broken)
    with pytest.raises(Exception) as caught:
        write_feedback(history, PERIOD, folder)
    assert getattr(caught.value, "code", None) == "NQE013"
    assert not (tmp_path / "new").exists()


def test_failed_single_file_write_keeps_the_old_file(tmp_path, settings, monkeypatch):
    source = _jsonl(tmp_path / "in.jsonl", _record())
    result = score_file(source, settings=settings)
    out = tmp_path / "o.xlsx"
    out.write_bytes(b"old")

    def broken_save(self, filename):
        Path(filename).write_bytes(b"half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(Exception) as caught:
        write_assessments(result.assessments, out)
    assert getattr(caught.value, "code", None) == "NQE013"
    assert out.read_bytes() == b"old" and sorted(os.listdir(tmp_path)) == ["in.jsonl", "o.xlsx"]


# 14. Output paths that cannot be used: coded errors, before scoring where possible.

def _coded(result, code: str = "NQE013") -> str:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert code in result.output
    return result.output


def test_score_out_under_a_file_or_unwritable_place(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", _record())
    (tmp_path / "some.csv").write_text("a\n")
    out = _coded(runner.invoke(app, ["score", str(source), "--out",
                                     str(tmp_path / "some.csv" / "x.xlsx")]))
    assert "some.csv" in out
    if os.geteuid() == 0:  # root may write anywhere on disk, but not in /sys
        if not Path("/sys").is_dir():
            pytest.skip("no unwritable place to try when running as root")
        place = Path("/sys/nq-test-out.xlsx")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        place = locked / "x.xlsx"
    out = _coded(runner.invoke(app, ["score", str(source), "--out", str(place)]))
    assert place.name in out and not place.exists()


def test_unknown_out_extension_is_refused_before_scoring(tmp_path, monkeypatch):
    source = _jsonl(tmp_path / "in.jsonl", _record())

    def no_scoring(*args, **kwargs):
        raise AssertionError("scored before checking --out")

    monkeypatch.setattr("narrative_qa.cli.score.score_to_file", no_scoring)
    out = _coded(runner.invoke(app, ["score", str(source), "--out", str(tmp_path / "x.txt")]))
    assert "x.txt" in out and ".xlsx" in out
    out = _coded(runner.invoke(app, ["score", str(source), "--out", str(tmp_path)]))
    assert "folder" in out


def test_report_out_folder_or_unknown_extension(tmp_path, settings, history):
    _feedback_history(tmp_path, settings, history, ["A Smith"])
    db = ["--db", history.url]
    out = _coded(runner.invoke(app, ["report", "--period", PERIOD, "--out", str(tmp_path),
                                     *db]))
    assert "folder" in out and ".html" in out
    out = _coded(runner.invoke(app, ["report", "--period", PERIOD, "--out",
                                     str(tmp_path / "r.pdf"), *db]))
    assert "r.pdf" in out
    (tmp_path / "f").write_text("")
    _coded(runner.invoke(app, ["report", "--period", PERIOD, "--out",
                               str(tmp_path / "f" / "r.html"), *db]))


def test_review_export_into_a_missing_folder_or_onto_a_folder(tmp_path, history):
    out = tmp_path / "missing" / "decisions.csv"
    result = runner.invoke(app, ["review", "export", str(out), "--db", history.url])
    assert result.exit_code == 0, result.output
    assert _csv_cells(out)[0] == "kpi_id"
    _coded(runner.invoke(app, ["review", "export", str(tmp_path), "--db", history.url]))
    _coded(runner.invoke(app, ["review", "export", str(tmp_path / "d.xlsx"),
                               "--db", history.url]))


def test_feedback_out_is_a_file(tmp_path, settings, history):
    _feedback_history(tmp_path, settings, history, ["A Smith"])
    (tmp_path / "fb").write_text("")
    _coded(runner.invoke(app, ["feedback", "--period", PERIOD, "--out", str(tmp_path / "fb"),
                               "--db", history.url]))


# 10 (part). The output never replaces the input.

def test_score_refuses_to_write_over_its_input(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("kpi_id,target,actual,narrative\nA,60,51,Recruitment remains a "
                      "challenge.\n", encoding="utf-8")
    before = source.read_bytes()
    out = _coded(runner.invoke(app, ["score", str(source), "--out", str(source)]))
    assert "x.csv" in out and "input" in out
    os.link(source, tmp_path / "y.csv")
    _coded(runner.invoke(app, ["score", str(source), "--out", str(tmp_path / "y.csv")]))
    sub = tmp_path / "sub"
    sub.mkdir()
    _coded(runner.invoke(app, ["score", str(sub / ".." / "x.csv"), "--out", str(source)]))
    _coded(runner.invoke(app, ["score", str(source), "--previous", str(tmp_path / "y.csv"),
                               "--out", str(tmp_path / "y.csv")]))
    assert source.read_bytes() == before


def test_ordinary_replacement_is_still_announced(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", _record())
    out = tmp_path / "o.csv"
    out.write_text("old")
    result = runner.invoke(app, ["score", str(source), "--out", str(out)])
    assert "Replacing the existing" in result.output and out.read_text() != "old"


# --- issue 17, items 8 and 11: what an Excel sheet cannot hold ------------------------------

def test_results_wider_than_an_excel_sheet_are_refused_before_scoring(tmp_path, settings):
    source = tmp_path / "wide.csv"
    headers = ["KPI", "Narrative"] + [f"extra {i}" for i in range(18_300)]
    source.write_text(",".join(headers) + "\n" + ",".join(["A", "Fell."] + ["x"] * 18_300)
                      + "\n")
    result = runner.invoke(app, ["score", str(source), "--out", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2 and "NQE013" in result.output
    assert "16,384" in result.output and not (tmp_path / "o.xlsx").exists()
    wide = runner.invoke(app, ["score", str(source), "--out", str(tmp_path / "o.jsonl")])
    assert wide.exit_code == 0, wide.output


@pytest.mark.slow
def test_text_over_an_excel_cell_is_cut_visibly_with_a_row_notice(tmp_path, settings):
    long_id = "K" * 40_000
    narrative = "Performance fell to 51%. " * 1_400  # 35,000 characters
    source = _jsonl(tmp_path / "q.jsonl", _record(kpi_id=long_id, narrative=narrative))
    long_settings = settings.__class__(**{**settings.__dict__, "max_narrative_chars": 50_000})
    out = tmp_path / "o.xlsx"
    result = score_file(source, out=out, settings=long_settings)
    [problem] = [p for p in result.row_problems if p.code == "NQE029"]
    assert "'kpi_id'" in problem.message and "'narrative'" in problem.message
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    cell = row[header.index("narrative")]
    assert len(cell) <= 32_767 and cell.endswith("32,767 characters a cell]")
    assert "NQE029" in row[header.index("errors")]
    full = tmp_path / "o.jsonl"
    score_file(source, out=full, settings=long_settings)
    record = json.loads(full.read_text(encoding="utf-8"))
    assert record["narrative"] == narrative.strip() and record["kpi_id"] == long_id
