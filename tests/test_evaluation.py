"""evaluate and train: measured against labels, reproducible, never choosing on test."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from narrative_qa.catalogue import catalogue_codes, load_catalogue
from narrative_qa.cli import app
from narrative_qa.measure.evaluation import evaluate
from narrative_qa.measure.learning import train
from narrative_qa.measure.metrics import Scores
from tests.conftest import ROOT

CORPUS = ROOT / "corpus" / "labelled.jsonl"
runner = CliRunner()


def labelled_file(tmp_path):
    zeros = dict.fromkeys(catalogue_codes(), 0)
    rows = [
        {"kpi_id": "A", "kpi_name": "% of SCRA reports on time", "target": 60, "actual": 51,
         "unit": "%", "polarity": "up", "stated_rag": "amber",
         "narrative": "Recruitment remains a challenge. We will introduce a new rota in due "
                      "course.",
         "labels": {**zeros, "NQ02": 1, "NQ04": 1, "NQ08": 1, "NQ09": 1}, "split": "dev"},
        {"kpi_id": "B", "kpi_name": "Aftercare EET", "target": 75, "actual": 77,
         "unit": "%", "polarity": "up", "stated_rag": "green",
         "narrative": "77% of young people were in education, training or employment, up "
                      "from 74% in Q1.", "labels": zeros, "split": "dev"},
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return path


def test_scores_arithmetic():
    s = Scores(tp=3, fp=1, fn=2)
    assert (round(s.precision, 2), s.recall, round(s.f1, 3)) == (0.75, 0.6, 0.667)
    assert Scores().f1 == 0.0


def test_evaluate_scores_the_system_and_both_baselines(tmp_path, settings):
    report = evaluate(labelled_file(tmp_path), settings=settings)
    assert set(report.systems) == {"narrative_qa", "claimed", "keyword", "tfidf_lr"}
    main = report.systems["narrative_qa"]
    assert (main["NQ09"].tp, main["NQ09"].fp) == (1, 0)
    assert main["NQ04"].tp == 1 and main["NQ02"].tp == 1
    assert 0 < report.macro_f1("narrative_qa") <= 1


def test_evaluate_command_prints_a_table_and_json(tmp_path):
    path = labelled_file(tmp_path)
    text = runner.invoke(app, ["evaluate", str(path), "--no-baselines"])
    assert text.exit_code == 0 and "macro" in text.output and "NQ09" in text.output
    as_json = runner.invoke(app, ["evaluate", str(path), "--format", "json", "--split", "dev"])
    data = json.loads(as_json.output)
    assert data["n"] == 2 and "macro_f1" in data["systems"]["tfidf_lr"]
    missing = runner.invoke(app, ["evaluate", str(path), "--split", "test"])
    assert missing.exit_code == 2 and "NQE009" in missing.output


def test_records_without_labels_are_refused_with_row_and_column(tmp_path):
    path = tmp_path / "nolabels.jsonl"
    path.write_text(json.dumps({"narrative": "x"}))
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 2
    assert "NQE024" in result.output and "row 1" in result.output and "labels" in result.output


@pytest.mark.training
def test_train_is_reproducible_and_chooses_only_on_dev(tmp_path, settings, monkeypatch):
    # Written corpus only, as on a machine without ../shared: the real corpus's part of the
    # choice is checked on the shipped card (test_gates_runtime).
    monkeypatch.setattr("narrative_qa.measure.learning.corpus_available", lambda: False)
    first = train(CORPUS, settings, tmp_path / "a")
    second = train(CORPUS, settings, tmp_path / "b")
    assert first == second
    for code, row in first["findings"].items():
        dev = row["dev"]
        gate_better = (dev["gate"]["f1"] > dev["rules"]["f1"]
                       and dev["gate"]["precision"] >= dev["rules"]["precision"])
        assert row["path"] == ("learned gate" if gate_better else "rules"), code
    assert (tmp_path / "a" / "CARD.md").read_text().count("| NQ") == len(catalogue_codes())
    assert first["data"]["split"] == {"train": 256, "dev": 78, "test": 86}


def _write(tmp_path, rows):
    path = tmp_path / "partial.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return path


RAG_ROW = {"kpi_id": "A", "kpi_name": "% on time", "target": 60, "actual": 51, "unit": "%",
           "polarity": "up", "stated_rag": "green", "narrative": "Staffing was short."}


def test_a_code_a_record_does_not_label_is_not_evaluated(tmp_path, settings):
    rows = [{**RAG_ROW, "labels": {"NQ09": 1}},
            {**RAG_ROW, "kpi_id": "B", "stated_rag": "amber", "labels": {}}]
    report = evaluate(_write(tmp_path, rows), settings=settings, baselines=False)
    assert list(report.systems["narrative_qa"]) == ["NQ09"]
    assert report.systems["narrative_qa"]["NQ09"].as_dict()["tp"] == 1
    assert report.systems["narrative_qa"]["NQ09"].fp == 0  # B is amber-and-amber: no finding


def test_malformed_labels_name_the_file_row_and_field(tmp_path, settings):
    from narrative_qa.errors import InputError

    for labels, field in (({"NQ09": 2}, "labels.NQ09"), ({"NQ99": 1}, "labels.NQ99"),
                          ({"NQ09": "yes"}, "labels.NQ09")):
        rows = [{**RAG_ROW, "labels": {"NQ01": 0}}, {**RAG_ROW, "labels": labels}]
        with pytest.raises(InputError) as caught:
            evaluate(_write(tmp_path, rows), settings=settings, baselines=False)
        error = caught.value
        assert error.code == "NQE024"
        assert (error.location.row, error.location.column) == (2, field)
        assert error.location.file.endswith("partial.jsonl")


def test_the_keyword_baseline_is_read_from_each_rule_file(tmp_path, settings):
    from narrative_qa.measure.evaluation import keyword_predictions
    from narrative_qa.measure.metrics import load_labelled

    rows = [{**RAG_ROW, "narrative": "We will do it soon. Staffing pressure.",
             "labels": {}}]
    items = load_labelled(_write(tmp_path, rows), settings)
    predicted = keyword_predictions(items, settings)[0]
    assert {"NQ02", "NQ04", "NQ08", "NQ09"} <= predicted
    assert all(r.baseline is not None for r in load_catalogue())
    assert keyword_predictions(items, settings, rules=())[0] == set()


def test_a_bad_baseline_entry_fails_when_the_catalogue_loads(tmp_path):
    from narrative_qa.catalogue import rules_dir
    from narrative_qa.errors import ConfigError

    source = rules_dir() / "NQ07-irrelevant-activity.yml"
    broken = tmp_path / source.name
    broken.write_text(source.read_text().replace("baseline:\n  matches:",
                                                 "baseline:\n  matchs:"))
    with pytest.raises(ConfigError) as caught:
        load_catalogue(tmp_path)
    assert caught.value.code == "NQE011" and "matchs" in str(caught.value)
    assert caught.value.location.file == str(broken)
