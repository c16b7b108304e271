"""Word lists are data: they live in rules/, once each (issue 8, item 4)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from narrative_qa.assessment import DataFacts, Submission
from narrative_qa.errors import ConfigError
from narrative_qa.keyword_baseline import BaselineError, compile_baseline
from narrative_qa.language.lexicon import expand, shared
from narrative_qa.language.words import compile_all

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted([*(ROOT / "narrative_qa" / "detectors").glob("*.py"),
                  *(ROOT / "narrative_qa" / "language").glob("*.py")])
RULE_FILES = sorted((ROOT / "rules").glob("*.yml"))

# Names the code gives things itself (a Figure's kind, the protocol's attributes, the pair
# model's feature names), never matched against a narrative: not a lexicon.
CODE_NAMES = {"percent", "money", "wte", "count", "rate", "duration", "number", "word",
              "KIND", "PARAMS", "NEEDS", "detect",
              "kpi_share", "kpi_any", "service_any", "mechanism", "activity"}
MIN_WORDS = 5
_WORDLIKE = re.compile(r"^[A-Za-z&%][\w' &%.?-]*$")
# Five or more alternatives in a row that are words ("two|three|four|five|six").
_ALTERNATION = re.compile(r"(?:[A-Za-z][A-Za-z' -]*\??\|){4,}[A-Za-z][A-Za-z' -]*")


def literal_word_lists(source: str) -> list[str]:
    """Literal collections of words, and regular expressions that alternate words, in
    Python source: one line for each, naming where it is."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            words = _words(node.elts)
        elif isinstance(node, ast.Dict):  # {"one": 1, …}; not PARAMS (types as values)
            words = _words(node.keys) if all(
                isinstance(v, ast.Constant) for v in node.values) else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _ALTERNATION.search(node.value)
            words = match.group(0).split("|") if match else []
        else:
            continue
        if len(words) >= MIN_WORDS:
            found.append(f"line {node.lineno}: {words[:6]}")
    return found


def _words(nodes: list[ast.expr | None]) -> list[str]:
    values = [n.value for n in nodes if isinstance(n, ast.Constant)]
    if len(values) != len(nodes) or not all(isinstance(v, str) for v in values):
        return []
    if set(values) <= CODE_NAMES or not all(_WORDLIKE.match(v) for v in values):
        return []
    return values


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_word_list_in_detector_or_language_code(path: Path):
    found = literal_word_lists(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} writes word lists in code (move them to rules/): {found}"


def test_the_checker_sees_sets_dicts_and_alternations():
    source = '''
A = {"number", "percentage", "proportion", "rate", "level"}
B = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
C = re.compile(r"^(?:January|February|March|April|May)$")
D = ("nsubj", "dobj")
PARAMS = {"a": float, "b": float, "c": float, "d": float, "e": float}
'''
    found = literal_word_lists(source)
    assert [line.split(":")[0] for line in found] == ["line 2", "line 3", "line 4"]


def _lists(node: Any, where: str):
    """Every list of strings in a YAML document, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _lists(value, f"{where}.{key}")
    elif isinstance(node, list):
        if len(node) > 1 and all(isinstance(v, str) for v in node):
            yield where, node
        for index, value in enumerate(node):
            yield from _lists(value, f"{where}[{index}]")


def _strings(node: Any, where: str):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{where}[{index}]")
    elif isinstance(node, str):
        yield where, node


def _documents() -> dict[str, Any]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in RULE_FILES}


def test_no_two_lists_in_rules_are_the_same():
    seen: dict[frozenset[str], str] = {}
    duplicates = []
    for name, document in _documents().items():
        for where, items in _lists(document, name):
            key = frozenset(items)
            if key in seen:
                duplicates.append(f"{where} repeats {seen[key]}")
            seen.setdefault(key, where)
    assert not duplicates


def test_no_shared_list_is_spelt_out_again_in_a_pattern():
    """A pattern of rules/ does not write out a whole list of rules/language.yml (the
    months in a baseline) instead of naming it ({@months})."""
    documents = _documents()
    repeated = []
    for entry, items in _lists(documents["language.yml"], "language.yml"):
        words = {w for w in items if re.fullmatch(r"[A-Za-z]+", w)}
        if len(words) < MIN_WORDS:
            continue
        for name, document in documents.items():
            for where, text in _strings(document, name):
                groups = re.findall(r"\((?:\?:)?([^()]*)\)", text) or [text]
                if not where.startswith(entry) and any(
                        words <= set(group.split("|")) for group in groups):
                    repeated.append(f"{where} spells out {entry}")
    assert not repeated


def test_a_pattern_names_a_shared_list():
    assert expand(r"\bsince (?:Q[1-4]|{@months})\b") == (
        r"\bsince (?:Q[1-4]|(?:" + "|".join(shared("months")) + r"))\b")
    assert compile_all([r"\bin (?:{@months})\b"]).search("a rise in March")
    with pytest.raises(ConfigError, match="no 'moons' entry"):
        expand("{@moons}")
    with pytest.raises(ConfigError, match="must name a list"):
        expand("{@headings}")  # a mapping, not a list


def test_localities_are_one_shared_list():
    texts = {p.name: p.read_text(encoding="utf-8") for p in RULE_FILES}
    owners = [name for name, text in texts.items() if re.search(r"^\s*localities:", text, re.M)]
    assert owners == ["language.yml"]
    assert {"NE", "NW", "North", "West"} <= set(shared("localities"))


def test_a_baseline_pattern_can_name_a_shared_list():
    condition = compile_baseline({"not_matches": {
        "case_sensitive": True, "patterns": [r"\b(?:Q[1-4]|20\d\d|{@months})\b"]}})
    facts = DataFacts()
    assert not condition(Submission(narrative="We will recruit by March."), facts)
    assert not condition(Submission(narrative="We will recruit in Q3."), facts)
    assert condition(Submission(narrative="We will recruit in march."), facts)  # case kept
    assert condition(Submission(narrative="We will recruit soon."), facts)


def test_a_baseline_naming_no_shared_list_fails_at_load():
    with pytest.raises(BaselineError, match="no 'moons' entry"):
        compile_baseline({"matches": ["{@moons}"]})
