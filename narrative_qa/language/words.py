"""Distinctive words: what ties a sentence to a KPI or to an earlier action.

The general and function words are data (rules/language.yml: generic_words, stop_words).
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from narrative_qa.errors import ConfigError, Location
from narrative_qa.rules_dir import YAML_LOADER, rules_dir


@lru_cache(maxsize=1)
def _ignored() -> frozenset[str]:
    path = rules_dir() / "language.yml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        return frozenset(raw["generic_words"]) | frozenset(raw["stop_words"])
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise ConfigError("NQE011", f"cannot load generic_words and stop_words ({exc})",
                          Location(str(path))) from exc


@lru_cache(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    """Distinctive word stems of a text (cached: detectors ask for the same sentences)."""
    ignored = _ignored()
    words = re.findall(r"[a-z][a-z'-]+", text.lower())
    return frozenset(stem(w) for w in words if len(w) > 2 and w not in ignored)


def stem(word: str) -> str:
    """A crude stem so 'placements'/'placement' and 'referrals'/'referral' meet."""
    word = word.strip("'-")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "es", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def compile_all(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern from a rule's list; compiled once per list."""
    return _compile(tuple(patterns))


@lru_cache(maxsize=256)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
