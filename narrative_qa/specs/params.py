"""What a detector's parameters may be: each detector declares them once, in PARAMS, with
the types below, and the rule files (NQE011) and the settings' [findings.<code>] tables
(NQE010) are checked against the pydantic model made from that declaration."""

from __future__ import annotations

import typing
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model

from narrative_qa.specs.explain import describe

# A confidence or a similarity: `min_similarity: 7.5` or `nan` would turn a finding off.
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]  # words, characters or sentences
# A multiple of a reader's threshold ("read at 1.1 times its threshold").
Ratio = Annotated[float, Field(ge=0.5, le=2, allow_inf_nan=False)]
# A module outside the package may write a bare float or int, as before these types: they
# mean a share and a count.
_BARE: dict[Any, Any] = {float: Share, int: Count}
STRICT = ConfigDict(strict=True)
_MODELS: dict[int, tuple[dict[str, Any], type[BaseModel]]] = {}


def declared(expected: Any) -> Any:
    """`expected` with each bare float or int read as a Share or a Count."""
    origin, args = typing.get_origin(expected), typing.get_args(expected)
    if expected in _BARE:
        return _BARE[expected]
    if origin is list:
        return list[declared(args[0])]  # type: ignore[misc]
    if origin is dict:
        return dict[args[0], declared(args[1])]  # type: ignore[misc]
    return expected


def params_model(schema: dict[str, Any]) -> type[BaseModel]:
    """The pydantic model of a detector's PARAMS (made once per declaration)."""
    cached = _MODELS.get(id(schema))
    if cached is None or cached[0] is not schema:
        fields: dict[str, Any] = {k: (declared(t), ...) for k, t in schema.items()}
        model = create_model("Params", __config__=ConfigDict(extra="forbid", **STRICT),
                             **fields)
        cached = _MODELS[id(schema)] = (schema, model)
    return cached[1]


def param_problems(schema: dict[str, Any], params: dict[str, Any]) -> list[str]:
    """What is wrong with a rule's parameters, one line per key: the keys not declared
    first, then the declared ones in their order (empty when nothing is)."""
    try:
        params_model(schema).model_validate(params)
        return []
    except ValidationError as exc:
        errors = exc.errors()
    problems = [f"params.{key}: not a parameter of this detector (one of "
                f"{', '.join(schema)})" for key in params if key not in schema]
    wrong = {error["loc"][0] for error in errors}
    for key in schema:
        if key in wrong:
            problem = "missing" if key not in params else must_be(
                schema[key], params[key], shown=not isinstance(params[key], list | dict))
            problems.append(f"params.{key}: {problem}")
    return problems


def param_problem(schema: dict[str, Any], key: str, value: Any) -> str | None:
    """What is wrong with one declared parameter's value, or None."""
    try:
        TypeAdapter(declared(schema[key]), config=STRICT).validate_python(value)
        return None
    except ValidationError:
        return must_be(schema[key], value)


def must_be(expected: Any, value: Any, shown: bool = True) -> str:
    """'must be a number from 0 to 1, not 7.5': the type with its range, as declared."""
    return f"must be {describe(declared(expected))}" + (f", not {value!r}" if shown else "")
