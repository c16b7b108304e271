"""A second labelling round adds its records to the labels and keeps the first round's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrative_qa.real_corpus import sha256_text
from tools import assemble_forecast_labels, assemble_labels

TEXT = "Waiting times fell. We will recruit two staff by March 2026."


def _record(record_id: str) -> dict:
    return {"id": record_id, "narrative": TEXT, "narrative_sha256": sha256_text(TEXT),
            "family": "baltimore", "organisation": "An invented city"}


def _lines(rows: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def test_a_findings_round_keeps_the_labels_of_earlier_rounds(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    labels = tmp_path / "real_labels.jsonl"
    labels.write_text(_lines([{"id": "R1", "labels": {"NQ04": 1}}]), encoding="utf-8")
    monkeypatch.setattr(assemble_labels, "LABELS_FILE", labels)
    monkeypatch.setattr(assemble_labels, "corpus_by_id", lambda: {"R2": _record("R2")})
    work = tmp_path / "round2"
    (work / "views").mkdir(parents=True)
    (work / "views" / "part-5.txt").write_text("", encoding="utf-8")
    row = {"id": "R2", "pos": ["NQ02"], "s": {"2": ["AP"]}, "ev": {"NQ02": [2]},
           "act": {"2": [1, 0]}}
    for who in ("A", "B"):
        (work / who).mkdir()
        (work / who / "part-5.jsonl").write_text(_lines([row]), encoding="utf-8")
    assemble_labels.build(work)
    rows = {r["id"]: r for r in map(json.loads, labels.read_text().splitlines())}
    assert rows["R1"] == {"id": "R1", "labels": {"NQ04": 1}}
    assert rows["R2"]["labels"]["NQ02"] == 1
    assert rows["R2"]["sentences"][1]["tags"] == ["action_planned"]


def test_a_forecast_round_keeps_the_forecasts_of_earlier_rounds(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    out = tmp_path / "forecast_labels.jsonl"
    out.write_text(_lines([{"id": "R1", "forecasts": []}]), encoding="utf-8")
    monkeypatch.setattr(assemble_forecast_labels, "OUT", out)
    monkeypatch.setattr(assemble_forecast_labels, "corpus_by_id",
                        lambda: {"R2": _record("R2")})
    sample = tmp_path / "sample_2.txt"
    sample.write_text("R2\n", encoding="utf-8")
    found = [{"start": 20, "end": 59, "what": "event", "value": None, "due": "2026-03"}]
    for name in ("out_A.jsonl", "out_B.jsonl"):
        (tmp_path / name).write_text(_lines([{"id": "R2", "forecasts": found}]),
                                     encoding="utf-8")
    (tmp_path / "adjudicated.jsonl").write_text("", encoding="utf-8")
    assert assemble_forecast_labels.main([str(tmp_path), str(sample)]) == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["R1"] == {"id": "R1", "forecasts": []}
    assert rows["R2"]["forecasts"] == found and rows["R2"]["adjudicated"] is None


def test_a_selection_round_says_so_in_every_row(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # the findings: a record of a selection round is assembled with split "select"
    labels = tmp_path / "real_labels.jsonl"
    monkeypatch.setattr(assemble_labels, "LABELS_FILE", labels)
    monkeypatch.setattr(assemble_labels, "corpus_by_id", lambda: {"R2": _record("R2")})
    monkeypatch.setattr(assemble_labels, "selection_ids", lambda: {"R2"})
    work = tmp_path / "round9"
    (work / "views").mkdir(parents=True)
    (work / "views" / "part-15.txt").write_text("", encoding="utf-8")
    for who in ("A", "B"):
        (work / who).mkdir()
        (work / who / "part-15.jsonl").write_text(_lines([{"id": "R2", "pos": [], "s": {}}]),
                                                  encoding="utf-8")
    assemble_labels.build(work)
    assert json.loads(labels.read_text())["split"] == "select"
    # the forecasts: a round whose ids file is a selection sample
    out = tmp_path / "forecast_labels.jsonl"
    sample = tmp_path / "forecast_sample_4.txt"
    sample.write_text("R2\n", encoding="utf-8")
    monkeypatch.setattr(assemble_forecast_labels, "OUT", out)
    monkeypatch.setattr(assemble_forecast_labels, "corpus_by_id",
                        lambda: {"R2": _record("R2")})
    monkeypatch.setattr(assemble_forecast_labels, "SELECTION_SAMPLES", (sample.resolve(),))
    for name in ("out_A.jsonl", "out_B.jsonl"):
        (tmp_path / name).write_text(_lines([{"id": "R2", "forecasts": []}]),
                                     encoding="utf-8")
    (tmp_path / "adjudicated.jsonl").write_text("", encoding="utf-8")
    assert assemble_forecast_labels.main([str(tmp_path), str(sample)]) == 0
    assert json.loads(out.read_text())["split"] == "select"


def test_the_recheck_raises_a_label_only_where_both_checkers_agree() -> None:
    from tools.apply_recheck import apply

    def row() -> dict:
        return {"labels": {"NQ08": 0, "NQ10": 0}, "adjudication": {},
                "sentences": [{"evidence_for": []}, {"evidence_for": []}]}

    agreed, split, places = row(), row(), row()
    assert apply(agreed, {"acronyms": {"HMRC": 2}, "direction": [1]},
                 {"acronyms": {"HMRC": 2, "VAT": 1}, "direction": [1]}) == ["NQ08", "NQ10"]
    assert agreed["labels"] == {"NQ08": 1, "NQ10": 1}
    assert agreed["sentences"][1]["evidence_for"] == ["NQ08"]
    assert agreed["sentences"][0]["evidence_for"] == ["NQ10"]
    assert "HMRC" in agreed["adjudication"]["NQ08"]["reason"]
    assert apply(split, {"acronyms": {"HMRC": 2}, "direction": [1]},
                 {"acronyms": {}, "direction": [2]}) == []
    assert apply(places, {"acronyms": {"UK": 1}, "direction": []},
                 {"acronyms": {"UK": 1}, "direction": []}) == []
    assert split["labels"] == places["labels"] == {"NQ08": 0, "NQ10": 0}
