"""Hostile and everyday inputs that used to be misread, rejected or crash the batch (issue 7)."""

from __future__ import annotations

import json

import openpyxl
import pytest
from openpyxl.styles import Font

from narrative_qa.errors import InputError
from narrative_qa.previous import join_previous
from narrative_qa.reading import tables
from narrative_qa.reading.records import read_submissions
from narrative_qa.reading.values import parse_number

NARRATIVE = "Performance is 51% against 60% because 3 of 15 posts were vacant in Q2."
OTHER = "Staff sickness rose in the quarter; see the workforce report."


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def workbook(path, rows, title="QPR"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


# --- item 6: which column a field is read from -------------------------------------------

def test_narrative_beats_a_weaker_alias_to_its_left_with_a_notice(tmp_path, settings):
    path = write(tmp_path / "two.csv", f"KPI,Comments,Narrative\nDelays,{OTHER},{NARRATIVE}\n")
    subs, notices = read_submissions(path, settings)
    assert subs[0].narrative == NARRATIVE
    assert subs[0].extra == {"Comments": OTHER}
    [notice] = [n for n in notices if n.code == "NQE050"]
    text = notice.render()
    assert "'Comments'" in text and "'Narrative'" in text and "--map" in text
    assert "two.csv" in text


def test_explicit_map_wins_over_an_alias_and_the_other_column_is_kept(tmp_path, settings):
    path = write(tmp_path / "two.csv", f"KPI,Narrative,Comments\nDelays,{NARRATIVE},{OTHER}\n")
    subs, notices = read_submissions(path, settings, map_options=["Comments=narrative"])
    assert subs[0].narrative == OTHER
    assert subs[0].extra == {"Narrative": NARRATIVE}
    assert not [n for n in notices if n.code == "NQE050"]


def test_map_with_an_empty_header_says_so(tmp_path, settings):
    path = write(tmp_path / "a.csv", f"KPI,Narrative\nDelays,{NARRATIVE}\n")
    with pytest.raises(InputError) as error:
        read_submissions(path, settings, map_options=["=narrative"])
    assert "NQE008" in str(error.value) and "header" in str(error.value)
    assert "no '='" not in str(error.value)


def test_map_of_a_header_not_in_the_file_is_a_notice_listing_the_headers(tmp_path, settings):
    path = write(tmp_path / "a.csv", f"KPI,Narrative\nDelays,{NARRATIVE}\n")
    subs, notices = read_submissions(path, settings, map_options=["Blurbb=narrative"])
    assert subs[0].narrative == NARRATIVE
    [notice] = [n for n in notices if n.code == "NQE051"]
    assert "'Blurbb'" in notice.message and "'KPI'" in notice.message
    assert "'Narrative'" in notice.message


# --- item 11: percentages and European numbers ---------------------------------------------

def test_percent_formatted_cell_is_read_as_its_displayed_percentage(tmp_path, settings):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["KPI", "Target", "Actual", "Narrative"])
    ws.append(["Uptake", "90%", 0.95, NARRATIVE])
    ws.append(["Reviews", "90%", "86%", NARRATIVE])
    ws["C2"].number_format = "0%"
    book.save(tmp_path / "pct.xlsx")
    subs, _ = read_submissions(tmp_path / "pct.xlsx", settings)
    assert [(s.target, s.actual, s.unit) for s in subs] == [(90.0, 95.0, "%"), (90.0, 86.0, "%")]


@pytest.mark.parametrize("text,value", [
    ("1.234,5", 1234.5), ("1 234", 1234.0), ("87,5%", 87.5), ("1\u00a0234,75", 1234.75),
    ("1,234.5", 1234.5), ("0,5", 0.5), ("12,75 %", 12.75),
])
def test_european_and_spaced_numbers(text, value):
    assert parse_number(text) == value


