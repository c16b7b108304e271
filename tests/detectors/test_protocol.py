"""Every detector module keeps the protocol of detectors/base.py, and none imports another."""

from __future__ import annotations

import ast
import importlib

import pytest

from narrative_qa.catalogue import load_catalogue
from narrative_qa.detectors import builtin_kinds
from narrative_qa.detectors.base import check_module, check_params
from tests.conftest import ROOT

DETECTORS = ROOT / "narrative_qa" / "detectors"


@pytest.mark.parametrize("kind", sorted(builtin_kinds()))
def test_each_detector_module_declares_the_protocol(kind):
    module = importlib.import_module(builtin_kinds()[kind])
    assert check_module(module) == []
    assert kind == module.KIND


def test_every_rule_names_a_detector_whose_parameters_it_fills():
    for rule in load_catalogue():
        assert rule.module is not None and rule.detector == rule.module.KIND
        assert check_params(rule.module.PARAMS, rule.params) == []


def test_check_params_names_each_wrong_key():
    schema = {"words": list[str], "limit": int, "weights": dict[str, float]}
    assert check_params(schema, {"words": ["a"], "limit": 2, "weights": {"x": 1}}) == []
    problems = check_params(schema, {"word": ["a"], "limit": 2.5, "weights": {"x": "1"}})
    assert [p.split(":")[0] for p in problems] == ["params.word", "params.words",
                                                    "params.limit", "params.weights"]


def test_detectors_do_not_import_each_other():
    own = {p.stem for p in DETECTORS.glob("*.py")} - {"__init__", "base"}
    for path in DETECTORS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                name = node.module.removeprefix("narrative_qa.detectors").lstrip(".")
                assert name not in own, f"{path.name} imports {node.module}"
