"""The findings catalogue: one YAML file per finding under rules/, loaded as Rule records."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from narrative_qa.errors import ConfigError, Location
from narrative_qa.keyword_baseline import BaselineError, Condition, compile_baseline
from narrative_qa.rules_dir import YAML_LOADER, rules_dir

SEVERITIES = ("high", "medium", "low")
SCOPES = ("amber-or-red", "any")
REQUIRED_KEYS = (
    "code", "slug", "title", "source", "severity", "scope", "applies", "docs", "detector",
    "messages", "suggestion", "good_example", "examples",
)
RULE_FILE = re.compile(r"^(NQ\d\d)-([a-z0-9-]+)\.ya?ml$")


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
    module: ModuleType | None = field(default=None, compare=False, repr=False)

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
    if not isinstance(detector, dict) or "kind" not in detector:
        raise ConfigError("NQE011", "detector needs a 'kind'", where)
    params = detector.get("params", {}) or {}
    module = _detector_module(detector, params, where)
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
        detector=detector["kind"], params=params, module=module,
        messages={k: str(v).strip() for k, v in raw["messages"].items()},
        suggestion=raw["suggestion"].strip(), good_example=raw["good_example"].strip(),
        examples=examples, path=path, baseline=baseline,
    )


def _detector_module(detector: dict[str, Any], params: Any, where: Location) -> ModuleType:
    """The detector's module, checked against the protocol and the rule's parameters."""
    from narrative_qa.detectors import detector_module
    from narrative_qa.detectors.base import check_module, check_params

    kind = detector["kind"]
    try:
        module = detector_module(kind, detector.get("module"))
    except (ImportError, LookupError) as exc:
        raise ConfigError("NQE011", f"detector: {exc}", where) from exc
    problems = check_module(module)
    if not problems and kind != module.KIND:
        problems = [f"{module.__name__} implements '{module.KIND}', not '{kind}'"]
    if not problems:
        problems = (check_params(module.PARAMS, params) if isinstance(params, dict)
                    else ["params must be a mapping"])
    if problems:
        raise ConfigError("NQE011", "detector " + "; ".join(problems), where)
    return module


# Folders of extra rule files (os.pathsep-separated), added to the bundled catalogue; their
# detector modules are named in the rule files and imported from sys.path.
EXTRA_RULES_ENV = "NARRATIVE_QA_RULES"


def load_catalogue(directory: Path | None = None) -> tuple[Rule, ...]:
    """The rules of `directory`; by default the bundled rules/ plus any extra folders."""
    if directory is not None:
        return _load_folders((directory,))
    extra = [Path(p) for p in os.environ.get(EXTRA_RULES_ENV, "").split(os.pathsep) if p]
    return _load_folders((rules_dir(), *extra))


@lru_cache(maxsize=4)
def _load_folders(folders: tuple[Path, ...]) -> tuple[Rule, ...]:
    rules = sorted((_load_rule(p) for folder in folders for p in folder.glob("NQ*.y*ml")),
                   key=lambda r: (r.code, str(r.path)))
    codes = [r.code for r in rules]
    if len(set(codes)) != len(codes):
        raise ConfigError("NQE011", "two rule files share a code",
                          Location(os.pathsep.join(map(str, folders))))
    return tuple(rules)


def catalogue_codes(rules: tuple[Rule, ...] | None = None) -> tuple[str, ...]:
    """The finding codes, in catalogue order: the catalogue is the only list of them."""
    return tuple(r.code for r in (rules if rules is not None else load_catalogue()))


def get_rule(code: str) -> Rule:
    for rule in load_catalogue():
        if rule.code == code.upper():
            return rule
    raise ConfigError("NQE011", f"no rule {code}; run 'narrative-qa rules' for the list")