def test_european_decimals_in_a_file_and_an_ambiguous_number_is_a_row_notice(tmp_path, settings):
    text = ("KPI;Target;Actual;Narrative\r\n"
            f"Uptake;87,5%;90,25%;{NARRATIVE}\r\n"
            f"Spend;1.234,5;1 234;{NARRATIVE}\r\n"
            f"Weight;1,5;1,234;{NARRATIVE}\r\n")
    subs, _ = read_submissions(write(tmp_path / "eu.csv", text), settings)
    assert [(s.target, s.actual) for s in subs[:2]] == [(87.5, 90.25), (1234.5, 1234.0)]
    assert all(not s.problems for s in subs[:2])
    third = subs[2]
    assert third.target == 1.5 and third.actual == pytest.approx(1.234)
    [notice] = [p for p in third.problems if p.code == "NQE052"]
    assert (notice.location.row, notice.location.column) == (4, "Actual")
    assert "eu.csv" in notice.render() and "1,234" in notice.message and not notice.blocking


def test_thousands_commas_in_an_english_file_are_still_thousands(tmp_path, settings):
    text = f"KPI,Target,Actual,Narrative\nSpend,\"1,200\",\"1,234.5\",{NARRATIVE}\n"
    subs, _ = read_submissions(write(tmp_path / "en.csv", text), settings)
    assert (subs[0].target, subs[0].actual, subs[0].problems) == (1200.0, 1234.5, [])


# --- item 12: non-finite JSON numbers ----------------------------------------------------

def test_non_finite_json_numbers_are_row_errors_and_the_rest_is_scored(tmp_path, settings):
    from narrative_qa.api import score_file

    text = f'"narrative": "{NARRATIVE}"'
    rows = ['{"kpi_id": "A", "target": 1e999, "actual": 5, %s}',
            '{"kpi_id": "B", "target": NaN, "actual": -Infinity, %s, "x": [1, NaN]}',
            '{"kpi_id": "C", "target": 10, "actual": 5, %s}']
    rows = [row.replace("%s", text) for row in rows]
    path = write(tmp_path / "inf.jsonl", "\n".join(rows) + "\n")
    out = tmp_path / "out.jsonl"
    result = score_file(path, out=out, settings=settings)
    assert [a.submission.kpi_id for a in result.assessments] == ["A", "B", "C"]
    problems = {(p.location.row, p.location.column): p for a in result.assessments
                for p in a.submission.problems if p.code == "NQE022"}
    assert set(problems) == {(1, "target"), (2, "target"), (2, "actual"), (2, "x")}
    assert "inf.jsonl" in problems[(1, "target")].render()
    a, b, c = result.assessments
    assert a.submission.target is None and b.submission.actual is None
    assert c.submission.target == 10.0
    for line in out.read_text().splitlines():  # no bare NaN or Infinity token anywhere
        json.loads(line, parse_constant=lambda name: pytest.fail(f"bare {name} in output"))


def test_non_finite_numbers_in_a_json_list(tmp_path, settings):
    text = '[{"kpi_id": "A", "actual": -Infinity, "narrative": "N"}]'.replace("N", NARRATIVE)
    subs, _ = read_submissions(write(tmp_path / "a.json", text), settings)
    [problem] = subs[0].problems
    assert (problem.code, problem.location.row, problem.location.column) == (
        "NQE022", 1, "actual")
    assert subs[0].actual is None and not subs[0].blocked


def test_digits_too_large_for_a_float_are_not_a_number():
    from narrative_qa.reading.values import NotANumber

    with pytest.raises(NotANumber):
        parse_number("1" + "0" * 400)


# --- item 17: a workbook whose size is a lie -----------------------------------------------

