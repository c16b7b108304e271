"""The keyword baseline of `narrative-qa evaluate`: the kind of check a spreadsheet formula
could do, one per finding, written in the rule file's optional `baseline:` entry.

A baseline is one condition; a condition is a mapping with one key:

- ``all: [conditions]`` / ``any: [conditions]``
- ``matches: [patterns]`` / ``not_matches: [patterns]``: regular expressions searched in
  the narrative, case-insensitively (``{patterns: [...], case_sensitive: true}`` otherwise);
  ``{@months}`` in a pattern stands for that list of rules/language.yml
- ``has: <submission field>``: the field is given (e.g. ``previous_narrative``)
- ``fact: {<data fact>: <value>}``: the data fact is exactly that value (``improved: false``)
- ``fewer_words_than: <n>``
- ``rag_differs: true``: a stated RAG that is not the RAG computed from the data
- ``copy_of_previous_above: <ratio>``: the narrative is last period's, character by
  character, above this ratio
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from narrative_qa.assessment import DataFacts, Submission
from narrative_qa.errors import ConfigError
from narrative_qa.language.lexicon import expand

Condition = Callable[[Submission, DataFacts], bool]


class BaselineError(ValueError):
    """A `baseline:` entry that cannot be compiled; the message names the key."""


def compile_baseline(raw: Any) -> Condition:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise BaselineError("a condition is a mapping with exactly one key")
    (key, value), = raw.items()
    if key not in _BUILDERS:
        raise BaselineError(f"unknown condition '{key}' (one of {', '.join(_BUILDERS)})")
    return _BUILDERS[key](value)


def _all(value: Any) -> Condition:
    parts = [compile_baseline(v) for v in _list(value, "all")]
    return lambda sub, facts: all(p(sub, facts) for p in parts)


def _any(value: Any) -> Condition:
    parts = [compile_baseline(v) for v in _list(value, "any")]
    return lambda sub, facts: any(p(sub, facts) for p in parts)


def _pattern(value: Any, key: str) -> re.Pattern[str]:
    flags = re.IGNORECASE
    if isinstance(value, dict):
        flags = 0 if value.get("case_sensitive") else re.IGNORECASE
        value = value.get("patterns")
    patterns = _list(value, key)
    try:
        return re.compile("|".join(f"(?:{expand(p)})" for p in patterns), flags)
    except ConfigError as exc:
        raise BaselineError(f"'{key}': {exc.detail}") from exc
    except (re.error, TypeError) as exc:
        raise BaselineError(f"'{key}' has a bad pattern ({exc})") from exc


def _matches(value: Any) -> Condition:
    pattern = _pattern(value, "matches")
    return lambda sub, facts: bool(pattern.search(sub.narrative))


def _not_matches(value: Any) -> Condition:
    pattern = _pattern(value, "not_matches")
    return lambda sub, facts: not pattern.search(sub.narrative)


def _has(value: Any) -> Condition:
    if not isinstance(value, str) or not hasattr(Submission(), value):
        raise BaselineError(f"'has' names no submission field: {value!r}")
    return lambda sub, facts: bool(getattr(sub, value))


def _fact(value: Any) -> Condition:
    if not isinstance(value, dict) or not all(hasattr(DataFacts(), k) for k in value):
        raise BaselineError(f"'fact' must map data facts to values: {value!r}")
    return lambda sub, facts: all(getattr(facts, k) is v for k, v in value.items())


def _fewer_words_than(value: Any) -> Condition:
    if not isinstance(value, int):
        raise BaselineError("'fewer_words_than' must be a whole number")
    return lambda sub, facts: len(sub.narrative.split()) < value


def _rag_differs(value: Any) -> Condition:
    if value is not True:
        raise BaselineError("'rag_differs' must be true")
    return lambda sub, facts: bool(sub.stated_rag and facts.rag_computed
                                   and sub.stated_rag != facts.rag_computed)


def _copy_of_previous_above(value: Any) -> Condition:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise BaselineError("'copy_of_previous_above' must be a ratio")
    return lambda sub, facts: bool(sub.previous_narrative) and SequenceMatcher(
        None, sub.narrative, sub.previous_narrative).ratio() > value


def _list(value: Any, key: str) -> list:
    if not isinstance(value, list) or not value:
        raise BaselineError(f"'{key}' needs a non-empty list")
    return value


_BUILDERS: dict[str, Callable[[Any], Condition]] = {
    "all": _all, "any": _any, "matches": _matches, "not_matches": _not_matches,
    "has": _has, "fact": _fact, "fewer_words_than": _fewer_words_than,
    "rag_differs": _rag_differs, "copy_of_previous_above": _copy_of_previous_above,
}
