"""Large inputs stream: chunk by chunk, with output identical to the whole-file path."""

from __future__ import annotations

import json

import openpyxl
import pytest

from narrative_qa.api import score_file, score_to_file
from narrative_qa.output.files import write_assessments
from tests.conftest import Q1, Q2

TEXTS = ["Staffing pressures continue. We will improve in due course.",
         "On target at 77%, up from 74% in Q1.",
         "Performance fell to 51% against a target of 60% because two posts were vacant."]


def _xlsx(path):
    book = openpyxl.load_workbook(path)
    return [(ws.title, ws.freeze_panes, c.coordinate, c.value, c.font.b, c.alignment.wrap_text)
            for ws in book.worksheets for row in ws.iter_rows() for c in row]


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".xlsx"])
def test_streamed_sample_equals_the_whole_file_path(tmp_path, settings, sample_result, suffix):
    whole, streamed = tmp_path / f"whole{suffix}", tmp_path / f"streamed{suffix}"
    write_assessments(sample_result.assessments, whole)  # score_file(Q2, Q1), once a session
    summary = score_to_file(Q2, streamed, Q1, settings=settings, chunk_size=7)
    assert summary.rows == 40
    if suffix == ".xlsx":
        assert _xlsx(streamed) == _xlsx(whole)
    else:
        assert streamed.read_bytes() == whole.read_bytes()


def _big_file(tmp_path, rows: int = 23):
    lines = []
    for i in range(rows):
        record = {"kpi_id": f"K-{i}", "kpi_name": "% of reports on time", "target": 60,
                  "actual": 50 + i % 15, "narrative": TEXTS[i % 3] + f" Reference {i}."}
        lines.append(json.dumps(record))
    lines[7] = "{not json"  # a bad row in the middle of the second chunk
    lines[20] = json.dumps({"kpi_id": "K-2", "target": 60, "actual": 55,
                            "narrative": TEXTS[0]})  # the same KPI as row 3, chunks apart
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_file_larger_than_a_chunk_streams_with_bad_rows_reported(tmp_path, settings):
    source = _big_file(tmp_path)
    whole, streamed = tmp_path / "whole.jsonl", tmp_path / "streamed.jsonl"
    write_assessments(score_file(source, settings=settings).assessments, whole)
    seen: list[int] = []
    summary = score_to_file(source, streamed, settings=settings, chunk_size=5,
                            on_chunk=lambda chunk: seen.append(len(chunk)))
    assert seen == [5, 5, 5, 5, 3]
    assert streamed.read_bytes() == whole.read_bytes()
    records = [json.loads(line) for line in streamed.read_text().splitlines()]
    assert len(records) == 23 and [r["row"] for r in records] == list(range(1, 24))
    assert records[7]["verdict"] == "error" and records[7]["errors"][0]["code"] == "NQE025"
    assert all(r["verdict"] != "error" for i, r in enumerate(records) if i != 7)
    for index in (2, 20):  # duplicates are found across chunks
        assert "NQE023" in {e["code"] for e in records[index]["errors"]}
    assert summary.rows == 23 and summary.verdicts["error"] == 1
    assert summary.exit_code(None) == 2


def test_a_failed_stream_leaves_the_target_as_it_was(tmp_path, settings):
    source = _big_file(tmp_path)
    out = tmp_path / "out.jsonl"
    out.write_text("old")

    def stop(chunk):
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        score_to_file(source, out, settings=settings, chunk_size=5, on_chunk=stop)
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "out.jsonl"]
