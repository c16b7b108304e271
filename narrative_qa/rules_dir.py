"""Where rules/ is, and how its YAML is read: shared by the catalogue and the lexicon."""

from __future__ import annotations

from pathlib import Path

import yaml

from narrative_qa.errors import ConfigError, Location

# libyaml's safe loader when present: ten times faster than the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def rules_dir() -> Path:
    """rules/ of a source checkout, or the copy bundled into an installed wheel."""
    package = Path(__file__).parent
    for candidate in (package.parent / "rules", package / "_bundled_rules"):
        if (candidate / "language.yml").is_file():
            return candidate
    raise ConfigError("NQE011", "the rules/ folder was not found", Location(str(package)))
