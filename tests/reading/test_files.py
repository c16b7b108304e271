"""Reading every supported format, and surviving the bad inputs a council export has."""

from __future__ import annotations

import json

import openpyxl
import pytest

from narrative_qa.errors import InputError
from narrative_qa.reading.records import read_submissions

NARRATIVE = "Performance is 51% against 60% because 3 of 15 posts were vacant in Q2."


def write_csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_in_utf8_bom_and_windows_1252(tmp_path, settings):
    text = ("KPI Ref,Indicator,Target,Actual,RAG Status,Commentary\n"
            f"CS-05,Café reports,60%,51%,Red,{NARRATIVE} – ok\n")
    for encoding in ("utf-8", "utf-8-sig", "cp1252"):
        subs, _ = read_submissions(write_csv(tmp_path / f"{encoding}.csv", text, encoding),
                                   settings)
        assert subs[0].kpi_name == "Café reports"
        assert subs[0].narrative.endswith("– ok")
        assert (subs[0].target, subs[0].actual, subs[0].stated_rag) == (60.0, 51.0, "red")


def test_headers_are_recognised_case_and_space_insensitively_and_unknown_columns_kept(
        tmp_path, settings):
    text = ("id,  kpi  ,MEASURE owner,target,ACTUAL,Comments,Lead Officer\n"
            f"7,MMR uptake,x,95,90,{NARRATIVE},Head of Service\n")
    subs, _ = read_submissions(write_csv(tmp_path / "a.csv", text), settings)
    sub = subs[0]
    assert sub.kpi_name == "MMR uptake" and sub.owner == "Head of Service"
    assert sub.extra == {"id": "7", "MEASURE owner": "x"}


def test_map_option_names_an_unrecognised_header(tmp_path, settings):
    text = f"Ref,Name,Blurb\nX-1,Delays,{NARRATIVE}\n"
    path = write_csv(tmp_path / "a.csv", text)
    with pytest.raises(InputError, match="NQE005.*narrative"):
        read_submissions(path, settings)
    subs, _ = read_submissions(path, settings, map_options=["Blurb=narrative"])
    assert subs[0].narrative == NARRATIVE
    with pytest.raises(InputError, match="NQE008"):
        read_submissions(path, settings, map_options=["Blurb=story"])


def test_missing_required_column_names_the_file(tmp_path, settings):
    path = write_csv(tmp_path / "nonarr.csv", "KPI,Target,Actual\nA,1,2\n")
    with pytest.raises(InputError) as error:
        read_submissions(path, settings)
    assert "NQE005" in str(error.value) and "nonarr.csv" in str(error.value)


def test_jsonl_and_json(tmp_path, settings):
    rows = [{"kpi_id": "A", "narrative": NARRATIVE, "target": "60%", "actual": 51, "id": 9},
            {"kpi_id": "B", "narrative": NARRATIVE}]
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n")
    subs, _ = read_submissions(jsonl, settings)
    assert [s.kpi_id for s in subs[:2]] == ["A", "B"] and subs[0].extra == {"id": 9}
    assert subs[2].blocked and subs[2].problems[0].code == "NQE025"
    assert subs[2].problems[0].location.row == 3
    as_json = tmp_path / "q.json"
    as_json.write_text(json.dumps({"submissions": rows}))
    assert len(read_submissions(as_json, settings)[0]) == 2


