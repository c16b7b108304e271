"""Settings: the bundled defaults, optionally overridden by a TOML file (--config)."""

from __future__ import annotations

import codecs
import difflib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.assessment import SEVERITY_ORDER
from narrative_qa.errors import ConfigError, Location

DEFAULTS = Path(__file__).with_name("defaults.toml")
PARSER_MAX_CHARS = 1_000_000  # spaCy's nlp.max_length: a longer text cannot be parsed


@dataclass(frozen=True)
class RagBands:
    amber_from: float = 2.5
    red_from: float = 5.0
    decimals: int = 2
    percent_variance: str = "relative"  # or "points"


@dataclass(frozen=True)
class FindingSettings:
    """The [findings] section: which findings run, and each one's severity and parameters.
    Codes and parameter names are checked against the catalogue when it is applied
    (catalogue.effective_catalogue), since only the catalogue knows them."""

    select: tuple[str, ...] | None = None  # None: every finding of the catalogue
    ignore: tuple[str, ...] = ()
    per_code: dict[str, dict[str, Any]] = field(default_factory=dict)  # as written

    @property
    def empty(self) -> bool:
        return self.select is None and not self.ignore and not self.per_code


@dataclass(frozen=True)
class Settings:
    rag: RagBands = field(default_factory=RagBands)
    max_narrative_chars: int = 50000
    max_unzipped_mb: int = 200  # what an .xlsx or .docx may unpack to
    max_rows: int = 100_000  # rows a file may hold
    min_words_off_target: int = 40
    acronyms: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    semantic: bool = True
    penalties: dict[str, int] = field(
        default_factory=lambda: {"high": 25, "medium": 10, "low": 3}
    )
    findings: FindingSettings = field(default_factory=FindingSettings)
    # The council's localities: None keeps the catalogue's list; `extend_localities` adds.
    localities: tuple[str, ...] | None = None
    extend_localities: tuple[str, ...] = ()
    source: str | None = None  # the --config file, named in errors about these settings


@dataclass(frozen=True)
class _Spec:
    """What one setting may hold: its type and, for numbers, the range."""

    kind: type
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()


SCHEMA: dict[str, dict[str, _Spec]] = {
    "rag": {"amber_from": _Spec(float, 0, 1000), "red_from": _Spec(float, 0, 1000),
            "decimals": _Spec(int, 0, 6),
            "percent_variance": _Spec(str, choices=("relative", "points"))},
    "limits": {"max_narrative_chars": _Spec(int, 1, PARSER_MAX_CHARS),
               "min_words_off_target": _Spec(int, 0, 10_000),
               "max_unzipped_mb": _Spec(int, 1, 4096), "max_rows": _Spec(int, 1, 10_000_000)},
    "glossary": {"acronyms": _Spec(list), "names": _Spec(list), "localities": _Spec(list),
                 "extend_acronyms": _Spec(list), "extend_names": _Spec(list),
                 "extend_localities": _Spec(list)},
    "findings": {"select": _Spec(list), "ignore": _Spec(list)},
    "semantic": {"enabled": _Spec(bool)},
    "verdict": {"penalty_high": _Spec(int, 0, 100), "penalty_medium": _Spec(int, 0, 100),
                "penalty_low": _Spec(int, 0, 100)},
}
_KIND_NAMES = {float: "a number", int: "a whole number", str: "text in quotes",
               bool: "true or false", list: 'a list of words in quotes, e.g. ["NHS", "GP"]'}


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _decode(data: bytes, path: Path) -> str:
    """TOML is UTF-8; a file saved as UTF-16 (Notepad's 'Unicode') is read by its BOM."""
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:  # UTF-16 without its byte-order mark
        raise ConfigError("NQE010", "the settings file is not UTF-8 text (it looks like "
                          "UTF-16); save it as UTF-8", Location(str(path)))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ConfigError("NQE010", f"the settings file is not UTF-8 text (byte {exc.start + 1}"
                          " cannot be read); save it as UTF-8", Location(str(path))) from None


def _read_toml(path: Path) -> dict:
    try:
        text = _decode(path.read_bytes(), path)
        return tomllib.loads(text)
    except FileNotFoundError as exc:
        raise ConfigError("NQE010", "settings file not found", Location(str(path))) from exc
    except IsADirectoryError as exc:
        raise ConfigError("NQE010", "this is a folder, not a settings file",
                          Location(str(path))) from exc
    except OSError as exc:
        raise ConfigError("NQE010", f"settings file cannot be read ({exc.strerror})",
                          Location(str(path))) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("NQE010", f"not valid TOML ({exc})", Location(str(path))) from exc


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else f"; the settings are: {', '.join(known)}"


def _check_value(name: str, value: object, spec: _Spec) -> str | None:
    """What is wrong with one value, or None. A string is not a list; bool is not a number."""
    if spec.kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(value)  # type: ignore[arg-type]
    elif spec.kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif spec.kind is list:
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    else:
        ok = isinstance(value, spec.kind)
    if not ok:
        return f"{name}: must be {_KIND_NAMES[spec.kind]}, not {value!r}"
    if spec.choices and value not in spec.choices:
        return f"{name}: must be one of {', '.join(spec.choices)}, not {value!r}"
    if spec.low is not None and spec.high is not None and not (
            spec.low <= value <= spec.high):  # type: ignore[operator]
        return f"{name}: must be from {spec.low:g} to {spec.high:g}, not {value!r}"
    return None


