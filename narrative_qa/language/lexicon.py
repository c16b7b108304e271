"""The shared language lexicon (rules/language.yml) compiled into patterns, once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from narrative_qa.config import Settings
from narrative_qa.errors import ConfigError, Location
from narrative_qa.rules_dir import YAML_LOADER, rules_dir


def any_of(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{expand(p)})" for p in patterns), flags)


def words(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Whole-word alternatives: 'due to' matches 'due to' but not 'overdue to'."""
    return re.compile(r"\b(?:" + "|".join(expand(p) for p in patterns) + r")\b", flags)


_REFERENCE = re.compile(r"\{@(\w+)\}")


def expand(pattern: str) -> str:
    """A pattern of rules/ may name a list of rules/language.yml instead of writing it out
    again: "\\bsince (?:Q[1-4]|{@months})\\b" matches "since March"."""
    if "{@" not in pattern:
        return pattern
    return _REFERENCE.sub(lambda m: "(?:" + "|".join(_list_of(m.group(1))) + ")", pattern)


def _list_of(name: str) -> list[str]:
    items = shared(name)
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ConfigError("NQE011", f"'{{@{name}}}' must name a list of words in the "
                          "language lexicon", Location(str(rules_dir() / "language.yml"),
                                                      None, name))
    return items


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
RATE_UNIT = re.compile(r"^\s*per\s+(?:1,?000|10,?000|100,?000|100)\b", re.I)


def _figure(number_words: list[str]) -> re.Pattern[str]:
    # VERBOSE drops the spaces of "a third": kept as it was when the words were in code.
    # The second year of a fiscal year ("2015-16", "2016–17") is part of a date, not a count.
    spelt = "|".join(number_words)
    return re.compile(
        rf"""(?P<money>£\s?(?:{_NUM})\s?(?:k\b|m\b|bn\b|million\b|billion\b)?)
        |(?P<percent>(?<![\w.])(?:{_NUM})\s?(?:%|per\s?cent\b|percentage\s+points?\b|pp\b))
        |(?P<wte>(?<![\w.])(?:{_NUM})\s?(?:wte|fte)\b)
        |(?P<number>(?<![\w.£/])(?<![A-Za-z]-)(?<!(?:19|20)\d\d[-–—])(?:{_NUM})(?![\w/]|\.\d|:\d))
        |(?P<word>\b(?:{spelt})\b)""",
        re.IGNORECASE | re.VERBOSE,
    )


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    path = rules_dir() / "language.yml"
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("NQE011", f"cannot load the language lexicon ({exc})",
                          Location(str(path))) from exc
    if not isinstance(raw, dict):
        raise ConfigError("NQE011", "the language lexicon must be a mapping of lists",
                          Location(str(path)))
    return raw


def localities(settings: Settings) -> tuple[str, ...]:
    """The council's places ("NE", "North West"): [glossary] localities of the settings
    replace the bundled list of rules/language.yml, and extend_localities add to it."""
    base = settings.localities if settings.localities is not None else shared("localities")
    return (*base, *(v for v in settings.extend_localities if v not in base))


def shared(name: str) -> Any:
    """One entry of rules/language.yml, for the detectors and modules that share it."""
    raw = _raw()
    if name not in raw:
        raise ConfigError("NQE011", f"the language lexicon has no '{name}' entry",
                          Location(str(rules_dir() / "language.yml"), None, name))
    return raw[name]


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
    figure: re.Pattern[str]
    duration_unit: re.Pattern[str]
    timescale_lead: re.Pattern[str]
    identifier_before: re.Pattern[str]
    planned: re.Pattern[str]


@lru_cache(maxsize=1)
def any_month() -> re.Pattern[str]:
    """A month's name, in full or short, whatever the case ('March', 'Mar', 'MAR', 'Sept')."""
    return any_of(shared("months") + shared("month_abbreviations"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = _raw()
    try:
        months = r"\b(?:" + "|".join(raw["months"] + raw["month_abbreviations"]) + r")\b"
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
            figure=_figure(raw["number_words"][1:] + raw["more_number_words"]),
            duration_unit=re.compile(r"^\s*(?:working\s+)?(?:" + "|".join(raw["duration_units"])
                                     + r")\b", re.I),
            # matched against lower-cased text, as the heuristic it replaces was
            timescale_lead=re.compile(r"\b(?:" + "|".join(raw["timescale_lead"])
                                      + r")\s*(?:the\s+)?(?:next\s+)?$"),
            identifier_before=re.compile(r"\b(?:" + "|".join(raw["identifier_nouns"])
                                         + r")\s*$", re.I),
            planned=words(raw["planned_markers"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ConfigError("NQE011", f"cannot load the language lexicon ({exc})",
                          Location(str(rules_dir() / "language.yml"))) from exc
