"""The labelled-corpus record format beyond `labels`: origin, provenance, two labellers'
raw labels, adjudication, sentence-level tags, and the split rule (corpus/README.md).

Every check names the file, the row and the field, so a labeller can mend a record; a
file with any bad record is refused as a whole (nothing is scored from half a corpus).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from narrative_qa.errors import InputError, Location, NarrativeQAError
from narrative_qa.specs.tags import TAGS  # noqa: F401  (re-exported: the labels' tags)

SPLITS: tuple[str, ...] = ("train", "dev", "test", "select")
# The selection set: records of train and dev organisations set aside, stated row by row,
# that nothing is fitted to and no rule was developed on; thresholds are chosen on them.
SELECT = "select"
ORIGINS: tuple[str, ...] = ("real", "written")
LABELLERS: tuple[str, ...] = ("A", "B")
# What a real record must say about where its text was published.
PROVENANCE: tuple[str, ...] = ("organisation", "source_url", "source_title", "source_date",
                               "licence")


def hash_split(key: str, train: int = 6, dev: int = 2) -> str:
    """sha256(key) mod 10: the first `train` buckets train, the next `dev` dev, the rest
    test (by default 0-5, 6-7, 8-9). A pure function of the key, so adding records never
    moves existing ones."""
    bucket = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 10
    return "train" if bucket < train else "dev" if bucket < train + dev else "test"


def organisation_key(organisation: str) -> str:
    """The organisation as split: case and spacing do not separate one organisation."""
    return " ".join(organisation.split()).casefold()


# Organisations go 0-4 train, 5-6 dev, 7-9 test: a few bodies hold many records each, and
# with 8-9 alone the labelled test split fell short of the quarter of records it must hold.
ORGANISATION_BUCKETS = {"train": 5, "dev": 2}


def organisation_split(organisation: str) -> str:
    return hash_split(organisation_key(organisation), **ORGANISATION_BUCKETS)


@dataclass(frozen=True)
class Sentence:
    text: str
    tags: tuple[str, ...] = ()
    evidence_for: tuple[str, ...] = ()


@dataclass
class CorpusFields:
    """A record's corpus fields, checked."""

    origin: str = "written"
    split: str | None = None
    record_id: str | None = None
    organisation: str | None = None
    labellers: dict[str, dict[str, int]] = field(default_factory=dict)
    adjudication: dict[str, dict[str, Any]] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    rationale: dict[str, str] = field(default_factory=dict)


class CorpusErrors(InputError):
    """Every bad record of a labelled file; the first one is the error's own code and place."""

    SHOWN = 20

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.code, first.detail, first.location)

    def render(self) -> str:
        lines = [NarrativeQAError.render(e) for e in self.errors[: self.SHOWN]]
        if len(self.errors) > self.SHOWN:
            lines.append(f"... and {len(self.errors) - self.SHOWN} more problem(s) in the "
                         "labelled file(s)")
        return "\n".join(lines)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _where(base: Location, name: str) -> Location:
    return Location(base.file, base.row, name)


def parse_corpus_fields(extra: dict[str, Any], labels: dict[str, int], codes: tuple[str, ...],
                        where: Location, narrative: str,
                        previous_narrative: str | None) -> CorpusFields:
    """Check one record's corpus fields against its adjudicated `labels`."""
    out = CorpusFields(record_id=None if extra.get("id") is None else str(extra["id"]))
    out.origin = _origin(extra.get("origin"), where)
    out.organisation = _text(extra.get("organisation"))
    if out.origin == "real":
        missing = [name for name in PROVENANCE if _text(extra.get(name)) is None]
        if missing:
            raise InputError("NQE081", f"a real record needs {', '.join(missing)}",
                             _where(where, missing[0]))
    out.split = _split(extra.get("split"), out.organisation, where)
    out.labellers = _labellers(extra.get("labellers"), labels, codes, where)
    out.adjudication = _adjudication(extra.get("adjudication"), labels, out.labellers,
                                     codes, where)
    out.sentences = _sentences(extra.get("sentences"), labels, codes, where,
                               " ".join(f"{narrative} {previous_narrative or ''}".split()))
    rationale = extra.get("rationale")
    if isinstance(rationale, dict):
        out.rationale = {str(k): str(v) for k, v in rationale.items()}
    return out


def _origin(raw: Any, where: Location) -> str:
    if raw is None:
        return "written"
    if raw not in ORIGINS:
        raise InputError("NQE024", f"origin {raw!r} is not one of {', '.join(ORIGINS)}",
                         _where(where, "origin"))
    return raw


def check_split_name(split: str | None, where: Location | None = None) -> None:
    """A split name is train, dev or test: in a record's `split` field (`where`) or in the
    --split option."""
    if split is not None and split not in SPLITS:
        what = "split" if where is not None else "--split"
        raise InputError("NQE024", f"{what} {split!r} is not one of {', '.join(SPLITS)}",
                         where)


def _split(raw: Any, organisation: str | None, where: Location) -> str | None:
    stated = None if raw is None else raw
    if stated is not None:
        check_split_name(stated if isinstance(stated, str) else repr(stated),
                         _where(where, "split"))
    if organisation is None:
        return stated
    by_organisation = organisation_split(organisation)
    if stated == SELECT and by_organisation != "test":
        return SELECT
    if stated == SELECT:
        raise InputError("NQE084", f"organisation '{organisation}' is in the test split, and "
                         "a test record is never in the selection set", _where(where, "split"))
    if stated is not None and stated != by_organisation:
        raise InputError("NQE084", f"split '{stated}' contradicts the split of organisation "
                         f"'{organisation}', which is '{by_organisation}'",
                         _where(where, "split"))
    return by_organisation