def validate(raw: dict, where: Location) -> None:
    """Every section and key known, every value of the right type and range (NQE010)."""
    for section, table in raw.items():
        if section not in SCHEMA:
            everywhere = {f"{s}.{k}": k for s in SCHEMA for k in SCHEMA[s]}
            if not isinstance(table, dict):  # a setting written outside its [section]
                owner = [full for full, key in everywhere.items() if key == section]
                hint = (f"; did you mean {owner[0]} (under [{owner[0].split('.')[0]}])?"
                        if owner else _suggest(section, list(everywhere)))
                raise ConfigError("NQE010", f"{section}: unknown setting{hint}", where)
            raise ConfigError("NQE010", f"[{section}]: unknown section"
                              f"{_suggest(section, list(SCHEMA))}", where)
        if not isinstance(table, dict):
            raise ConfigError("NQE010", f"{section}: must be a section [{section}], not a "
                              "value", where)
        for key, value in table.items():
            name = f"{section}.{key}"
            if section == "findings" and key not in SCHEMA[section]:
                _validate_finding_table(name, value, where)
                continue
            if key not in SCHEMA[section]:
                raise ConfigError("NQE010", f"{name}: unknown setting"
                                  f"{_suggest(key, list(SCHEMA[section]))}", where)
            problem = _check_value(name, value, SCHEMA[section][key])
            if problem:
                raise ConfigError("NQE010", problem, where)


# What a [findings.NQ04] table holds besides the rule's parameters (given directly or under
# [findings.NQ04.params]); the parameter names are checked against the catalogue.
FINDING_KEYS: dict[str, _Spec] = {"severity": _Spec(str, choices=tuple(SEVERITY_ORDER))}
_TURNING_OFF = {"enabled", "enable", "disabled", "disable", "off", "on", "active", "level"}


def _validate_finding_table(name: str, table: object, where: Location) -> None:
    """[findings.NQ04]: a table with a known severity and a params table, if given."""
    if not isinstance(table, dict):
        raise ConfigError("NQE010", f"{name}: unknown setting; [findings] holds select, "
                          "ignore and one [findings.<code>] table per finding (with "
                          "severity and parameters)", where)
    for key, value in table.items():
        if key.lower() in _TURNING_OFF:
            raise ConfigError("NQE010", f"{name}.{key}: unknown setting; to turn a finding "
                              "off, list it in findings.ignore (or leave it out of "
                              "findings.select)", where)
        if key in FINDING_KEYS:
            problem = _check_value(f"{name}.{key}", value, FINDING_KEYS[key])
            if problem:
                raise ConfigError("NQE010", problem, where)
        elif key == "params" and not isinstance(value, dict):
            raise ConfigError("NQE010", f"{name}.params: must be a section "
                              f"[{name}.params] of parameters, not {value!r}", where)


def _finding_settings(raw: dict) -> FindingSettings:
    select = raw.get("select")
    per_code = {k: v for k, v in raw.items() if k not in SCHEMA["findings"]}
    return FindingSettings(
        select=None if select is None else tuple(c.strip() for c in select),
        ignore=tuple(c.strip() for c in raw.get("ignore", ())),
        per_code=per_code,
    )


def _words(glossary: dict, key: str) -> frozenset[str]:
    values = [*glossary[key], *glossary.get(f"extend_{key}", ())]
    return frozenset(v.strip().upper() for v in values)


def load_settings(path: Path | None = None) -> Settings:
    raw = _read_toml(DEFAULTS)
    if path is not None:
        override = _read_toml(path)
        validate(override, Location(str(path)))
        raw = _merge(raw, override)
    where = Location(str(path or DEFAULTS))
    validate(raw, where)
    try:
        rag = RagBands(
            amber_from=float(raw["rag"]["amber_from"]),
            red_from=float(raw["rag"]["red_from"]),
            decimals=raw["rag"]["decimals"],
            percent_variance=raw["rag"]["percent_variance"],
        )
        settings = Settings(
            rag=rag,
            max_narrative_chars=raw["limits"]["max_narrative_chars"],
            min_words_off_target=raw["limits"]["min_words_off_target"],
            max_unzipped_mb=raw["limits"]["max_unzipped_mb"],
            max_rows=raw["limits"]["max_rows"],
            acronyms=_words(raw["glossary"], "acronyms"),
            names=_words(raw["glossary"], "names"),
            semantic=raw["semantic"]["enabled"],
            penalties={
                "high": raw["verdict"]["penalty_high"],
                "medium": raw["verdict"]["penalty_medium"],
                "low": raw["verdict"]["penalty_low"],
            },
            findings=_finding_settings(raw.get("findings", {})),
            localities=(None if "localities" not in raw["glossary"]
                        else tuple(v.strip() for v in raw["glossary"]["localities"])),
            extend_localities=tuple(v.strip() for v in
                                    raw["glossary"].get("extend_localities", ())),
            source=str(path) if path is not None else None,
        )
    except KeyError as exc:  # only if the bundled defaults.toml lost a setting
        raise ConfigError("NQE010", f"setting {exc} is missing", where) from exc
    if not 0 < rag.amber_from < rag.red_from:
        raise ConfigError("NQE010", "rag.amber_from, rag.red_from: the bands need "
                          f"0 < amber_from < red_from, not {rag.amber_from:g} and "
                          f"{rag.red_from:g}", where)
    return settings
