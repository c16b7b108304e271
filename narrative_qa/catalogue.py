"""The findings catalogue: one YAML file per finding under rules/, loaded as Rule records."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from narrative_qa.config import Settings
from narrative_qa.errors import ConfigError, Location
from narrative_qa.keyword_baseline import BaselineError, Condition, compile_baseline
from narrative_qa.rules_dir import YAML_LOADER, rules_dir
from narrative_qa.specs.params import must_be, param_problem
from narrative_qa.specs.rule_file import check_rule_file
from narrative_qa.specs.settings import FindingTable, setting_names

RULE_FILE = re.compile(r"^(NQ\d\d)-([a-z0-9-]+)\.ya?ml$")


@dataclass(frozen=True)
class Example:
    label: str  # "fail": the finding must fire; "pass": it must not
    submission: dict[str, Any]
    note: str = ""


@dataclass(frozen=True)
class Makes:
    """What makes a finding (specs/rule_file.py MakesSpec), as the rule file says it."""

    kind: str
    says: str
    tags: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    bespoke: str = ""


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
    makes: Makes | None = None  # the finding in plain words over the reading layer
    module: ModuleType | None = field(default=None, compare=False, repr=False)
    enabled: bool = True  # False: turned off by the settings (findings.select / ignore)
    # What the settings changed: "severity" or "params.<name>" -> the rule file's value.
    changed: dict[str, Any] = field(default_factory=dict, compare=False)

    def render(self, template: str, values: dict[str, Any]) -> str:
        """Fill a message template; a missing placeholder is a catalogue error."""
        try:
            return template.format_map(values)
        except (KeyError, IndexError) as exc:
            raise ConfigError("NQE011", f"{self.code} template needs {exc}",
                              Location(str(self.path))) from exc



def _load_rule(path: Path) -> Rule:
    """One rule file, read through its spec (specs/rule_file.py): NQE011 names the file
    and the key."""
    where = Location(str(path))
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("NQE011", f"cannot read rule file ({exc})", where) from exc
    spec, problem = check_rule_file(raw)
    if spec is None:
        raise ConfigError("NQE011", problem, where)
    match = RULE_FILE.match(path.name)
    if not match or match.group(1) != spec.code or match.group(2) != spec.slug:
        raise ConfigError("NQE011", "file name must be '<code>-<slug>.yml'", where)
    detector = raw["detector"]  # as written: the parameters keep the file's own values
    params = detector.get("params") or {}
    module = _detector_module(detector, params, where)
    try:
        baseline = compile_baseline(raw["baseline"]) if "baseline" in raw else None
    except BaselineError as exc:
        raise ConfigError("NQE011", f"baseline: {exc}", Location(str(path), None,
                                                                  "baseline")) from exc
    return Rule(
        code=spec.code, slug=spec.slug, title=spec.title, source=spec.source.strip(),
        severity=spec.severity, scope=spec.scope, applies=spec.applies.strip(),
        docs={k: v.strip() for k, v in spec.docs.items()},
        detector=spec.detector.kind, params=params, module=module,
        messages={k: v.strip() for k, v in spec.messages.items()},
        suggestion=spec.suggestion.strip(), good_example=spec.good_example.strip(),
        examples=tuple(Example(e.label, raw_e["submission"], e.note)
                       for e, raw_e in zip(spec.examples, raw["examples"], strict=True)),
        path=path, baseline=baseline,
        makes=None if spec.makes is None else Makes(
            spec.makes.kind, " ".join(spec.makes.says.split()), tuple(spec.makes.tags),
            tuple(spec.makes.facts), " ".join(spec.makes.bespoke.split())),
    )


def _detector_module(detector: dict[str, Any], params: dict[str, Any],
                     where: Location) -> ModuleType:
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
        problems = check_params(module.PARAMS, params)
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


# --- the catalogue under a council's settings ([findings] and [glossary] of --config) -----

def effective_catalogue(settings: Settings,
                        rules: tuple[Rule, ...] | None = None) -> tuple[Rule, ...]:
    """The rules the engine runs under `settings`: the findings turned off are left out,
    and each of the others has the severity and parameters the settings give."""
    configured = configured_catalogue(settings, rules)
    if all(r.enabled for r in configured):
        return configured  # unchanged settings: the very catalogue loaded
    return tuple(r for r in configured if r.enabled)


def configured_catalogue(settings: Settings,
                         rules: tuple[Rule, ...] | None = None) -> tuple[Rule, ...]:
    """Every rule with the settings applied, the ones turned off marked `enabled=False`
    (what `narrative-qa rules --config` shows). Refuses (NQE010, naming the settings file
    and the key) an unknown code, an unknown parameter or a value of the wrong type."""
    rules = rules if rules is not None else load_catalogue()
    chosen = settings.findings
    if chosen.empty:
        return rules
    where = Location(settings.source or "<settings>")
    codes = [r.code for r in rules]
    select = _codes(chosen.select, "findings.select", codes, where)
    ignore = _codes(chosen.ignore, "findings.ignore", codes, where)
    tables: dict[str, tuple[str, dict[str, Any]]] = {}
    for written, table in chosen.per_code.items():
        code = _code(written, f"findings.{written}", codes, where)
        if code in tables:
            raise ConfigError("NQE010", f"findings.{written}: {code} is configured twice "
                              f"(also as findings.{tables[code][0]})", where)
        tables[code] = (written, table)
    out = []
    for rule in rules:
        enabled = (select is None or rule.code in select) and rule.code not in ignore
        if rule.code in tables:
            rule = _apply_table(rule, f"findings.{tables[rule.code][0]}",
                                tables[rule.code][1], where)
        out.append(replace(rule, enabled=enabled) if not enabled else rule)
    return tuple(out)


def _codes(written: tuple[str, ...] | None, key: str, codes: list[str],
           where: Location) -> set[str] | None:
    return None if written is None else {_code(c, key, codes, where) for c in written}


def _code(written: str, key: str, codes: list[str], where: Location) -> str:
    code = written.strip().upper()
    if code in codes:
        return code
    close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    raise ConfigError("NQE010", f"{key}: {written}: no such finding; {hint}the findings are "
                      f"{', '.join(codes)}", where)


def _apply_table(rule: Rule, name: str, table: dict[str, Any], where: Location) -> Rule:
    """One [findings.NQ04] table: its severity, and its parameters given directly or under
    [findings.NQ04.params] (named as in the rule file, typed as the detector declares)."""
    given: dict[str, tuple[str, Any, tuple[str, ...]]] = {}  # -> (key path, value, other keys)
    for key, value in table.items():
        if key == "severity":  # its value checked by the settings' spec (FindingTable)
            continue
        if key == "params":
            for param, inner in value.items():
                _once(given, param, (f"{name}.params.{param}", inner, ()), where)
        else:  # a parameter given directly; a misspelt "severity" lands here too
            _once(given, key, (f"{name}.{key}", value, tuple(FindingTable.model_fields)),
                  where)
    params = dict(rule.params)
    changed = dict(rule.changed)
    for param, (path, value, others) in given.items():
        value = _parameter(rule, param, path, value, others, where)
        if value != rule.params[param]:
            changed.setdefault(f"params.{param}", rule.params[param])
            params[param] = value
    severity = table.get("severity", rule.severity)
    if severity != rule.severity:
        changed.setdefault("severity", rule.severity)
    return replace(rule, severity=severity, params=params, changed=changed)


def _once(given: dict[str, tuple[str, Any, tuple[str, ...]]], param: str,
          entry: tuple[str, Any, tuple[str, ...]], where: Location) -> None:
    if param in given:
        raise ConfigError("NQE010", f"{entry[0]}: given twice (also as {given[param][0]}); "
                          "keep one", where)
    given[param] = entry


def _parameter(rule: Rule, param: str, path: str, value: Any, others: tuple[str, ...],
               where: Location) -> Any:
    """The parameter's new value, checked against the detector's PARAMS as the rule files
    are; a table given for a mapping parameter changes only the keys it names."""
    schema = rule.module.PARAMS if rule.module is not None else {}
    if param not in schema:
        raise ConfigError("NQE010", f"{path}: unknown parameter of {rule.code}"
                          f"{_hint(param, [*schema, *others])}", where)
    if isinstance(value, dict) and isinstance(rule.params[param], dict):
        for key in value:
            if key not in rule.params[param]:
                raise ConfigError("NQE010", f"{path}.{key}: unknown key"
                                  f"{_hint(key, list(rule.params[param]), 'keys')}", where)
    merged = ({**rule.params[param], **value}
              if isinstance(value, dict) and isinstance(rule.params[param], dict) else value)
    if param_problem(schema, param, merged):  # the message shows the value as written
        raise ConfigError("NQE010", f"{path}: {must_be(schema[param], value)}", where)
    return merged


def _hint(name: str, known: list[str], noun: str = "parameters") -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if noun != "parameters":
        return f"; did you mean {close[0]}?" if close else f"; the {noun} are {', '.join(known)}"
    # A threshold that is a setting of its own ("min_words" is limits.min_words_off_target):
    # compared by its beginning, since that is the part a person types from memory.
    settings = setting_names()
    heads = {key[: len(name) + 1]: key for key in settings}
    elsewhere = difflib.get_close_matches(name, list(heads), n=1, cutoff=0.75)
    if elsewhere and (not close or _likeness(name, elsewhere[0]) > _likeness(name, close[0])):
        return (f"; is it {settings[heads[elsewhere[0]]]}, a setting of its own? the "
                f"parameters are {', '.join(known) or 'none'}")
    if close:
        return f"; did you mean {close[0]}?"
    return f"; the parameters are {', '.join(known)}" if known else "; it has none"


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()

