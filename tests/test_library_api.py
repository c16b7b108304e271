"""The library API: rows and DataFrames in, data out; one previous-period rule."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from narrative_qa.api import Previous, read_rows, score_file, score_rows
from narrative_qa.catalogue import catalogue_codes
from narrative_qa.previous import FilePrevious, StorePrevious, join, match_key
from narrative_qa.reading.records import read_submissions
from narrative_qa.store.history import History
from tests.conftest import Q1, Q2

RED = {"kpi_id": "CS-05", "kpi_name": "% of SCRA reports on time", "target": 60,
       "actual": 51, "unit": "%", "polarity": "up", "stated_rag": "amber",
       "narrative": "Staffing pressures continue. We will improve in due course."}
GREEN = {"kpi_id": "CS-06", "kpi_name": "Aftercare EET", "target": 75, "actual": 77,
         "narrative": "On target at 77%, up from 74% in Q1."}


@pytest.fixture
def history(tmp_path, store_templates):
    return History(store_templates.fresh(tmp_path / "history.db"))


def test_a_dataframe_gives_a_dataframe_with_the_catalogues_codes_as_columns(settings):
    frame = pd.DataFrame([RED, {**GREEN, "narrative": float("nan")}, GREEN],
                         index=["a", "b", "c"])
    out = score_rows(frame, settings)
    assert isinstance(out, pd.DataFrame) and list(out.index) == ["a", "b", "c"]
    codes = catalogue_codes()
    assert set(codes) <= set(out.columns) and codes
    assert {"verdict", "score", "finding_codes", "findings", "errors"} <= set(out.columns)
    first = out.loc["a"]
    raised = {f["code"] for f in first["findings"]}
    assert first["verdict"] == "not-acceptable" and {"NQ02", "NQ04"} <= raised
    assert {c for c in codes if first[c] == 1} == raised
    assert first["finding_codes"] == "; ".join(f["code"] for f in first["findings"])
    bad = out.loc["b"]  # a blank narrative is reported, never dropped
    assert bad["verdict"] == "error" and bad["errors"][0]["code"] == "NQE020"
    assert all(bad[c] == 0 for c in codes)
    assert out.loc["c", "verdict"] == "ready" and out.loc["c", "score"] == 100


def test_an_empty_dataframe_still_has_the_code_columns(settings):
    out = score_rows(pd.DataFrame(columns=list(RED)), settings)
    assert len(out) == 0 and set(catalogue_codes()) <= set(out.columns)


def test_a_list_of_dicts_scores_as_the_same_rows_in_a_file(tmp_path, settings):
    import json

    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in (RED, GREEN)))
    from_file = [a.to_record() for a in score_file(source, settings=settings).assessments]
    result = score_rows([RED, GREEN], settings, name=str(source))
    assert [a.to_record() for a in result.assessments] == from_file


def test_a_row_that_is_not_a_mapping_or_has_an_infinite_number_is_reported(settings):
    result = score_rows([RED, "not a row", {**GREEN, "actual": math.inf}], settings)
    verdicts = [a.verdict for a in result.assessments]
    assert verdicts[0] == "not-acceptable" and verdicts[1] == "error"
    assert result.assessments[1].submission.problems[0].code == "NQE025"
    assert "NQE022" in {p.code for p in result.assessments[2].submission.problems}


def test_previous_rows_can_be_given_with_the_rows(settings):
    earlier = {**RED, "actual": 49, "narrative": "Staffing pressures continue."}
    result = score_rows([{**RED, "kpi_id": " cs-05 "}], settings, previous=[earlier])
    sub = result.assessments[0].submission
    assert sub.previous_actual == 49.0 and sub.previous_narrative == earlier["narrative"]


def test_one_matching_rule_trims_and_case_folds():
    assert match_key(" cs-05 ") == match_key("CS-05") == "cs-05"
    assert match_key("  ") is None and match_key(None) is None


def _joined(submissions):
    return [(s.kpi_id, s.previous_actual, s.previous_narrative) for s in submissions]


def test_previous_from_a_file_and_from_the_store_give_the_same_values(history, settings):
    from narrative_qa.api import ingest_file

    ingest_file(Q1, "2025/26 Q1", history, settings=settings)
    from_file, _ = read_rows(Q2, settings, period="2025/26 Q2",
                             previous=Previous.from_file(Q1, settings))
    from_store, _ = read_rows(Q2, settings, period="2025/26 Q2", previous=Previous(
        history=history))
    assert _joined(from_file) == _joined(from_store)
    assert sum(s.previous_narrative is not None for s in from_store) == 40


def test_the_store_matches_by_the_same_rule_and_the_previous_period(history, settings):
    from narrative_qa.api import ingest_file

    ingest_file(Q1, "2025-26 q1", history, settings=settings)  # another spelling
    current, _ = read_submissions(Q2, settings)
    current[0].kpi_id = f"  {current[0].kpi_id.lower()} "
    for sub in current:
        sub.period = "2025/26 Q2"
    by_file = [s.__class__(**{**s.__dict__}) for s in current]
    join(by_file, FilePrevious(read_submissions(Q1, settings)[0]))
    matched, _ = join(current, StorePrevious(history))
    assert matched == 40 and _joined(current) == _joined(by_file)
    later = read_submissions(Q2, settings)[0]
    for sub in later:
        sub.period = "2025/26 Q3"  # the store has nothing for Q2: nothing is joined
    assert join(later, StorePrevious(history))[0] == 0


def test_a_kpi_stored_twice_is_ambiguous_in_the_store_as_in_a_file(history, settings, tmp_path):
    from narrative_qa.api import ingest_file

    twice = tmp_path / "q1.csv"
    twice.write_text("KPI Ref,Narrative\nCS-1,First text.\ncs-1,Second text.\n")
    ingest_file(twice, "2025/26 Q1", history, settings=settings)
    now, _ = read_submissions(twice, settings)
    for sub in now:
        sub.period, sub.previous_narrative = "2025/26 Q2", None
    file_notices = join(now, FilePrevious(read_submissions(twice, settings)[0]))[1]
    store_matched, store_notices = join(now, StorePrevious(history))
    assert store_matched == 0 and all(s.previous_narrative is None for s in now)
    assert file_notices[0].code == "NQE023" and [n.code for n in store_notices] == ["NQE023"]
    assert "history store for 2025/26 Q1" in store_notices[0].message


def _ingested(history, store_templates):
    store_templates.add_quarters(history)  # Q1 as 2025/26 Q1, Q2 as 2025/26 Q2
    return history


def _docx_parts(data: bytes) -> dict[str, bytes]:
    """A .docx's parts, without the save time that zip entries and core.xml carry."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


