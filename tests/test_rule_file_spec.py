"""Rule files are read through a pydantic model (narrative_qa/specs/rule_file.py) and their
detector parameters through the detector's declared PARAMS (issue 18): a misspelt key, a
value of the wrong kind or out of its range is an NQE011 naming the file and the key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from narrative_qa.catalogue import load_catalogue
from narrative_qa.errors import ConfigError
from tests.conftest import ROOT

RULE = "NQ04-anecdotal-challenge.yml"


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict], None]:
    def change(raw: dict) -> None:
        for part in path[:-1]:
            raw = raw[part]
        raw[path[-1]] = value
    return change


def _drop(key: str) -> Callable[[dict], None]:
    return lambda raw: raw.pop(key)


@pytest.mark.parametrize(("change", "expected"), [
    (_set(("sugestion",), "Add figures."), "sugestion: unknown key; did you mean suggestion?"),
    (_set(("examples", 0, "label"), "fial"),
     "examples.0.label: must be one of fail, pass, not 'fial'"),
    (_set(("docs",), "What it checks."), "docs: must be a table of words in quotes"),
    (_set(("severity",), "critical"), "severity: must be one of high, medium, low, not "
                                      "'critical'"),
    (_set(("detector", "kind"), 4), "detector.kind: must be text in quotes, not 4"),
    (_set(("detector", "params", "confidence"), 7.5),
     "detector params.confidence: must be a number from 0 to 1, not 7.5"),
    (_set(("detector", "params", "window_words"), -1),
     "detector params.window_words: must be a whole number, 0 or more, not -1"),
    (_drop("suggestion"), "missing keys: suggestion"),
])
def test_a_bad_rule_file_is_an_nqe011_naming_the_file_and_the_key(tmp_path, change, expected):
    raw = yaml.safe_load((ROOT / "rules" / RULE).read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / RULE
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_catalogue(tmp_path)
    assert caught.value.code == "NQE011"
    assert caught.value.render().startswith(f"NQE011 {path}: {expected}")


def test_the_bundled_rule_files_keep_to_the_spec():
    assert len(load_catalogue()) == len(list((ROOT / "rules").glob("NQ*.yml")))
