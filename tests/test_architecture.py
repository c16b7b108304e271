"""The package's shape: no import cycles; a finding added from one rule file and one module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "narrative_qa"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str, known: set[str]) -> str | None:
    """The longest known module that `name` names (a.b.C -> a.b when C is not a module)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports, anywhere in its body (lazy imports too)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    known = set(files)
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                resolved = _resolve(target, known)
                if resolved and resolved != module:
                    edges.add(resolved)
        graph[module] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_find_cycle_sees_a_cycle_and_a_clean_graph():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert "narrative_qa.engine" in graph and graph["narrative_qa.engine"]
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


# --- a finding from one rule file and one detector module, nothing else touched -------

TOY_MODULE = '''
from narrative_qa.detectors.base import Context, Hit

KIND = "toy_word"
NEEDS: frozenset[str] = frozenset()
PARAMS = {"word": str, "confidence": float}


def detect(ctx: Context, params: dict) -> list[Hit]:
    said = [s for s in ctx.sentences if params["word"] in s.text.lower()]
    if not said:
        return []
    return [Hit(evidence=said, values={"word": params["word"]},
                confidence=params["confidence"])]
'''

TOY_RULE = '''
code: NQ90
slug: toy-finding
title: The toy word is used
source: A test of the catalogue's extension points.
severity: low
scope: any
applies: Any KPI.
docs:
  what: Flags a narrative that uses the toy word, whatever else it says about the KPI.
  why: It shows that a finding is one rule file and one detector module, nothing more.
  not: Does not fire when the toy word is absent, however the narrative is written.
detector:
  kind: toy_word
  module: nq_toy_detector
  params:
    word: {word}
    confidence: 0.9
messages:
  officer: "The narrative says '{{word}}'."
  elt: "Uses '{{word}}'."
suggestion: Say what you mean instead of '{{word}}'.
good_example: Performance rose to 80% because two practitioners started in July.
examples:
  - label: fail
    note: The word is there.
    submission: {{narrative: "Performance is fine, a xyzzy quarter."}}
  - label: pass
    note: The word is not.
    submission: {{narrative: "Performance is fine."}}
baseline:
  matches: ["xyzzy"]
'''

TOY_ROWS = [
    {"kpi_id": "T1", "kpi_name": "% on time", "target": 60, "actual": 70, "unit": "%",
     "polarity": "up", "stated_rag": "green", "owner": "A. Officer", "period": "2025/26 Q2",
     "narrative": "Performance rose to 70% this xyzzy quarter because of new staff.",
     "labels": {"NQ90": 1}},
    {"kpi_id": "T2", "kpi_name": "% seen", "target": 60, "actual": 75, "unit": "%",
     "polarity": "up", "stated_rag": "green", "owner": "A. Officer", "period": "2025/26 Q2",
     "narrative": "Performance rose to 75% because two practitioners started in July.",
     "labels": {"NQ90": 0}},
]


def _toy_plugin(tmp_path, monkeypatch, word="xyzzy"):
    import json

    from narrative_qa.catalogue import EXTRA_RULES_ENV

    (tmp_path / "nq_toy_detector.py").write_text(TOY_MODULE)
    (tmp_path / "NQ90-toy-finding.yml").write_text(TOY_RULE.format(word=word))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(EXTRA_RULES_ENV, str(tmp_path))
    data = tmp_path / "toy.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in TOY_ROWS))
    return data


def test_a_toy_finding_is_scored_evaluated_and_reported(tmp_path, monkeypatch, settings):
    from narrative_qa.api import ingest_file
    from narrative_qa.catalogue import load_catalogue
    from narrative_qa.measure.evaluation import evaluate
    from narrative_qa.measure.rule_examples import example_behaves
    from narrative_qa.reporting.render import render_report_html
    from narrative_qa.reporting.view import build_report
    from narrative_qa.store.history import History

    data = _toy_plugin(tmp_path, monkeypatch)
    rules = load_catalogue()
    toy = next(r for r in rules if r.code == "NQ90")
    assert all(example_behaves(toy, e, settings)[0] for e in toy.examples)

    report = evaluate(data, settings=settings)
    assert list(report.systems["narrative_qa"]) == ["NQ90"]
    assert report.systems["narrative_qa"]["NQ90"].as_dict()["f1"] == 1.0
    assert report.systems["keyword"]["NQ90"].tp == 1

    history = History(f"sqlite:///{tmp_path / 'history.db'}")
    ingest_file(data, "2025/26 Q2", history, settings=settings)
    html = render_report_html(build_report(history, "2025/26 Q2"))
    assert "The toy word is used" in html and "Uses &#39;xyzzy&#39;." in html
    assert "(NQ01–NQ90)" in html


