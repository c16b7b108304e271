"""The findings catalogue: one YAML file per finding under rules/, loaded as Rule records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from narrative_qa.errors import ConfigError, Location
from narrative_qa.keyword_baseline import BaselineError, Condition, compile_baseline

SEVERITIES = ("high", "medium", "low")
SCOPES = ("amber-or-red", "any")
REQUIRED_KEYS = (
    "code", "slug", "title", "source", "severity", "scope", "applies", "docs", "detector",
    "messages", "suggestion", "good_example", "examples",
)
# libyaml's safe loader when present: ten times faster than the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RULE_FILE = re.compile(r"^(NQ\d\d)-([a-z0-9-]+)\.ya?ml$")


def rules_dir() -> Path:
    """rules/ of a source checkout, or the copy bundled into an installed wheel."""
    package = Path(__file__).parent
    for candidate in (package.parent / "rules", package / "_bundled_rules"):
        if (candidate / "language.yml").is_file():
            return candidate
    raise ConfigError("NQE011", "the rules/ folder was not found", Location(str(package)))


@dataclass(frozen=True)
class Example:
    label: str  # "fail": the finding must fire; "pass": it must not
    submission: dict[str, Any]
    note: str = ""


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    title: str
    source: str
    severity: str
    scope: str
    applies: str
    docs: dict[str, str]
    detector: str
    params: dict[str, Any]
    messages: dict[str, str]
    suggestion: str
    good_example: str
    examples: tuple[Example, ...]
    path: Path = field(default=Path())
    baseline: Condition | None = None  # the keyword baseline of `evaluate`, if written

    def render(self, template: str, values: dict[str, Any]) -> str:
        """Fill a message template; a missing placeholder is a catalogue error."""
        try:
            return template.format_map(values)
        except (KeyError, IndexError) as exc:
            raise ConfigError("NQE011", f"{self.code} template needs {exc}",
                              Location(str(self.path))) from exc



def _load_rule(path: Path) -> Rule:
    where = Location(str(path))
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("NQE011", f"cannot read rule file ({exc})", where) from exc
    if not isinstance(raw, dict):
        raise ConfigError("NQE011", "a rule file must be a mapping", where)
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise ConfigError("NQE011", f"missing keys: {', '.join(missing)}", where)
    match = RULE_FILE.match(path.name)
    if not match or match.group(1) != raw["code"] or match.group(2) != raw["slug"]:
        raise ConfigError("NQE011", "file name must be '<code>-<slug>.yml'", where)
    if raw["severity"] not in SEVERITIES or raw["scope"] not in SCOPES:
        raise ConfigError("NQE011", f"severity must be one of {SEVERITIES}, scope one of "
                          f"{SCOPES}", where)
    detector = raw["detector"]
    examples = tuple(
        Example(e["label"], e["submission"], e.get("note", "")) for e in raw["examples"]
    )
    try:
        baseline = compile_baseline(raw["baseline"]) if "baseline" in raw else None
    except BaselineError as exc:
        raise ConfigError("NQE011", f"baseline: {exc}", Location(str(path), None,
                                                                  "baseline")) from exc
    return Rule(
        code=raw["code"], slug=raw["slug"], title=raw["title"], source=raw["source"].strip(),
        severity=raw["severity"], scope=raw["scope"], applies=raw["applies"].strip(),
        docs={k: str(v).strip() for k, v in raw["docs"].items()},
        detector=detector["kind"], params=detector.get("params", {}) or {},
        messages={k: str(v).strip() for k, v in raw["messages"].items()},
        suggestion=raw["suggestion"].strip(), good_example=raw["good_example"].strip(),
        examples=examples, path=path, baseline=baseline,
    )


@lru_cache(maxsize=4)
def load_catalogue(directory: Path | None = None) -> tuple[Rule, ...]:
    directory = directory or rules_dir()
    rules = [_load_rule(p) for p in sorted(directory.glob("NQ*.y*ml"))]
    codes = [r.code for r in rules]
    if len(set(codes)) != len(codes):
        raise ConfigError("NQE011", "two rule files share a code", Location(str(directory)))
    return tuple(rules)


def catalogue_codes(rules: tuple[Rule, ...] | None = None) -> tuple[str, ...]:
    """The finding codes, in catalogue order: the catalogue is the only list of them."""
    return tuple(r.code for r in (rules if rules is not None else load_catalogue()))


def get_rule(code: str) -> Rule:
    for rule in load_catalogue():
        if rule.code == code.upper():
            return rule
    raise ConfigError("NQE011", f"no rule {code}; run 'narrative-qa rules' for the list")