@pytest.mark.slow
def test_a_styled_cell_at_the_last_row_does_not_make_a_million_row_grid(tmp_path, settings):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["KPI", "Target", "Actual", "Narrative"])
    for index in range(5):
        ws.append([f"KPI {index}", 60, 51, NARRATIVE])
    ws.cell(row=1_048_576, column=1).font = Font(bold=True)
    book.save(tmp_path / "bomb.xlsx")
    assert openpyxl.load_workbook(tmp_path / "bomb.xlsx", read_only=True).active.max_row == (
        1_048_576)
    grid, numbers, _ = tables.sheet_grid(
        openpyxl.load_workbook(tmp_path / "bomb.xlsx", read_only=True, data_only=True).active,
        openpyxl.load_workbook(tmp_path / "bomb.xlsx", read_only=True).active, [])
    assert len(grid) == 6 and numbers == [1, 2, 3, 4, 5, 6]
    subs, _ = read_submissions(tmp_path / "bomb.xlsx", settings)
    assert [s.location.row for s in subs] == [2, 3, 4, 5, 6]


def test_data_after_a_long_gap_keeps_its_row_number(tmp_path, settings):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["KPI", "Narrative"])
    ws.append(["A", NARRATIVE])
    ws.cell(row=5000, column=1, value="B")
    ws.cell(row=5000, column=2, value=NARRATIVE)
    book.save(tmp_path / "gap.xlsx")
    subs, _ = read_submissions(tmp_path / "gap.xlsx", settings)
    assert [(s.kpi_name, s.location.row) for s in subs] == [("A", 2), ("B", 5000)]


# --- item 18: Excel's CSV and Unicode-text exports -----------------------------------------

def test_semicolon_csv_with_crlf_and_quoted_semicolons(tmp_path, settings):
    text = ("KPI Ref;Indicator;Target;Actual;Commentary\r\n"
            f"A-1;Delays;75;80;\"{NARRATIVE}; and more, too\"\r\n"
            f"A-2;Waits;90;85;\"Down, because; of staff. {NARRATIVE}\"\r\n")
    subs, _ = read_submissions(write(tmp_path / "semi.csv", text, "cp1252"), settings)
    assert [(s.kpi_id, s.target, s.actual) for s in subs] == [("A-1", 75.0, 80.0),
                                                             ("A-2", 90.0, 85.0)]
    assert subs[0].narrative.endswith("; and more, too")


def test_tab_delimited_csv_with_crlf(tmp_path, settings):
    text = ("KPI Ref\tIndicator\tTarget\tActual\tCommentary\r\n"
            f"A-1\tDelays, waits\t75\t80\t\"{NARRATIVE}, and\tmore\"\r\n")
    subs, _ = read_submissions(write(tmp_path / "tab.csv", text), settings)
    assert (subs[0].kpi_name, subs[0].actual) == ("Delays, waits", 80.0)


def test_utf16_unicode_text_from_excel(tmp_path, settings):
    text = ("KPI Ref\tIndicator\tTarget\tActual\tCommentary\r\n"
            f"A-1\tCafé uptake\t75\t80\t{NARRATIVE}\r\n")
    path = tmp_path / "unicode.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    subs, _ = read_submissions(path, settings)
    assert (subs[0].kpi_name, subs[0].narrative) == ("Café uptake", NARRATIVE)
    big_endian = tmp_path / "be.txt"
    big_endian.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    assert read_submissions(big_endian, settings)[0][0].kpi_id == "A-1"
    no_bom = tmp_path / "nobom.csv"
    no_bom.write_bytes(text.encode("utf-16-le"))
    assert read_submissions(no_bom, settings)[0][0].narrative == NARRATIVE


# --- item 19: messages that mislead --------------------------------------------------------

def test_hidden_first_sheet_is_skipped_with_a_notice_naming_the_sheets(tmp_path, settings):
    book = openpyxl.Workbook()
    lookup = book.active
    lookup.title = "Lookups"
    lookup.append(["Code", "Meaning"])
    lookup.sheet_state = "hidden"
    data = book.create_sheet("QPR")
    data.append(["KPI", "Narrative"])
    data.append(["Delays", NARRATIVE])
    book.save(tmp_path / "hidden.xlsx")
    subs, notices = read_submissions(tmp_path / "hidden.xlsx", settings)
    assert subs[0].kpi_name == "Delays"
    [notice] = [n for n in notices if n.code == "NQE055"]
    assert "'Lookups'" in notice.message and "hidden" in notice.message
    assert "'QPR'" in notice.message and "--sheet" in notice.render()
    # Asked for by name, a hidden sheet is read.
    with pytest.raises(InputError, match=r"NQE009.*\[Lookups\]"):
        read_submissions(tmp_path / "hidden.xlsx", settings, sheet="Lookups")


