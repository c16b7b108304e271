"""tools/forecast_figures.py rewrites only the splits it is given in the model card."""

from __future__ import annotations

from narrative_qa.forecasts.evaluate import Counts, ForecastReport, Section
from tools import forecast_figures

OLD = """
Labels `labels.jsonl` (sha256 0123456789abcdef…); 95% bootstrap intervals.

Split **train**:

| family | records | labelled | found | precision | recall | due right |
|---|---|---|---|---|---|---|
| all | 9 | 9 | 9 | 0.11 | 0.11 | 0.11 |

Split **test**:

| family | records | labelled | found | precision | recall | due right |
|---|---|---|---|---|---|---|
| all | 7 | 7 | 7 | 0.77 | 0.77 | 0.77 |

"""


def test_a_split_not_given_keeps_its_table_and_the_labels_it_was_read_with(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "X1"}\n', encoding="utf-8")
    scores = {"precision": 0.5, "recall": 0.25, "due_accuracy": 1.0}
    train = ForecastReport("train", [Section("all", 4, Counts(2, 4, 1, 1), scores,
                                             dict.fromkeys(scores))])
    lines = forecast_figures.block([train], labels, OLD)
    text = "\n".join(lines)
    assert "| all | 4 | 4 | 2 | 0.50 | 0.25 | 1.00 |" in text
    assert "0.11" not in text  # train re-run
    assert "| all | 7 | 7 | 7 | 0.77 | 0.77 | 0.77 |" in text  # test kept as written
    assert text.index("Split **train**") < text.index("Split **test**")
    assert "test as last written, read with labels sha256 0123456789abcdef…" in text
    assert lines[0] == forecast_figures.START and lines[-1] == forecast_figures.END


def test_the_labellers_rows_follow_the_extractors_in_italics(tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "X1"}\n', encoding="utf-8")
    scores = {"precision": 0.5, "recall": 0.25, "due_accuracy": 1.0}
    best = {"precision": 1.0, "recall": 0.75, "due_accuracy": 1.0}
    report = ForecastReport("dev", [Section("all", 4, Counts(2, 4, 1, 1), scores,
                                            dict.fromkeys(scores))],
                            ceiling=[Section("labeller A", 4, Counts(3, 4, 3, 3), best,
                                             dict.fromkeys(best))])
    text = "\n".join(forecast_figures.block([report], labels))
    assert text.index("| all | 4 | 4 | 2 |") < text.index(
        "| *labeller A* | 4 | 4 | 3 | 1.00 | 0.75 | 1.00 |")