def test_report_string_equals_the_file_the_cli_writes(history, store_templates, tmp_path):
    from typer.testing import CliRunner

    from narrative_qa.cli import app
    from narrative_qa.reporting.render import report_html, report_xlsx

    _ingested(history, store_templates)
    html = report_html(history, "2025/26 Q2")
    out = tmp_path / "report.html"
    done = CliRunner().invoke(app, ["report", "--period", "2025/26 Q2", "--db", history.url,
                                    "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8") == html and html.count('<section class="kpi"') == 40
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(history, "2025/26 Q2")))["Screening"]
    assert sheet.max_row == 41 and sheet["A1"].value == "KPI"


def test_feedback_bytes_equal_the_files(history, store_templates, tmp_path):
    from narrative_qa.reporting.render import feedback_documents, write_feedback

    _ingested(history, store_templates)
    documents = feedback_documents(history, "2025/26 Q2")
    written = write_feedback(history, "2025/26 Q2", tmp_path / "fb")
    assert sorted(p.name for p in written) == sorted(documents)
    assert {n[n.rindex("."):] for n in documents} == {".md", ".html", ".docx"}
    for path in written:
        if path.suffix == ".docx":
            assert _docx_parts(path.read_bytes()) == _docx_parts(documents[path.name])
        else:
            assert path.read_bytes() == documents[path.name]


def test_decisions_round_trip_through_rows(history, store_templates, tmp_path):
    from narrative_qa.decisions import export_decisions, import_decisions

    _ingested(history, store_templates)
    stored = next(s for s in history.current("2025/26 Q2") if s.findings)
    code = stored.findings[0]["code"]
    history.decide(stored.kpi_id, "2025/26 Q2", code, "dismissed", "=not a formula",
                   "A Reviewer", decided_at="2025-10-01T09:00:00+00:00")
    history.decide(stored.kpi_id, "2025/26 Q2", code, "confirmed", "It stands", "B Reviewer",
                   decided_at="2025-10-02T09:00:00+00:00")
    rows = export_decisions(history)
    assert [r["decision"] for r in rows] == ["dismissed", "confirmed"]
    other = _ingested(History(store_templates.fresh(tmp_path / "other.db")),
                      store_templates)
    bad = {**rows[0], "decision": "maybe"}
    result = import_decisions(other, [*rows, bad], "upload.csv", first_row=2)
    assert (result.recorded, result.already) == (2, 0)
    [problem] = result.problems
    assert problem.code == "NQE024" and problem.location.row == 4
    assert "upload.csv" in problem.render() and problem.location.column == "decision"
    assert export_decisions(other) == rows
    again = import_decisions(other, rows)
    assert (again.recorded, again.already, again.problems) == (0, 2, [])


def test_decision_rows_without_a_needed_column_are_refused(history):
    from narrative_qa.decisions import import_decisions
    from narrative_qa.errors import InputError

    with pytest.raises(InputError) as error:
        import_decisions(history, [{"kpi_id": "A", "period": "2025/26 Q2"}], "x.csv")
    assert error.value.code == "NQE064" and "'code'" in str(error.value)