def xlsx(path, rows, merges=(), sheet="QPR"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    book.save(path)
    return path


def test_xlsx_title_rows_and_sheet_option(tmp_path, settings):
    path = xlsx(tmp_path / "q.xlsx", [["Quarterly Performance Report"], [],
                                       ["KPI", "Target", "Actual", "Narrative"],
                                       ["Delays", 75, 104, NARRATIVE]])
    subs, _ = read_submissions(path, settings)
    assert subs[0].kpi_name == "Delays" and subs[0].location.row == 4
    with pytest.raises(InputError, match="NQE007.*QPR"):
        read_submissions(path, settings, sheet="Nope")
    assert read_submissions(path, settings, sheet="QPR")[0][0].actual == 104.0


def test_xlsx_with_merged_two_row_header_is_read_and_reported(tmp_path, settings):
    rows = [["Indicator", "Performance", None, "Commentary"],
            [None, "Target", "Actual", None],
            ["Delays", 75, 104, NARRATIVE],
            ["Waits", 90, 80, NARRATIVE]]
    path = xlsx(tmp_path / "merged.xlsx", rows, merges=["A1:A2", "B1:C1", "D1:D2"])
    subs, notices = read_submissions(path, settings)
    assert [(s.kpi_name, s.target, s.actual) for s in subs] == [
        ("Delays", 75.0, 104.0), ("Waits", 90.0, 80.0)]
    assert notices and notices[0].code == "NQE030"
    assert "merged.xlsx" in notices[0].render() and "row 2" in notices[0].render()


def test_password_protected_and_unreadable_workbooks(tmp_path, settings):
    import msoffcrypto.format.ooxml as ooxml

    plain = xlsx(tmp_path / "plain.xlsx", [["KPI", "Narrative"], ["A", NARRATIVE]])
    locked = tmp_path / "locked.xlsx"
    with plain.open("rb") as source, locked.open("wb") as out:
        ooxml.OOXMLFile(source).encrypt("secret", out)
    with pytest.raises(InputError, match="NQE004.*locked.xlsx"):
        read_submissions(locked, settings)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(InputError, match="NQE003.*broken.xlsx"):
        read_submissions(broken, settings)
    with pytest.raises(InputError, match="NQE001"):
        read_submissions(tmp_path / "missing.csv", settings)
    with pytest.raises(InputError, match="NQE002"):
        read_submissions(tmp_path / "report.pdf", settings) if (
            tmp_path / "report.pdf").write_text("x") else None


def test_bad_rows_are_reported_with_row_and_column_and_the_rest_kept(tmp_path, settings):
    huge = "word " * 220_000  # about 1 MB
    text = ("KPI Ref,Indicator,Period,Target,Actual,Commentary\n"
            f"A,Good,Q2,60,51,{NARRATIVE}\n"
            "B,Empty,Q2,60,51,\n"
            f"C,Bad target,Q2,sixty,51,{NARRATIVE}\n"
            f"D,Huge,Q2,60,51,{huge}\n"
            f"A,Duplicate,Q2,60,52,{NARRATIVE}\n")
    subs, _ = read_submissions(write_csv(tmp_path / "bad.csv", text), settings)
    assert len(subs) == 5
    by_id = {s.location.row: s for s in subs}
    empty = by_id[3].problems[0]
    assert (empty.code, empty.location.row, empty.location.column) == ("NQE020", 3, "Commentary")
    assert by_id[3].blocked
    target = by_id[4].problems[0]
    assert (target.code, target.location.column) == ("NQE022", "Target")
    assert not by_id[4].blocked and by_id[4].target == "sixty"
    assert by_id[5].problems[0].code == "NQE021" and by_id[5].blocked
    duplicates = [p for s in (by_id[2], by_id[6]) for p in s.problems]
    assert [p.code for p in duplicates] == ["NQE023", "NQE023"]
    assert "row 6" in duplicates[0].message and "row 2" in duplicates[1].message


def test_a_period_written_two_ways_is_one_period_for_duplicates(tmp_path, settings):
    """'2025/26 Q2' and '2025-26 q2' are the same quarter (language/periods.py), so two
    rows of one KPI under them clash (NQE023); a different quarter does not."""
    text = ("KPI Ref,Indicator,Period,Target,Actual,Commentary\n"
            f"A,One,2025/26 Q2,60,51,{NARRATIVE}\n"
            f"A,One,2025-26  q2,60,52,{NARRATIVE}\n"
            f"A,One,2025/26 Q3,60,53,{NARRATIVE}\n")
    subs, _ = read_submissions(write_csv(tmp_path / "periods.csv", text), settings)
    assert [[p.code for p in s.problems] for s in subs] == [["NQE023"], ["NQE023"], []]
