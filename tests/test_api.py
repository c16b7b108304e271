"""The engine end to end on the bundled quarter and on canonical JSONL."""

from __future__ import annotations

import csv
import json

import openpyxl

from narrative_qa.api import check_draft, exit_code, score_file
from narrative_qa.assessment import FIELDS
from narrative_qa.output.files import safe_cell, write_assessments
from tests.conftest import Q1, Q2

CODES = {f"NQ{i:02d}" for i in range(1, 12)}


def test_sample_quarter_has_every_finding_with_quotes_and_suggestions(sample_result):
    assessments = sample_result.assessments
    assert len(assessments) == 40
    assert {f.code for a in assessments for f in a.findings} == CODES
    for assessment in assessments:
        for finding in assessment.findings:
            assert finding.evidence and finding.suggestion and finding.message
            for quote in finding.evidence:
                in_text = quote in assessment.submission.narrative or quote.startswith(
                    "Submitted data")
                assert in_text, (finding.code, quote)
    verdicts = {a.verdict for a in assessments}
    assert {"ready", "not-acceptable"} <= verdicts
    assert not sample_result.row_problems


def test_previous_quarter_is_joined_by_kpi_id(sample_result):
    joined = [a.submission for a in sample_result.assessments]
    assert all(s.previous_narrative for s in joined)
    assert sum(isinstance(s.previous_actual, float) for s in joined) >= 35


def test_green_kpis_are_held_only_to_nq08_to_nq10(sample_result):
    for assessment in sample_result.assessments:
        if assessment.facts.rag_computed == "green" and not assessment.facts.qualitative:
            assert {f.code for f in assessment.findings} <= {"NQ08", "NQ09", "NQ10"}


def test_jsonl_keeps_input_order_and_columns(tmp_path, settings):
    rows = [
        {"id": "x-1", "kpi_id": "CS-05", "kpi_name": "% of SCRA reports on time",
         "target": 60, "actual": 51, "unit": "%", "polarity": "up", "stated_rag": "amber",
         "narrative": "Staffing pressures continue. We will improve in due course."},
        {"id": "x-2", "kpi_id": "CS-06", "kpi_name": "Aftercare EET", "target": 75,
         "actual": 77, "narrative": "On target at 77%, up from 74% in Q1."},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows))
    out = tmp_path / "out.jsonl"
    score_file(source, out=out, settings=settings)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["x-1", "x-2"]
    first = records[0]
    assert set(FIELDS) - {"previous_actual", "previous_narrative", "service", "locality",
                          "period", "owner"} <= set(first)
    assert first["rag_computed"] == "red" and first["verdict"] == "not-acceptable"
    codes = {f["code"] for f in first["findings"]}
    assert {"NQ02", "NQ04", "NQ09"} <= codes
    for finding in first["findings"]:
        assert {"code", "slug", "severity", "message", "suggestion", "evidence",
                "confidence"} <= set(finding)
    assert records[1]["verdict"] == "ready" and records[1]["score"] == 100


def test_bad_rows_are_scored_around_and_reported(tmp_path, settings):
    source = tmp_path / "in.csv"
    source.write_text("KPI Ref,Target,Actual,Commentary\nA,60,51,\n"
                      "B,60,59.5,Compliance is 59.5% against 60%.\n")
    result = score_file(source, out=tmp_path / "out.jsonl", settings=settings)
    records = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["verdict"] for r in records] == ["error", "ready"]
    assert records[0]["errors"][0]["code"] == "NQE020"
    assert records[0]["errors"][0]["row"] == 2
    assert exit_code(result.assessments, None, result.row_problems) == 2


def test_exit_codes_follow_fail_on(settings):
    assessment = check_draft("Recruitment remains a challenge.", settings,
                             target="60", actual="51")
    assert exit_code([assessment], None) == 0
    assert exit_code([assessment], "high") == 1
    clean = check_draft("Compliance is 61% against a target of 60%, up from 58% in Q1.",
                        settings, target="60", actual="61", previous_actual="58")
    assert clean.findings == [] and exit_code([clean], "low") == 0


def test_formula_injection_is_neutralised_in_csv_and_xlsx(tmp_path, settings):
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("ok") == "ok"
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({
        "kpi_id": "=cmd|' /C calc'!A0", "owner": "@SUM(1+1)", "target": 60, "actual": 51,
        "narrative": "+Recruitment remains a challenge; -2 posts. We will act in due course."}))
    result = score_file(source, settings=settings)
    write_assessments(result.assessments, tmp_path / "o.csv")
    write_assessments(result.assessments, tmp_path / "o.xlsx")
    with (tmp_path / "o.csv").open(encoding="utf-8-sig") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    book = openpyxl.load_workbook(tmp_path / "o.xlsx")
    cells += [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
              if c.value is not None]
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@"}]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(1+1)" in cells
    for ws in book.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_previous_file_fills_values_only_where_missing(tmp_path, settings):
    result = score_file(Q2, Q1, settings=settings)
    by_id = {a.submission.kpi_id: a.submission for a in result.assessments}
    q1 = {a.submission.kpi_id: a.submission for a in score_file(Q1, settings=settings)
          .assessments}
    assert by_id["CS-05"].previous_narrative == q1["CS-05"].narrative
