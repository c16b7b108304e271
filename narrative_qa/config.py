"""Settings: the bundled defaults, optionally overridden by a TOML file (--config)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from narrative_qa.errors import ConfigError, Location

DEFAULTS = Path(__file__).with_name("defaults.toml")


@dataclass(frozen=True)
class RagBands:
    amber_from: float = 2.5
    red_from: float = 5.0
    decimals: int = 2
    percent_variance: str = "relative"  # or "points"


@dataclass(frozen=True)
class Settings:
    rag: RagBands = field(default_factory=RagBands)
    max_narrative_chars: int = 50000
    min_words_off_target: int = 40
    acronyms: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    semantic: bool = True
    penalties: dict[str, int] = field(
        default_factory=lambda: {"high": 25, "medium": 10, "low": 3}
    )


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("NQE010", "settings file not found", Location(str(path))) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("NQE010", f"not valid TOML ({exc})", Location(str(path))) from exc


def load_settings(path: Path | None = None) -> Settings:
    raw = _read_toml(DEFAULTS)
    if path is not None:
        raw = _merge(raw, _read_toml(path))
    where = Location(str(path or DEFAULTS))
    try:
        rag = RagBands(
            amber_from=float(raw["rag"]["amber_from"]),
            red_from=float(raw["rag"]["red_from"]),
            decimals=int(raw["rag"]["decimals"]),
            percent_variance=str(raw["rag"]["percent_variance"]),
        )
        settings = Settings(
            rag=rag,
            max_narrative_chars=int(raw["limits"]["max_narrative_chars"]),
            min_words_off_target=int(raw["limits"]["min_words_off_target"]),
            acronyms=frozenset(a.upper() for a in raw["glossary"]["acronyms"]),
            names=frozenset(n.upper() for n in raw["glossary"]["names"]),
            semantic=bool(raw["semantic"]["enabled"]),
            penalties={
                "high": int(raw["verdict"]["penalty_high"]),
                "medium": int(raw["verdict"]["penalty_medium"]),
                "low": int(raw["verdict"]["penalty_low"]),
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            "NQE010", f"setting {exc} is missing or has the wrong type", where
        ) from exc
    if rag.percent_variance not in {"relative", "points"}:
        raise ConfigError("NQE010", "rag.percent_variance must be 'relative' or 'points'", where)
    if not 0 < rag.amber_from < rag.red_from:
        raise ConfigError("NQE010", "rag bands need 0 < amber_from < red_from", where)
    return settings
