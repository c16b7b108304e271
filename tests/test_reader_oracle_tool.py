"""tools/reader_oracle.py: a labelled sentence is read as its labellers tagged it, any other
sentence as the shipped readers read it, and the held-out splits are refused."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
import pytest

from narrative_qa.language.readers import load_readers
from narrative_qa.measure.metrics import Labelled
from narrative_qa.measure.real_labels import RealLabels, SpanLabel
from tools import reader_oracle

# The team's own writing: a challenge with no figure, then a dated plan.
FIRST = "Sickness absence in the team has slowed the reviews."
SECOND = "Two agency workers start in March to clear the backlog by June."
NARRATIVE = f"{FIRST} {SECOND}"


def _item() -> Labelled:
    spans = [SpanLabel(0, len(FIRST), ("challenge_without_figure",), ()),
             SpanLabel(len(FIRST) + 1, len(NARRATIVE), ("action_planned", "timescale"), ())]
    return Labelled(submission=SimpleNamespace(narrative=NARRATIVE), labels={}, split="dev",
                    real=RealLabels(family="written", spans=spans, actions=[]))


def _column(readers, table: np.ndarray, tag: str) -> np.ndarray:
    return table[:, readers.tags.index(tag)]


def test_a_labelled_sentence_reads_as_its_labellers_tagged_it():
    shipped = load_readers()
    oracle = reader_oracle.labellers_readers(shipped, [_item()])
    table = oracle.read([FIRST, SECOND])
    assert _column(oracle, table, "challenge_without_figure").tolist() == [1.0, 0.0]
    assert _column(oracle, table, "action_planned").tolist() == [0.0, 1.0]
    assert _column(oracle, table, "timescale").tolist() == [0.0, 1.0]
    assert _column(oracle, table, "cause_of_change").tolist() == [0.0, 0.0]


def test_a_sentence_of_no_labelled_narrative_reads_as_the_shipped_readers_read_it():
    shipped = load_readers()
    oracle = reader_oracle.labellers_readers(shipped, [_item()])
    elsewhere = ["Last quarter the service opened a second clinic."]
    assert np.array_equal(oracle.read(elsewhere), shipped.read(elsewhere))


def test_only_the_tags_asked_for_are_replaced():
    shipped = load_readers()
    oracle = reader_oracle.labellers_readers(shipped, [_item()],
                                             frozenset({"challenge_without_figure"}))
    table, before = oracle.read([FIRST, SECOND]), shipped.read([FIRST, SECOND])
    assert _column(oracle, table, "challenge_without_figure").tolist() == [1.0, 0.0]
    kept = [k for k, t in enumerate(shipped.tags) if t != "challenge_without_figure"]
    assert np.array_equal(table[:, kept], before[:, kept])


def test_a_sentence_split_differently_takes_the_tags_of_what_it_mostly_covers():
    gold = reader_oracle.labels_lookup([_item()])
    assert gold(NARRATIVE) == {"challenge_without_figure", "action_planned", "timescale"}
    # Most of the plan and a few words of the challenge: only the plan's tags.
    assert gold(NARRATIVE[len(FIRST) - 12:]) == {"action_planned", "timescale"}
    assert gold("Nothing like this was labelled.") is None


@pytest.mark.parametrize("split", ["select", "test"])
def test_the_held_out_splits_are_refused(monkeypatch, capsys, split):
    monkeypatch.setattr(sys, "argv", ["reader_oracle.py", "--split", split])
    with pytest.raises(SystemExit) as stopped:
        reader_oracle.main()
    assert stopped.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
