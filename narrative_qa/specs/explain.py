"""pydantic's errors in the product's words: "rag.decimals: must be from 0 to 6, not 9".

Every spec states its types and ranges once, in its model; the messages are read from
the model (the field's type, its ge/le bounds, its Literal choices, or its description
where the words should be the spec's own), never written out beside it again.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

Loc = tuple[int | str, ...]
ErrorDetails = dict[str, Any]  # one of pydantic's ValidationError.errors()
RANGE_ERRORS = frozenset({"greater_than", "greater_than_equal", "less_than",
                          "less_than_equal"})


class SpecError(ValueError):
    """A problem a spec's own validator finds: the text after the key, and the keys under
    the validator's location it is about (none: the location itself)."""

    def __init__(self, text: str, *keys: str):
        super().__init__(text)
        self.text, self.keys = text, keys


def suggest(name: str, known: list[str], noun: str) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else f"; the {noun} are: {', '.join(known)}"


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def extra_model(model: type[BaseModel]) -> Any:
    """What the model's undeclared keys must be (its `__pydantic_extra__` annotation)."""
    hint = typing.get_type_hints(model).get("__pydantic_extra__")
    return typing.get_args(hint)[1] if hint is not None else None


def field_at(model: type[BaseModel], loc: Loc) -> tuple[FieldInfo | None, int]:
    """The deepest declared field along `loc`, and how many parts of `loc` name it."""
    found: tuple[FieldInfo | None, int] = (None, 0)
    current: Any = model
    for depth, part in enumerate(loc, start=1):
        if isinstance(part, int) and typing.get_origin(current) is list:
            current = _bare(typing.get_args(current)[0])  # an item of a list of models
            continue
        if not is_model(current) or not isinstance(part, str):
            break
        if part in current.model_fields:
            field = current.model_fields[part]
        elif is_model(extra := extra_model(current)):
            field = FieldInfo(annotation=extra)
        else:
            break
        found, current = (field, depth), _bare(field.annotation)
    return found


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model that holds the keys at `loc` (the top model for an empty loc)."""
    if not loc:
        return model
    field, depth = field_at(model, loc)
    inner = _bare(field.annotation) if field is not None else None
    return inner if depth == len(loc) and is_model(inner) else None


def value_at(raw: Any, loc: Loc) -> Any:
    for part in loc:
        raw = raw[part]
    return raw


def position(raw: Any, loc: Loc) -> tuple[int, ...]:
    """Where `loc` is written in `raw` (keys in file order), to report the first problem."""
    out = []
    for part in loc:
        keys = list(raw) if isinstance(raw, dict) else list(range(len(raw))) \
            if isinstance(raw, list) else []
        if part not in keys:
            out.append(len(keys))
            break
        out.append(keys.index(part))
        raw = raw[part]
    return tuple(out)


def first(errors: list[ErrorDetails], raw: Any) -> ErrorDetails:
    return min(errors, key=lambda e: position(raw, e["loc"]))


def dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def must_be(model: type[BaseModel], raw: Any, error: ErrorDetails) -> tuple[str, str]:
    """(the key, what is wrong with its value) for an error on a declared field."""
    own = (error.get("ctx") or {}).get("error")
    if isinstance(own, SpecError):
        base = dotted(error["loc"])
        return ", ".join(f"{base}.{k}" for k in own.keys) if own.keys else base, own.text
    field, depth = field_at(model, error["loc"])
    name = dotted(error["loc"][:depth] if field is not None else error["loc"])
    if field is None:
        return name, error["msg"]
    if error["type"] == "missing":
        return name, "missing"
    value = value_at(raw, error["loc"][:depth])
    if is_model(_bare(field.annotation)):
        return name, f"must be a section [{name}], not a value"
    if error["type"] in RANGE_ERRORS:
        return name, f"must be {bounds_text(*bounds(field.metadata), 'from')}, not {value!r}"
    kind = field.description.format(name=name) if field.description else describe(
        field.annotation, field.metadata)
    return name, f"must be {kind}, not {value!r}"


def bounds(metadata: list[Any]) -> tuple[float | None, float | None]:
    low = high = None
    for item in metadata:
        if isinstance(item, FieldInfo):
            low, high = bounds(item.metadata)
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def bounds_text(low: float | None, high: float | None, lead: str = "") -> str:
    if low is not None and high is not None:
        return f"{lead + ' ' if lead else ''}{_number(low)} to {_number(high)}"
    return f"{_number(low)} or more" if low is not None else f"{_number(high)} or less"


def _number(value: float | None) -> str:
    """10000000 -> '10,000,000' (not '1e+07'); 0.5 -> '0.5'."""
    number = float(value or 0)
    return f"{int(number):,}" if number.is_integer() else f"{number:g}"


def describe(tp: Any, metadata: list[Any] | tuple[Any, ...] = (), plural: bool = False) -> str:
    """A type as a settings or rule file writes it: 'a whole number from 0 to 6'."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Annotated:
        return describe(args[0], [*metadata, *args[1:]], plural)
    if origin in (typing.Union, types.UnionType):
        return describe(next(a for a in args if a is not type(None)), metadata, plural)
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if tp in (int, float):
        low, high = bounds(list(metadata))
        noun = ("whole number" if tp is int else "number") + ("s" if plural else "")
        if low is None and high is None:
            return noun if plural else f"a {noun}"
        joined = f"{noun} from {bounds_text(low, high)}" if low is not None and \
            high is not None else f"{noun}, {bounds_text(low, high)}"
        return joined if plural else f"a {joined}"
    if origin is list:
        return ("lists" if plural else "a list of " + describe(args[0], (), True)) if args \
            else ("lists" if plural else "a list")
    if origin is dict or tp is dict:
        return "tables" if plural else ("a table of " + describe(args[1], (), True)
                                        if args else "a table")
    words = {bool: ("true or false", "true or false"), str: ("text in quotes",
                                                             "words in quotes")}
    return words.get(tp, ("a value", "values"))[plural]


def _bare(tp: Any) -> Any:
    """A field's type without Annotated or an Optional around it."""
    while typing.get_origin(tp) in (Annotated, typing.Union, types.UnionType):
        args = typing.get_args(tp)
        tp = args[0] if typing.get_origin(tp) is Annotated else next(
            (a for a in args if a is not type(None)), None)
    return tp
