"""The labels of the real corpus (corpus/real_labels.jsonl), joined with its text in
../shared/corpus/real.jsonl.

A labels row names its record by `id` and the `narrative_sha256` the labels were made on;
sentences and actions are character spans into `narrative`, so no text of the corpus is
kept in the project. Every row is checked before anything is scored, and every bad row is
reported (file, row, field): a labels file with a bad row is refused whole.

Row format (corpus/README.md, "Real-text labels"):

    {"id", "narrative_sha256", "split", "family",
     "labels": {code: 0/1}, "labellers": {"A": {...}, "B": {...}},
     "adjudication": {code: {"label", "reason"}},
     "sentences": [{"start", "end", "tags", "evidence_for",
                    "labellers": {"A": [tags], "B": [tags]}}],
     "actions": [{"start", "end", "relevant", "mechanism",
                  "labellers": {"A": [r, m] | null, "B": [r, m] | null}}]}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.catalogue import catalogue_codes
from narrative_qa.config import Settings
from narrative_qa.errors import InputError, Location
from narrative_qa.measure.corpus_format import (
    LABELLERS,
    TAGS,
    CorpusErrors,
    Sentence,
    parse_corpus_fields,
)
from narrative_qa.measure.metrics import Labelled, cohen_kappa, parse_labels
from narrative_qa.reading.records import submissions_from_rows
from narrative_qa.real_corpus import LABELS_FILE, corpus_by_id, json_objects, sha256_text

CANONICAL = ("kpi_id", "kpi_name", "service", "period", "target", "actual",
             "previous_actual", "unit", "polarity", "stated_rag", "owner", "narrative",
             "previous_narrative")
PROVENANCE = ("organisation", "source_url", "source_title", "source_date", "licence")


@dataclass(frozen=True)
class ActionPair:
    """An action (a span of the narrative) paired with its record's KPI (NQ07)."""

    start: int
    end: int
    relevant: int
    mechanism: int
    raw: dict[str, list[int] | None] = field(default_factory=dict)


@dataclass(frozen=True)
class SpanLabel:
    start: int
    end: int
    tags: tuple[str, ...]
    evidence_for: tuple[str, ...]
    raw: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class RealLabels:
    """What a labels row adds to its record, beyond the checked corpus fields."""

    family: str
    spans: list[SpanLabel]
    actions: list[ActionPair]


def _bad(code: str, message: str, where: Location, name: str) -> InputError:
    return InputError(code, message, Location(where.file, where.row, name))


def read_label_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    return list(json_objects(path, "the real-text labels file was not found"))


def load_real_labelled(settings: Settings, codes: Iterable[str] | None = None,
                       labels_path: Path = LABELS_FILE,
                       corpus_path: Path | None = None) -> list[Labelled]:
    """The labelled real records, each a Labelled whose submission is built from the shared
    corpus's fields. Any bad row refuses the whole file (CorpusErrors lists each)."""
    codes = tuple(codes) if codes is not None else catalogue_codes()
    corpus = corpus_by_id(corpus_path)
    rows = read_label_rows(labels_path)
    errors: list[InputError] = []
    checked: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        where = Location(str(labels_path), number)
        try:
            record = _record_of(row, corpus, where)
            if record["id"] in seen:
                raise _bad("NQE082", f"id '{record['id']}' is also labelled in row "
                           f"{seen[record['id']]}", where, "id")
            seen[record["id"]] = number
            checked.append((number, row, record))
        except InputError as error:
            errors.append(error)
    submissions = submissions_from_rows(
        [{k: record.get(k) for k in CANONICAL} for _, _, record in checked], settings,
        file=str(labels_path), headers=list(CANONICAL))
    items = []
    for (number, row, record), sub in zip(checked, submissions, strict=True):
        where = Location(str(labels_path), number)
        sub.location = where
        try:
            items.append(_labelled(sub, row, record, codes, where))
        except InputError as error:
            errors.append(error)
    if errors:
        raise CorpusErrors(errors)
    return items


def _record_of(row: dict[str, Any], corpus: dict[str, dict[str, Any]],
               where: Location) -> dict[str, Any]:
    record_id = row.get("id")
    if not isinstance(record_id, str) or record_id not in corpus:
        raise _bad("NQE085", f"id {record_id!r} is not a record of the real corpus", where,
                   "id")
    record = corpus[record_id]
    stated = row.get("narrative_sha256")
    actual = sha256_text(record["narrative"])
    if stated != actual or record.get("narrative_sha256") != actual:
        raise _bad("NQE086", f"record {record_id}'s narrative does not have the sha256 "
                   "its labels were made on", where, "narrative_sha256")
    return record


def _labelled(sub: Any, row: dict[str, Any], record: dict[str, Any], codes: tuple[str, ...],
              where: Location) -> Labelled:
    labels = parse_labels(row.get("labels"), codes, where)
    extra = {"id": record["id"], "origin": "real", "split": row.get("split"),
             "labellers": row.get("labellers"), "adjudication": row.get("adjudication"),
             **{name: record.get(name) for name in PROVENANCE}}
    corpus = parse_corpus_fields(extra, labels, codes, where, record["narrative"],
                                 record.get("previous_narrative"))
    text = record["narrative"]
    spans = _spans(row.get("sentences"), "sentences", text, where)
    real = RealLabels(family=str(record.get("family")),
                      spans=[_span_label(entry, span, labels, codes, where, n)
                             for n, (entry, span) in enumerate(spans)],
                      actions=[_action(entry, span, where, n) for n, (entry, span)
                               in enumerate(_spans(row.get("actions"), "actions", text,
                                                   where))])
    corpus.sentences = [Sentence(text[s.start:s.end], s.tags, s.evidence_for)
                        for s in real.spans]
    sub.extra = {**sub.extra, "id": record["id"], "family": real.family}
    return Labelled(sub, labels, corpus.split, corpus, family=real.family, real=real)