def test_chart_first_sheet_and_a_workbook_with_no_visible_worksheet(tmp_path, settings):
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    data = book.active
    data.title = "QPR"
    data.append(["KPI", "Target", "Narrative"])
    data.append(["Delays", 4, NARRATIVE])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=2, min_row=1, max_row=2))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    book.save(tmp_path / "chart.xlsx")
    subs, notices = read_submissions(tmp_path / "chart.xlsx", settings)
    assert subs[0].kpi_name == "Delays"
    [notice] = [n for n in notices if n.code == "NQE055"]
    assert "'Chart'" in notice.message and "chart" in notice.message
    with pytest.raises(InputError, match="NQE007.*'Chart' is a chart.*QPR"):
        read_submissions(tmp_path / "chart.xlsx", settings, sheet="Chart")
    data.sheet_state = "hidden"
    book.save(tmp_path / "none.xlsx")
    with pytest.raises(InputError) as error:
        read_submissions(tmp_path / "none.xlsx", settings)
    assert "NQE007" in str(error.value) and "'QPR' (hidden)" in str(error.value)
    assert "--sheet" in str(error.value)


def test_formula_with_no_saved_value_is_not_called_an_empty_narrative(tmp_path, settings):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["KPI", "Target", "Narrative", "Notes"])
    ws.append(["Delays", 4, '=CONCATENATE("Performance ", "is fine")', "=B2*2"])
    ws.append(["Waits", 5, NARRATIVE, None])
    book.save(tmp_path / "formula.xlsx")
    subs, notices = read_submissions(tmp_path / "formula.xlsx", settings)
    first = subs[0]
    assert first.blocked and not [p for p in first.problems if p.code == "NQE020"]
    [problem] = first.problems
    assert (problem.code, problem.location.column, problem.blocking) == (
        "NQE054", "Narrative", True)
    assert "formula" in problem.message and "CONCATENATE" in problem.message
    assert "Excel" in problem.render() and first.kpi_name == "Delays"
    # Elsewhere it is one file notice (a formula whose result is empty looks the same).
    [notice] = [n for n in notices if n.code == "NQE054"]
    assert "'Notes'" in notice.message and notice.location.row == 2
    assert first.extra == {"Notes": None}
    assert not subs[1].problems


def test_a_folder_as_input_says_to_pass_a_file(tmp_path, settings):
    with pytest.raises(InputError) as error:
        read_submissions(tmp_path, settings)
    text = str(error.value)
    assert "folder" in text and "Excel" not in text and "file" in text


def test_previous_file_that_matches_no_kpi_is_a_notice(tmp_path, settings):
    current = write(tmp_path / "q2.csv", f"KPI Ref,Narrative\nCS-1,{NARRATIVE}\nCS-2,{OTHER}\n")
    previous = write(tmp_path / "q1.csv", f"KPI Ref,Narrative\nX-1,{NARRATIVE}\nX-2,{OTHER}\n"
                     f"X-3,{OTHER}\n")
    now, _ = read_submissions(current, settings)
    before, _ = read_submissions(previous, settings)
    [notice] = join_previous(now, before)
    assert notice.code == "NQE056" and "q1.csv" in notice.render()
    assert "3 rows" in notice.message and "kpi_id" in notice.message
    assert "'X-1'" in notice.message and "'CS-1'" in notice.message
    matched = write(tmp_path / "q1b.csv", f"KPI Ref,Narrative\nCS-1,{OTHER}\n")
    assert join_previous(now, read_submissions(matched, settings)[0]) == []
    assert now[0].previous_narrative == OTHER
