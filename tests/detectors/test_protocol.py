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


# Issue 18: parameters are declared once with their ranges (specs/params.py) and checked by
# the pydantic model made from the declaration.
def test_every_number_parameter_declares_its_range():
    import typing

    from narrative_qa.specs.explain import bounds

    for kind, path in sorted(builtin_kinds().items()):
        for name, expected in importlib.import_module(path).PARAMS.items():
            assert expected not in (int, float), f"{kind}.{name}: a bare {expected.__name__}"
            if typing.get_origin(expected) is typing.Annotated:
                assert bounds(list(typing.get_args(expected)[1:]))[0] is not None, name


def test_a_range_of_its_own_and_the_value_written_are_in_the_message():
    from typing import Annotated

    from pydantic import Field

    schema = {"limit": Annotated[int, Field(ge=1, le=5)], "confidence": float}
    assert check_params(schema, {"limit": 3, "confidence": 0.5}) == []
    assert check_params(schema, {"limit": 9, "confidence": 7.5}) == [
        "params.limit: must be a whole number from 1 to 5, not 9",
        "params.confidence: must be a number from 0 to 1, not 7.5"]
