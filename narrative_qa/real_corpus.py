"""The real corpus: published narrative kept in ../shared/corpus, never copied here.

The project refers to a record by its `id`, checks `narrative_sha256` before using a
label, and points at a sentence by character offsets into `narrative`. This module finds
the shared file, reads it, and cuts a narrative into the sentence spans the labels use.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrative_qa.errors import InputError, Location

PROJECT = Path(__file__).resolve().parent.parent
SHARED_ENV = "NARRATIVE_QA_SHARED"
CORPUS_NAME = "real.jsonl"
LABELS_FILE = PROJECT / "corpus" / "real_labels.jsonl"
FAMILIES: tuple[str, ...] = ("baltimore", "canada-drr", "gmpp")

# A sentence ends at . ! ? (then spaces and a capital, digit, quote or bracket), or just
# before a list marker. Published text had its line breaks mended into spaces, so bullets
# and dashes are what is left of its lists.
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(\[]?[A-Z0-9£$•])"
    r"|\s+(?=[•●▪◦·]\s)"
    r"|\s+(?=-\s[A-Z])"
)


def shared_corpus_path() -> Path:
    """../shared/corpus/real.jsonl beside the checkout, or under $NARRATIVE_QA_SHARED."""
    base = os.environ.get(SHARED_ENV)
    root = Path(base) if base else PROJECT.parent / "shared"
    return root / "corpus" / CORPUS_NAME


def corpus_available() -> bool:
    return shared_corpus_path().is_file()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start:self.end]


def sentence_spans(text: str) -> list[Span]:
    """Character spans of the sentences of `text`, without surrounding spaces. Every
    non-space character belongs to exactly one span, and spans never overlap."""
    spans, start = [], 0
    for cut in _BOUNDARY.finditer(text):
        spans.append(_trimmed(text, start, cut.start()))
        start = cut.end()
    spans.append(_trimmed(text, start, len(text)))
    return [s for s in spans if s.end > s.start]


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def json_objects(path: Path, missing: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row, object) for each line of a JSONL file: a missing file is NQE001 with
    `missing` as its message, a line that is not a JSON object NQE021 naming its row."""
    if not path.is_file():
        raise InputError("NQE001", missing, Location(str(path)))
    with path.open(encoding="utf-8") as handle:
        for row, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError("NQE021", f"not JSON: {error.msg}",
                                 Location(str(path), row)) from None
            if not isinstance(value, dict):
                raise InputError("NQE021", "each line must be a JSON object",
                                 Location(str(path), row))
            yield row, value


def read_corpus(path: Path | None = None) -> Iterator[dict[str, Any]]:
    """Every record of the shared corpus, in file order."""
    path = path or shared_corpus_path()
    missing = ("the real corpus was not found: put the shared folder beside the project or "
               f"set {SHARED_ENV}")
    return (record for _, record in json_objects(path, missing))


def corpus_by_id(path: Path | None = None) -> dict[str, dict[str, Any]]:
    return {str(r["id"]): r for r in read_corpus(path)}
