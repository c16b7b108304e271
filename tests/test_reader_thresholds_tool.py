"""tools/reader_thresholds.py: one parse of each narrative across its thresholds, and the
reader cut-offs it sweeps."""

from __future__ import annotations

import pytest

from narrative_qa import detection
from tools import reader_thresholds


def test_the_tool_parses_each_text_once_through_the_detection_module(monkeypatch):
    calls: list[list[str]] = []

    def analyse(texts, **kwargs):
        calls.append(list(texts))
        return [f"parsed {t}" for t in texts]

    monkeypatch.setattr(detection, "analyse_texts", analyse)
    reader_thresholds._memoise_parse()
    first = detection.analyse_texts(["a", "b", "a"], processes=1)
    again = detection.analyse_texts(["b", "c"], processes=1)
    assert first == ["parsed a", "parsed b", "parsed a"] and again == ["parsed b", "parsed c"]
    assert calls == [["a", "b"], ["c"]]


def test_the_tool_knows_every_reader_cut_off_of_the_rule_files():
    """Each cut-off it sweeps is a parameter of its rule, and every `*_at_least` parameter
    of a rule that reads with the readers' probabilities is listed."""
    from narrative_qa.catalogue import load_catalogue

    params = {r.code: r.params for r in load_catalogue()}
    for code, names in reader_thresholds.CUTOFFS.items():
        assert all(name in params[code] for name in names), code
    listed = {(c, n) for c, names in reader_thresholds.CUTOFFS.items() for n in names}
    readerish = {(c, n) for c, p in params.items() for n in p
                 if n.endswith("_at_least") and ("read" in n or n.startswith("embed_"))}
    assert readerish <= listed


@pytest.mark.parametrize("names", [["NQ02.reader_action_at_least", "NQ02.reader_impact_at_least"],
                                   ["NQ04.min_sentences"], ["NQ99.reader_at_least"]])
def test_the_tool_refuses_two_cut_offs_of_one_finding_or_an_unknown_one(names):
    with pytest.raises(SystemExit):
        reader_thresholds.parse_cutoffs(names)


def test_the_tool_sweeps_cut_offs_of_different_findings_together():
    assert reader_thresholds.parse_cutoffs(["NQ01.reader_at_least", "NQ06.cause_reader_at_least"]
                                           ) == {"NQ01": "reader_at_least",
                                                 "NQ06": "cause_reader_at_least"}