def _spans(raw: Any, name: str, text: str,
           where: Location) -> list[tuple[dict[str, Any], tuple[int, int]]]:
    """Entries with usable spans: integers, inside the text, in order, not overlapping."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _bad("NQE024", f"'{name}' must be a list of spans", where, name)
    out: list[tuple[dict[str, Any], tuple[int, int]]] = []
    last_end = 0
    for n, entry in enumerate(raw):
        here = f"{name}[{n}]"
        if not isinstance(entry, dict):
            raise _bad("NQE024", "each entry must be an object with start and end", where,
                       here)
        start, end = entry.get("start"), entry.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise _bad("NQE087", "start and end must be whole numbers (character offsets)",
                       where, f"{here}.start")
        if not 0 <= start < end <= len(text):
            raise _bad("NQE087", f"span {start}-{end} is outside the narrative "
                       f"({len(text)} characters)", where, f"{here}.start")
        if start < last_end:
            raise _bad("NQE087", f"span {start}-{end} overlaps the span before it or is "
                       "out of order", where, f"{here}.start")
        last_end = end
        out.append((entry, (start, end)))
    return out


def _names(raw: Any, allowed: tuple[str, ...], where: Location, here: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise _bad("NQE024", "must be a list of names", where, here)
    unknown = [v for v in raw if v not in allowed]
    if unknown:
        raise _bad("NQE024", f"{unknown[0]!r} is not one of {', '.join(allowed)}", where,
                   here)
    return tuple(raw)


def _span_label(entry: dict[str, Any], span: tuple[int, int], labels: dict[str, int],
                codes: tuple[str, ...], where: Location, n: int) -> SpanLabel:
    here = f"sentences[{n}]"
    tags = _names(entry.get("tags", []), TAGS, where, f"{here}.tags")
    evidence = _names(entry.get("evidence_for", []), codes, where, f"{here}.evidence_for")
    for code in evidence:
        if labels.get(code) != 1:
            raise _bad("NQE080", f"the span is evidence for {code}, but {code} is not "
                       "labelled 1", where, f"{here}.evidence_for")
    raw_tags = entry.get("labellers") or {}
    if not isinstance(raw_tags, dict) or not set(raw_tags) <= set(LABELLERS):
        raise _bad("NQE024", "a span's 'labellers' maps A and B to their tags", where,
                   f"{here}.labellers")
    raw = {name: _names(tags_of, TAGS, where, f"{here}.labellers.{name}")
           for name, tags_of in raw_tags.items()}
    return SpanLabel(span[0], span[1], tags, evidence, raw)


def _bit(value: Any, where: Location, here: str) -> int:
    if isinstance(value, bool) or value not in (0, 1):
        raise _bad("NQE024", f"must be 0 or 1, not {value!r}", where, here)
    return int(value)


def _action(entry: dict[str, Any], span: tuple[int, int], where: Location,
            n: int) -> ActionPair:
    here = f"actions[{n}]"
    raw: dict[str, list[int] | None] = {}
    for name, pair in (entry.get("labellers") or {}).items():
        if name not in LABELLERS or not (pair is None or (isinstance(pair, list)
                                                          and len(pair) == 2)):
            raise _bad("NQE024", "an action's 'labellers' maps A and B to [relevant, "
                       "mechanism] or null", where, f"{here}.labellers")
        raw[name] = None if pair is None else [_bit(v, where, f"{here}.labellers.{name}")
                                               for v in pair]
    return ActionPair(span[0], span[1], _bit(entry.get("relevant"), where,
                                             f"{here}.relevant"),
                      _bit(entry.get("mechanism"), where, f"{here}.mechanism"), raw)


@dataclass
class SpanAgreement:
    """How far the two labellers agreed on sentence tags and on action pairs."""

    sentences: int
    kappa: dict[str, float | None]  # tag -> Cohen's kappa over every labelled sentence
    positives: dict[str, int]  # tag -> adjudicated sentences carrying it
    pairs: int  # action-KPI pairs both labellers rated
    pair_kappa: dict[str, float | None]  # "relevant", "mechanism"

    def as_dict(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 3)
        return {"sentences": self.sentences, "pairs": self.pairs,
                "kappa": {t: r(k) for t, k in self.kappa.items()},
                "positives": self.positives,
                "pair_kappa": {t: r(k) for t, k in self.pair_kappa.items()}}


def span_agreement(items: Iterable[Labelled]) -> SpanAgreement | None:
    """Cohen's kappa per tag between labellers A and B, sentence by sentence, and on the
    relevance and mechanism of the actions both rated; None without double-labelled spans."""
    first, second = LABELLERS
    spans = [s for i in items if i.real is not None for s in i.real.spans
             if set(s.raw) == set(LABELLERS)]
    if not spans:
        return None
    pairs = [a.raw for i in items if i.real is not None for a in i.real.actions
             if all(a.raw.get(name) is not None for name in LABELLERS)]
    return SpanAgreement(
        sentences=len(spans),
        kappa={t: cohen_kappa([int(t in s.raw[first]) for s in spans],
                              [int(t in s.raw[second]) for s in spans]) for t in TAGS},
        positives={t: sum(t in s.tags for s in spans) for t in TAGS},
        pairs=len(pairs),
        pair_kappa={what: cohen_kappa([p[first][k] for p in pairs],
                                      [p[second][k] for p in pairs])
                    for k, what in enumerate(("relevant", "mechanism"))})
