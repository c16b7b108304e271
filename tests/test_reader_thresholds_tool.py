"""tools/reader_thresholds.py shares one parse of each narrative across its thresholds."""

from __future__ import annotations

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
