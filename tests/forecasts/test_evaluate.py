"""evaluate-forecasts on a small synthetic label file made here (no corpus text in the
project): matching by sentence and 'what', due accuracy, families, intervals, bad rows."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from narrative_qa.cli import app
from narrative_qa.forecasts.evaluate import load_labels, run
from narrative_qa.real_corpus import sentence_spans, sha256_text

ONE = ("Compliance fell to 52%. We expect compliance to return to 60% by Q4. The new system "
       "is due to go live by March 2026.")
TWO = "Referrals rose this year. The review will report by June 2026."


def span(text, index):
    s = sentence_spans(text)[index]
    return s.start, s.end


def write(tmp_path, labels):
    corpus = tmp_path / "real.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in (
        {"id": "R1", "family": "uk", "period": "2025/26 Q2", "narrative": ONE},
        {"id": "R2", "family": "us", "period": "2025/26 Q2", "narrative": TWO})) + "\n")
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in labels) + "\n")
    return corpus, path


def label(record_id, text, family, forecasts, split="dev"):
    return {"id": record_id, "narrative_sha256": sha256_text(text), "split": split,
            "family": family, "forecasts": forecasts}


def forecast(text, index, what, due, value=None):
    start, end = span(text, index)
    return {"start": start, "end": end, "what": what, "value": value, "due": due}


def test_precision_recall_and_due_accuracy_by_family(tmp_path):
    corpus, path = write(tmp_path, [
        label("R1", ONE, "uk", [forecast(ONE, 1, "value", "2026-03", "60%"),
                                forecast(ONE, 2, "event", "2026-02")]),  # due disagrees
        label("R2", TWO, "us", [forecast(TWO, 0, "direction", None)]),  # not found
        label("R9", TWO, "us", [], split="test"),
    ])
    report = run(path, "dev", corpus, resamples=50)
    overall = {s.name: s for s in report.sections}["all"]
    assert (overall.counts.predicted, overall.counts.labelled, overall.counts.matched) == (
        3, 3, 2)
    assert overall.scores["precision"] == 2 / 3 and overall.scores["recall"] == 2 / 3
    assert overall.scores["due_accuracy"] == 1 / 2
    low, high = overall.intervals["precision"]
    assert 0 <= low <= 2 / 3 <= high <= 1
    assert {s.name for s in report.sections} == {"all", "uk", "us"}


def test_a_changed_narrative_is_left_out_and_a_bad_row_named(tmp_path):
    corpus, path = write(tmp_path, [label("R1", ONE + " Changed.", "uk", [])])
    from narrative_qa.real_corpus import read_corpus

    records, notices = load_labels(path, {r["id"]: r for r in read_corpus(corpus)})
    assert records == [] and "sha256" in notices[0].render()
    bad = [label("R1", ONE, "uk", [{"start": 0, "end": 5, "what": "guess", "due": None}])]
    corpus, path = write(tmp_path, bad)
    result = CliRunner().invoke(app, ["evaluate-forecasts", "--labels", str(path),
                                      "--corpus", str(corpus)])
    assert result.exit_code == 2
    assert "NQE024" in result.output and "row 1" in result.output and "forecasts.what" in \
        result.output


def test_the_command_prints_the_table_and_json(tmp_path):
    corpus, path = write(tmp_path, [label("R1", ONE, "uk", [
        forecast(ONE, 1, "value", "2026-03", "60%")])])
    common = ["evaluate-forecasts", "--labels", str(path), "--corpus", str(corpus),
              "--resamples", "20"]
    text = CliRunner().invoke(app, common)
    assert text.exit_code == 0, text.output
    assert "precision" in text.stdout and "uk" in text.stdout
    as_json = json.loads(CliRunner().invoke(app, [*common, "--format", "json"]).stdout)
    assert as_json["sections"][0]["scores"]["recall"] == 1.0


def test_the_selection_set_is_scored_on_its_own_and_an_unknown_split_is_named(tmp_path):
    corpus, path = write(tmp_path, [
        label("R1", ONE, "uk", [forecast(ONE, 1, "value", "2026-03", "60%")], split="select"),
        label("R2", TWO, "us", [forecast(TWO, 1, "event", "2026-06")]),
    ])
    select = {s.name: s for s in run(path, "select", corpus, resamples=20).sections}
    assert select["all"].records == 1 and set(select) == {"all", "uk"}
    result = CliRunner().invoke(app, ["evaluate-forecasts", "--labels", str(path),
                                      "--corpus", str(corpus), "--split", "holdout"])
    assert result.exit_code == 2 and "NQE024" in result.output
    assert "select" in result.output


def test_each_labeller_is_scored_against_the_final_labels_as_the_ceiling(tmp_path):
    final = [forecast(ONE, 1, "value", "2026-03", "60%"), forecast(ONE, 2, "event", "2026-03")]
    row = label("R1", ONE, "uk", final)
    # A agrees; B misses the event, calls the value a direction and adds a forecast.
    row["labellers"] = {"A": final, "B": [forecast(ONE, 1, "direction", "2026-03"),
                                          forecast(ONE, 0, "other", None)]}
    corpus, path = write(tmp_path, [row, label("R2", TWO, "us", [])])
    ceiling = {s.name: s for s in run(path, "dev", corpus, resamples=20).ceiling}
    assert set(ceiling) == {"labeller A", "labeller B"}
    assert ceiling["labeller A"].records == 1  # only the rows that keep the labeller's own
    assert ceiling["labeller A"].scores == {"precision": 1.0, "recall": 1.0,
                                            "due_accuracy": 1.0}
    assert ceiling["labeller B"].counts.matched == 0
    assert ceiling["labeller B"].scores["precision"] == 0.0
    text = CliRunner().invoke(app, ["evaluate-forecasts", "--labels", str(path), "--corpus",
                                    str(corpus), "--resamples", "20"])
    assert "labeller B" in text.stdout and "ceiling" in text.stdout
    row["labellers"]["B"][0]["due"] = "March"
    corpus, path = write(tmp_path, [row])
    bad = CliRunner().invoke(app, ["evaluate-forecasts", "--labels", str(path),
                                   "--corpus", str(corpus)])
    assert bad.exit_code == 2 and "labellers.B.due" in bad.output and "row 1" in bad.output