def test_a_misspelt_or_missing_detector_parameter_fails_when_the_catalogue_loads(
        tmp_path, monkeypatch):
    import pytest

    from narrative_qa.catalogue import load_catalogue
    from narrative_qa.errors import ConfigError

    _toy_plugin(tmp_path, monkeypatch)
    rule = tmp_path / "NQ90-toy-finding.yml"
    for old, new, key in (("    word: xyzzy", "    wrd: xyzzy", "params.wrd"),
                          ("    confidence: 0.9", "    confidence: high",
                           "params.confidence")):
        rule.write_text(TOY_RULE.format(word="xyzzy").replace(old, new))
        with pytest.raises(ConfigError) as caught:
            load_catalogue()
        assert caught.value.code == "NQE011" and key in str(caught.value)
        assert caught.value.location.file == str(rule)


# --- the measuring wing stays off the scoring path -------------------------------------

SCORING_ENTRIES = ("narrative_qa.engine", "narrative_qa.api", "narrative_qa.web.app")


def reachable(graph: dict[str, set[str]], starts: tuple[str, ...]) -> set[str]:
    """Every module the starts import, directly or through others (lazy imports too)."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return seen


def test_reachable_follows_imports_through_other_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": set(), "d": {"a"}}
    assert reachable(graph, ("a",)) == {"a", "b", "c"}


def test_scoring_imports_nothing_from_the_measuring_package():
    graph = import_graph()
    assert any(m.startswith("narrative_qa.measure.") for m in graph)
    scoring = reachable(graph, SCORING_ENTRIES)
    assert "narrative_qa.detectors.base" in scoring  # the walk reaches the detectors
    measuring = sorted(m for m in scoring if m.startswith("narrative_qa.measure"))
    assert measuring == [], measuring


# --- the web app calls the library only ---------------------------------------------

def web_violations(module: str, source: str) -> list[str]:
    """What a module of narrative_qa/web does that only the library may: import a database
    driver or a store module outside narrative_qa.store.PUBLIC, import an underscore name
    from another package, or reach a store's engine or another object's private attribute."""
    from narrative_qa.store import PUBLIC

    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[tuple[str, list[str]]] = []
        if isinstance(node, ast.Import):
            names = [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [(node.module or "", [alias.name for alias in node.names])]
        for target, imported in names:
            if target.split(".")[0] in ("sqlalchemy", "sqlite3"):
                found.append(f"{module} imports {target}")
            parts = target.split(".")
            store_module = parts[2] if parts[:2] == ["narrative_qa", "store"] and \
                len(parts) > 2 else None
            if parts == ["narrative_qa", "store"]:
                store_module = next((n for n in imported if n not in PUBLIC), None)
            if store_module is not None and store_module not in PUBLIC:
                found.append(f"{module} imports narrative_qa.store.{store_module}")
            if not target.startswith("narrative_qa.web"):
                found += [f"{module} imports {target}.{n}" for n in imported
                          if n.startswith("_")]
        if isinstance(node, ast.Attribute) and (
                node.attr == "engine" or (node.attr.startswith("_")
                                          and not node.attr.startswith("__")
                                          and not (isinstance(node.value, ast.Name)
                                                   and node.value.id in ("self", "cls")))):
            found.append(f"{module} reaches .{node.attr}")
    return found


def test_the_web_check_sees_each_way_past_the_library():
    source = ("import sqlalchemy as sa\nfrom narrative_qa.store import schema\n"
              "from narrative_qa.store.web_schema import upload\n"
              "from narrative_qa.reporting.view import _label, build_report\n"
              "rows = state.history.engine.connect()\nstate.history._writing()\n")
    assert sorted(web_violations("m", source)) == [
        "m imports narrative_qa.reporting.view._label", "m imports narrative_qa.store.schema",
        "m imports narrative_qa.store.web_schema", "m imports sqlalchemy",
        "m reaches ._writing", "m reaches .engine"]
    assert web_violations("m", "from narrative_qa.store.history import History\n"
                          "from narrative_qa.web.security import _private\n"
                          "self._pool.submit()\n") == []


def test_the_web_app_calls_the_library_only():
    found = []
    for path in sorted((PACKAGE / "web").rglob("*.py")):
        found += web_violations(_module_name(path), path.read_text(encoding="utf-8"))
    assert found == []


# --- one home for each rule -------------------------------------------------------------

HOMES = {  # a rule's functions and constants -> the one module that may define them
    "narrative_qa.language.periods": {
        "parse_period", "period_name", "canonical_period", "previous_period", "next_period",
        "period_key", "period_order", "same_period", "not_after"},
    "narrative_qa.previous": {"match_key"},
    "narrative_qa.store.keys": {"owner_key", "kpi_key"},
    "narrative_qa.assessment": {"SEVERITY_ORDER", "SEVERITIES", "VERDICTS", "verdict_of"},
    "narrative_qa.reporting.view": {"build_report"},
}
SEVERITY_WORDS, VERDICT_WORDS = {"high", "medium", "low"}, {"not-acceptable", "revise", "ready"}
PERIOD_SPELLING = re.compile(r"\}\s*Q\{")  # an f-string writing '2025/26 Q{quarter}'
PERIOD_PATTERN = re.compile(r"\\d\{4\}.*Q|Q.*\\d\{4\}")  # a regular expression for periods
CASE_FOLDS = {"lower", "upper", "casefold"}


def _folds_a_period(node: ast.AST) -> bool:
    """`(sub.period or "").strip().lower()`: a period's case folded outside its home, a
    second rule for which periods are the same (the home's is period_key)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in CASE_FOLDS):
        return False
    return any("period" in (n.attr if isinstance(n, ast.Attribute) else n.id).lower()
               for n in ast.walk(node.func.value) if isinstance(n, ast.Attribute | ast.Name))


def second_homes(module: str, source: str) -> list[str]:
    """Each rule of HOMES this module defines again: a module-level function or constant
    of a rule's name, a literal list of the severities or the verdicts, a period spelt
    with an f-string, a regular expression for periods, a period's case folded, or a
    verdict worked out."""
    own = {name for home, names in HOMES.items() if home == module for name in names}
    ruled = set().union(*HOMES.values()) - own
    tree = ast.parse(source)
    found = []
    for node in tree.body:
        names = [node.name] if isinstance(node, ast.FunctionDef | ast.ClassDef) else [
            t.id for t in getattr(node, "targets", [getattr(node, "target", None)])
            if isinstance(t, ast.Name)]
        found += [f"{module} defines {n}" for n in names if n in ruled]
    if module in HOMES and own & {"SEVERITIES", "verdict_of"}:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
            if words >= SEVERITY_WORDS or words >= VERDICT_WORDS:
                found.append(f"{module} lists {sorted(words)}")
        decided = node.body if isinstance(node, ast.IfExp) else node.value if isinstance(
            node, ast.Assign) else None
        if isinstance(decided, ast.Constant) and decided.value == "not-acceptable":
            found.append(f"{module} works out a verdict")
        if module != "narrative_qa.language.periods":
            if isinstance(node, ast.JoinedStr) and PERIOD_SPELLING.search(ast.unparse(node)):
                found.append(f"{module} spells a period")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    PERIOD_PATTERN.search(node.value):
                found.append(f"{module} has a period pattern")
            if _folds_a_period(node):
                found.append(f"{module} normalises a period")
    return found


def test_the_home_check_sees_a_second_definition():
    source = ('SEVERITIES = ("high", "medium", "low")\n'
              'def previous_period(p):\n    return f"{s}/{e} Q{q - 1}"\n'
              'PERIOD = re.compile(r"^(\\d{4})/(\\d{2}) Q(\\d)$")\n'
              'def v(s):\n    return "not-acceptable" if "high" in s else "ready"\n'
              'if "high" in s:\n    verdict = "not-acceptable"\n'
              'def match_key(k):\n    return k.casefold()\n'
              'key = (sub.kpi_id, (sub.period or "").strip().lower())\n')
    assert sorted(second_homes("narrative_qa.web.x", source)) == [
        "narrative_qa.web.x defines SEVERITIES", "narrative_qa.web.x defines match_key",
        "narrative_qa.web.x defines previous_period", "narrative_qa.web.x has a period pattern",
        "narrative_qa.web.x lists ['high', 'low', 'medium']",
        "narrative_qa.web.x normalises a period",
        "narrative_qa.web.x spells a period", "narrative_qa.web.x works out a verdict",
        "narrative_qa.web.x works out a verdict"]
    assert second_homes("narrative_qa.web.x", "from narrative_qa.language.periods import "
                        "previous_period\nfor s in SEVERITIES:\n    pass\n"
                        "key = (sub.kpi_id.casefold(), period_key(sub.period))\n") == []


def test_each_rule_has_one_home():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            found += second_homes(_module_name(path), path.read_text(encoding="utf-8"))
    assert found == []


# --- specs declared once (issue 18) --------------------------------------------------------

READERS_OF_SPECS = ("narrative_qa/config.py", "narrative_qa/catalogue.py",
                    "narrative_qa/detectors/base.py", "narrative_qa/web/api.py")
SCALARS = {"bool", "int", "float", "str"}


def hand_checks(module: str, source: str) -> list[str]:
    """Type or range checks written by hand where settings, rule files, parameters or API
    bodies are read: `isinstance(value, int | float)`, `math.isfinite(value)`. They belong
    in a pydantic model of narrative_qa/specs (or web/api.py's bodies)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name == "isinstance" and len(node.args) == 2 and SCALARS & {
                n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}:
            found.append(f"{module} checks a type by hand: {ast.unparse(node)}")
        if name in ("math.isfinite", "isfinite"):
            found.append(f"{module} checks a range by hand: {ast.unparse(node)}")
    return found


def test_the_hand_check_finder_sees_a_validator():
    source = ("def _check(value):\n"
              "    ok = isinstance(value, int | float) and not isinstance(value, bool)\n"
              "    return ok and math.isfinite(value) and isinstance(value, (str, list))\n")
    assert sorted(f.split(":")[0] for f in hand_checks("m", source)) == [
        "m checks a range by hand", *["m checks a type by hand"] * 3]
    assert hand_checks("m", "merged = isinstance(value, dict) and x\n") == []


def test_no_hand_written_validator_where_specs_are_read():
    found = []
    for relative in READERS_OF_SPECS:
        found += hand_checks(relative, (ROOT / relative).read_text(encoding="utf-8"))
    assert found == []
