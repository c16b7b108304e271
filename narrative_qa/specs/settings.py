"""What a settings file may hold: defaults.toml, and a council's --config over it.

Each [section] is a model; a key not declared is refused with a "did you mean". The values
themselves are in defaults.toml (the one place they are written); the models say only
what each may be. Finding codes and parameter names are checked against the catalogue
when it is applied (catalogue.configured_catalogue), since only the catalogue knows them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from narrative_qa.assessment import SEVERITIES
from narrative_qa.specs.explain import SpecError, dotted, first, model_at, must_be, suggest

PARSER_MAX_CHARS = 1_000_000  # spaCy's nlp.max_length: a longer text cannot be parsed
WORDS = 'a list of words in quotes, e.g. ["NHS", "GP"]'
Word = Annotated[str, Field(pattern=r"\S")]
Words = Annotated[list[Word], Field(description=WORDS)]
Band = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]
Penalty = Annotated[int, Field(ge=0, le=100)]
# Keys a person writes to turn a finding off in its table; findings.ignore does that.
TURNING_OFF = frozenset({"enabled", "enable", "disabled", "disable", "off", "on", "active",
                         "level"})


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Rag(Section):
    amber_from: Band
    red_from: Band
    decimals: int = Field(ge=0, le=6)
    percent_variance: Literal["relative", "points"]

    @model_validator(mode="after")
    def bands_in_order(self) -> Rag:
        if not 0 < self.amber_from < self.red_from:
            raise SpecError(f"the bands need 0 < amber_from < red_from, not "
                            f"{self.amber_from:g} and {self.red_from:g}",
                            "amber_from", "red_from")
        return self


class Limits(Section):
    max_narrative_chars: int = Field(ge=1, le=PARSER_MAX_CHARS)
    min_words_off_target: int = Field(ge=0, le=10_000)
    max_unzipped_mb: int = Field(ge=1, le=4096)
    max_rows: int = Field(ge=1, le=10_000_000)


class Glossary(Section):
    acronyms: Words
    names: Words
    localities: list[Word] | None = Field(None, description=WORDS)  # None: the catalogue's
    extend_acronyms: Words = []
    extend_names: Words = []
    extend_localities: Words = []


class Semantic(Section):
    enabled: bool


class Verdict(Section):
    penalty_high: Penalty
    penalty_medium: Penalty
    penalty_low: Penalty


class FindingTable(BaseModel):
    """[findings.NQ04]: its severity, and the rule's parameters given directly or under
    [findings.NQ04.params] (checked against the detector's when the catalogue is applied)."""

    model_config = ConfigDict(extra="allow", strict=True)
    severity: Literal[SEVERITIES] | None = None  # type: ignore[valid-type]
    params: dict[str, Any] | None = Field(None, description="a section [{name}] of parameters")

    @model_validator(mode="before")
    @classmethod
    def a_table_not_a_switch(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise SpecError("unknown setting; [findings] holds select, ignore and one "
                            "[findings.<code>] table per finding (with severity and "
                            "parameters)")
        for key in data:
            if key.lower() in TURNING_OFF:
                raise SpecError("unknown setting; to turn a finding off, list it in "
                                "findings.ignore (or leave it out of findings.select)", key)
        return data


class Findings(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    select: list[Word] | None = Field(None, description=WORDS)  # None: every finding
    ignore: Words = []
    __pydantic_extra__: dict[str, FindingTable] = Field(init=False)  # type: ignore[assignment]


class SettingsFile(Section):
    rag: Rag
    limits: Limits
    glossary: Glossary
    semantic: Semantic
    verdict: Verdict
    findings: Findings = Findings()


def setting_names() -> dict[str, str]:
    """Every setting's key -> its full name ('decimals' -> 'rag.decimals')."""
    return {key: f"{section}.{key}" for section, field in SettingsFile.model_fields.items()
            for key in field.annotation.model_fields}  # type: ignore[union-attr]


def check_settings(raw: dict[str, Any], written: dict[str, Any] | None = None
                   ) -> tuple[SettingsFile | None, str]:
    """The settings as the spec reads them, or None and the first problem, worded; the
    first in the order `written` (the person's own file) gives its keys."""
    try:
        return SettingsFile.model_validate(raw), ""
    except ValidationError as exc:
        return None, _worded(exc, raw, written if written is not None else raw)


def _worded(exc: ValidationError, raw: dict[str, Any], written: dict[str, Any]) -> str:
    error = first(exc.errors(), written)
    loc = error["loc"]
    if error["type"] != "extra_forbidden":
        name, text = must_be(SettingsFile, raw, error)
        return f"{name}: {text}"
    holder = model_at(SettingsFile, loc[:-1])
    known = list(holder.model_fields) if holder is not None else []
    if len(loc) > 1:
        return f"{dotted(loc)}: unknown setting{suggest(str(loc[-1]), known, 'settings')}"
    section = str(loc[0])
    if isinstance(error["input"], dict):
        return f"[{section}]: unknown section{suggest(section, known, 'sections')}"
    full = setting_names()  # a setting written above its [section]
    if section in full:
        owner = full[section]
        return (f"{section}: unknown setting; did you mean {owner} (under "
                f"[{owner.split('.')[0]}])?")
    return f"{section}: unknown setting{suggest(section, list(full.values()), 'settings')}"
