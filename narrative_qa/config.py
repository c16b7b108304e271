"""Settings: the bundled defaults, optionally overridden by a TOML file (--config)."""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.errors import ConfigError, Location
from narrative_qa.specs.settings import PARSER_MAX_CHARS as PARSER_MAX_CHARS
from narrative_qa.specs.settings import Findings, check_settings

DEFAULTS = Path(__file__).with_name("defaults.toml")


# The values have one home, defaults.toml, and one spec, specs/settings.py: these classes
# carry what load_settings read, so they declare no default values of their own.
@dataclass(frozen=True)
class RagBands:
    amber_from: float
    red_from: float
    decimals: int
    percent_variance: str  # "relative" or "points"


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
    rag: RagBands
    max_narrative_chars: int
    max_unzipped_mb: int  # what an .xlsx or .docx may unpack to
    max_rows: int  # rows a file may hold
    min_words_off_target: int
    acronyms: frozenset[str]
    names: frozenset[str]
    semantic: bool
    penalties: dict[str, int]  # by severity
    findings: FindingSettings = field(default_factory=FindingSettings)
    # The council's localities: None keeps the catalogue's list; `extend_localities` adds.
    localities: tuple[str, ...] | None = None
    extend_localities: tuple[str, ...] = ()
    source: str | None = None  # the --config file, named in errors about these settings


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


def _finding_settings(spec: Findings, raw: dict) -> FindingSettings:
    return FindingSettings(
        select=None if spec.select is None else tuple(c.strip() for c in spec.select),
        ignore=tuple(c.strip() for c in spec.ignore),
        per_code={k: v for k, v in raw.items() if k not in Findings.model_fields},  # as written
    )


def _words(words: list[str], extend: list[str]) -> frozenset[str]:
    return frozenset(v.strip().upper() for v in [*words, *extend])


def load_settings(path: Path | None = None) -> Settings:
    """The bundled defaults with `path`'s settings over them, checked against the spec
    (specs/settings.py): a problem is an NQE010 naming the file and the key."""
    raw = written = _read_toml(DEFAULTS)
    if path is not None:
        written = _read_toml(path)
        raw = _merge(raw, written)
    spec, problem = check_settings(raw, written)
    if spec is None:
        raise ConfigError("NQE010", problem, Location(str(path or DEFAULTS)))
    glossary = spec.glossary
    return Settings(
        rag=RagBands(amber_from=spec.rag.amber_from, red_from=spec.rag.red_from,
                     decimals=spec.rag.decimals, percent_variance=spec.rag.percent_variance),
        max_narrative_chars=spec.limits.max_narrative_chars,
        min_words_off_target=spec.limits.min_words_off_target,
        max_unzipped_mb=spec.limits.max_unzipped_mb,
        max_rows=spec.limits.max_rows,
        acronyms=_words(glossary.acronyms, glossary.extend_acronyms),
        names=_words(glossary.names, glossary.extend_names),
        semantic=spec.semantic.enabled,
        penalties={"high": spec.verdict.penalty_high, "medium": spec.verdict.penalty_medium,
                   "low": spec.verdict.penalty_low},
        findings=_finding_settings(spec.findings, raw.get("findings", {})),
        localities=(None if glossary.localities is None
                    else tuple(v.strip() for v in glossary.localities)),
        extend_localities=tuple(v.strip() for v in glossary.extend_localities),
        source=str(path) if path is not None else None,
    )
