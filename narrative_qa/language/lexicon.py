"""The shared language lexicon (rules/language.yml) compiled into patterns, once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from narrative_qa.errors import ConfigError, Location
from narrative_qa.rules_dir import YAML_LOADER, rules_dir


def any_of(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


def words(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Whole-word alternatives: 'due to' matches 'due to' but not 'overdue to'."""
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", flags)


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUMBERS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    "ninety|hundreds?|thousands?|dozens?|half|a third|two thirds|a quarter of"
)
FIGURE = re.compile(
    rf"""(?P<money>£\s?(?:{_NUM})\s?(?:k\b|m\b|bn\b|million\b|billion\b)?)
    |(?P<percent>(?<![\w.])(?:{_NUM})\s?(?:%|per\s?cent\b|percentage\s+points?\b|pp\b))
    |(?P<wte>(?<![\w.])(?:{_NUM})\s?(?:wte|fte)\b)
    |(?P<number>(?<![\w.£/])(?<![A-Za-z]-)(?:{_NUM})(?![\w/]|\.\d|:\d))
    |(?P<word>\b(?:{_WORD_NUMBERS})\b)""",
    re.IGNORECASE | re.VERBOSE,
)
DURATION_UNIT = re.compile(r"^\s*(?:working\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?)\b",
                           re.I)
RATE_UNIT = re.compile(r"^\s*per\s+(?:1,?000|10,?000|100,?000|100)\b", re.I)


@dataclass(frozen=True)
class Lexicon:
    headings: list[tuple[str, re.Pattern[str]]]
    timescale: re.Pattern[str]
    months: re.Pattern[str]
    month_at_end: re.Pattern[str]
    vague_timing: re.Pattern[str]
    strong_verbs: frozenset[str]
    weak_verbs: frozenset[str]
    agents: tuple[str, ...]
    impact_cue: re.Pattern[str]
    impact_quantity: re.Pattern[str]
    causal: re.Pattern[str]
    change: re.Pattern[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    path = rules_dir() / "language.yml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        months = r"\b(?:" + "|".join(raw["month_names"]) + r")\b"

        return Lexicon(
            headings=[(section, any_of([f"^{p}$" for p in pats]))
                      for section, pats in raw["headings"].items()],
            timescale=any_of(raw["timescale"]),
            months=re.compile(months),  # case-sensitive: "May", not "may"
            month_at_end=re.compile(months + r"\s*$"),
            vague_timing=words(raw["vague_timing"]),
            strong_verbs=frozenset(raw["action_verbs"]["strong"]),
            weak_verbs=frozenset(raw["action_verbs"]["weak"]),
            agents=tuple(raw["agents"]),
            impact_cue=any_of(raw["impact_cues"]),
            impact_quantity=any_of(raw["impact_quantity"]),
            causal=words(raw["causal"]),
            change=words(raw["change_words"]),
        )
    except (OSError, KeyError, TypeError, re.error, yaml.YAMLError) as exc:
        raise ConfigError("NQE011", f"cannot load the language lexicon ({exc})",
                          Location(str(path))) from exc