def _binary(value: Any, field_name: str, codes: tuple[str, ...], code: str,
            where: Location) -> int:
    here = _where(where, field_name)
    if code not in codes:
        raise InputError("NQE024", f"'{code}' is not a finding of the catalogue "
                         f"({', '.join(sorted(codes))})", here)
    if isinstance(value, bool) or value not in (0, 1):
        raise InputError("NQE024", f"the label must be 0 or 1, not {value!r}", here)
    return int(value)


def _labellers(raw: Any, labels: dict[str, int], codes: tuple[str, ...],
               where: Location) -> dict[str, dict[str, int]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) != set(LABELLERS):
        raise InputError("NQE024", "'labellers' must be an object with exactly the labellers "
                         f"{' and '.join(LABELLERS)}, each mapping finding codes to 0/1",
                         _where(where, "labellers"))
    out: dict[str, dict[str, int]] = {}
    for name in LABELLERS:
        given = raw[name]
        if not isinstance(given, dict):
            raise InputError("NQE024", f"labeller {name}'s labels must be an object (finding "
                             "code -> 0/1)", _where(where, f"labellers.{name}"))
        out[name] = {code: _binary(value, f"labellers.{name}.{code}", codes, code, where)
                     for code, value in given.items()}
        if set(out[name]) != set(labels):
            gap = sorted(set(labels) ^ set(out[name]))[0]
            raise InputError("NQE080", f"labeller {name} and the adjudicated labels must "
                             f"label the same findings, but they differ on {gap}",
                             _where(where, f"labellers.{name}.{gap}"))
    return out


def _adjudication(raw: Any, labels: dict[str, int], labellers: dict[str, dict[str, int]],
                  codes: tuple[str, ...], where: Location) -> dict[str, dict[str, Any]]:
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise InputError("NQE024", "'adjudication' must be an object: finding code -> "
                         "{\"label\": 0/1, \"reason\": \"...\"}", _where(where, "adjudication"))
    out: dict[str, dict[str, Any]] = {}
    for code, entry in raw.items():
        here = f"adjudication.{code}"
        if not isinstance(entry, dict):
            raise InputError("NQE024", "each adjudication must be {\"label\": 0/1, "
                             "\"reason\": \"...\"}", _where(where, here))
        label = _binary(entry.get("label"), f"{here}.label", codes, code, where)
        reason = _text(entry.get("reason"))
        if reason is None:
            raise InputError("NQE080", "an adjudication needs a one-line reason",
                             _where(where, f"{here}.reason"))
        if labels.get(code) != label:
            raise InputError("NQE080", f"the adjudicated label of {code} is {label} but "
                             f"'labels' says {labels.get(code)}", _where(where, f"labels.{code}"))
        out[code] = {"label": label, "reason": reason}
    if labellers:
        for code in labels:
            a, b = (labellers[n][code] for n in LABELLERS)
            if a != b and code not in out:
                raise InputError("NQE080", f"labellers A ({a}) and B ({b}) disagree on {code} "
                                 "and there is no adjudication for it",
                                 _where(where, f"adjudication.{code}"))
            if a == b and code not in out and labels[code] != a:
                raise InputError("NQE080", f"both labellers gave {code} {a} but 'labels' says "
                                 f"{labels[code]} with no adjudication",
                                 _where(where, f"labels.{code}"))
    return out


def _sentences(raw: Any, labels: dict[str, int], codes: tuple[str, ...], where: Location,
               narrative_text: str) -> list[Sentence]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("NQE024", "'sentences' must be a list of {\"text\", \"tags\", "
                         "\"evidence_for\"} objects", _where(where, "sentences"))
    out = []
    for n, entry in enumerate(raw):
        here = f"sentences[{n}]"
        if not isinstance(entry, dict) or _text(entry.get("text")) is None:
            raise InputError("NQE024", "each sentence needs a non-empty 'text'",
                             _where(where, f"{here}.text"))
        text = " ".join(entry["text"].split())
        if _loose(text) not in _loose(narrative_text):
            raise InputError("NQE080", "this sentence is not in the record's narrative or "
                             "previous narrative (copy it exactly)", _where(where, f"{here}.text"))
        tags = _names(entry.get("tags", []), f"{here}.tags", TAGS, where)
        evidence = _names(entry.get("evidence_for", []), f"{here}.evidence_for", codes, where)
        for code in evidence:
            if labels.get(code) != 1:
                raise InputError("NQE080", f"a sentence is evidence for {code}, but {code} is "
                                 "not labelled 1", _where(where, f"{here}.evidence_for"))
        out.append(Sentence(text, tags, evidence))
    return out


def _loose(text: str) -> str:
    """Spacing and case do not matter when a sentence is looked up in its narrative."""
    return re.sub(r"\s+", " ", text).casefold()


def _names(raw: Any, field_name: str, allowed: tuple[str, ...],
           where: Location) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise InputError("NQE024", f"'{field_name}' must be a list",
                         _where(where, field_name))
    for name in raw:
        if name not in allowed:
            raise InputError("NQE024", f"{name!r} is not one of {', '.join(allowed)}",
                             _where(where, field_name))
    return tuple(raw)
