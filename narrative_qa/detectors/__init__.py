"""Detector kinds: each module of this package declares the KIND it implements (see
base.py for the protocol). A rule file names a kind; a rule file outside this package may
also name the module that implements it (``detector: {kind: ..., module: a.b}``)."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path
from types import ModuleType


@lru_cache(maxsize=1)
def builtin_kinds() -> dict[str, str]:
    """KIND -> module path, for every detector module of this package."""
    kinds = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name == "base":
            continue
        path = f"{__name__}.{info.name}"
        kind = getattr(importlib.import_module(path), "KIND", None)
        if kind:
            kinds[kind] = path
    return kinds


def detector_module(kind: str, module: str | None = None) -> ModuleType:
    """The module implementing `kind`; ImportError or LookupError when there is none."""
    if module:
        return importlib.import_module(module)
    kinds = builtin_kinds()
    if kind not in kinds:
        raise LookupError(f"unknown detector kind '{kind}' (one of {', '.join(sorted(kinds))})")
    return importlib.import_module(kinds[kind])
