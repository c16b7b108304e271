"""How a rule file (rules/NQ04-anecdotal-challenge.yml) is laid out. The catalogue reads
each file through RuleFile; what its detector's parameters may be is the detector's own
spec (params.py), checked once the detector is known."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from narrative_qa.assessment import SEVERITIES, DataFacts, Submission
from narrative_qa.specs.explain import dotted, first, model_at, must_be, suggest
from narrative_qa.specs.tags import READ_TAGS

SCOPES = ("amber-or-red", "any")
# The generic shapes a finding takes over the reading layer and the data (issue 15).
KINDS = ("tag without support nearby", "requirement within a scope", "data comparison",
         "similarity to the previous narrative", "learned pair judgement")
# What a finding may rest on besides the text: the submitted fields and the data facts.
FACTS = tuple(dict.fromkeys(
    [f.name for f in fields(Submission) if f.name not in {"extra", "present", "location",
                                                         "problems", "narrative"}]
    + [f.name for f in fields(DataFacts)]))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ExampleSpec(Strict):
    label: Literal["fail", "pass"]  # "fail": the finding must fire; "pass": it must not
    submission: dict[str, Any]
    note: str = ""


class DetectorSpec(Strict):
    kind: str = Field(min_length=1)
    module: str | None = None  # a detector outside the package: the module implementing it
    params: dict[str, Any] | None = None


class MakesSpec(Strict):
    """What makes the finding, in words a reviewer can read: its shape, the sentence
    tags of the reading layer and the data facts it rests on. The tags are the detector's
    own: tests/test_rule_makes.py checks that it reads exactly these."""

    kind: Literal[KINDS]  # type: ignore[valid-type]
    says: str = Field(min_length=1)
    tags: list[Literal[READ_TAGS]] = []  # type: ignore[valid-type]
    facts: list[Literal[FACTS]] = []  # type: ignore[valid-type]
    bespoke: str = ""  # why the finding has a module of its own, when no shared kind serves


class RuleFile(Strict):
    code: str
    slug: str
    title: str
    source: str
    severity: Literal[SEVERITIES]  # type: ignore[valid-type]
    scope: Literal[SCOPES]  # type: ignore[valid-type]
    applies: str
    docs: dict[str, str]
    detector: DetectorSpec
    messages: dict[str, str]
    suggestion: str
    good_example: str
    examples: list[ExampleSpec]
    makes: MakesSpec | None = None
    baseline: Any = None  # the keyword baseline's condition (keyword_baseline.py)


def check_rule_file(raw: Any) -> tuple[RuleFile | None, str]:
    """The rule file as the spec reads it, or None and its problem, worded: every missing
    key at once, else the first problem in the file's order."""
    try:
        return RuleFile.model_validate(raw), ""
    except ValidationError as exc:
        errors = exc.errors()
    if not isinstance(raw, dict):
        return None, "a rule file must be a mapping"
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing" and len(e["loc"]) == 1]
    if missing:
        return None, f"missing keys: {', '.join(missing)}"
    error = first(errors, raw)
    if error["type"] == "extra_forbidden":
        holder = model_at(RuleFile, error["loc"][:-1])
        known = list(holder.model_fields) if holder is not None else []
        return None, (f"{dotted(error['loc'])}: unknown key"
                      f"{suggest(str(error['loc'][-1]), known, 'keys')}")
    name, text = must_be(RuleFile, raw, error)
    return None, f"{name}: {text}"
