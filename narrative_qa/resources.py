"""Where the runtime finds rules/ and models/: one place for a checkout and an installed wheel.

In a source checkout (and an editable install) both folders sit beside the package. A wheel
carries copies inside the package, as ``_bundled_rules`` and ``_bundled_models``
(pyproject.toml force-includes them), because nothing outside the package is installed.
A missing folder is a coded error naming the place looked in, never a silent default.
"""

from __future__ import annotations

from pathlib import Path

from narrative_qa.errors import ConfigError, Location

PACKAGE = Path(__file__).resolve().parent
# What the runtime reads from each folder; pyproject.toml bundles exactly these models files
# (the scikit-learn pipelines in models/gates.joblib are a pickle kept for audit, not shipped).
RULES_MARKER = "language.yml"
MODELS_FILES = ("card.json", "gates.npz", "readers.json", "readers.npz", "confidence.json",
                "pairs.json", "pairs.npz")


def place(name: str, package: Path = PACKAGE) -> Path:
    """Where folder `name` ("rules" or "models") belongs: the wheel's bundled copy when there
    is one or the package is not in a checkout, the checkout's folder otherwise."""
    bundled = package / f"_bundled_{name}"
    in_checkout = (package.parent / "pyproject.toml").is_file()
    return bundled if bundled.is_dir() or not in_checkout else package.parent / name


def rules_dir(package: Path = PACKAGE) -> Path:
    """rules/ of a source checkout, or the copy bundled into an installed wheel."""
    folder = place("rules", package)
    if not (folder / RULES_MARKER).is_file():
        raise ConfigError("NQE011", f"the rules folder was not found (no {RULES_MARKER})",
                          Location(str(folder)))
    return folder


def models_file(directory: Path, name: str) -> Path:
    """A file of models/ that the runtime needs; NQE070 naming it when it is missing."""
    path = directory / name
    if not path.is_file():
        raise ConfigError("NQE070", "the learned gates' file is missing, so the gates and "
                          "low-confidence marks cannot be applied", Location(str(path)))
    return path


MODELS_DIR = place("models")
