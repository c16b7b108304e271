"""The real corpus (issue 14): its text stays in ../shared/corpus, its labels live here.

Two kinds of test. Those on invented records (a tiny corpus written by the test into a
temporary folder) check the labels file's rules and errors, and run everywhere. Those on
the shared corpus itself skip, saying why, when ../shared is not beside the project.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrative_qa.cli import app
from narrative_qa.errors import InputError
from narrative_qa.measure.corpus_format import CorpusErrors, organisation_split
from narrative_qa.measure.evaluation import evaluate
from narrative_qa.measure.real_labels import load_real_labelled
from narrative_qa.real_corpus import (
    LABELS_FILE,
    SHARED_ENV,
    corpus_available,
    read_corpus,
    sentence_spans,
    sha256_text,
    shared_corpus_path,
)
from tests.conftest import ROOT

runner = CliRunner()
needs_corpus = pytest.mark.skipif(not corpus_available(),
                                  reason="../shared/corpus/real.jsonl is not beside the project")
CODES = [f"NQ{n:02d}" for n in range(1, 12)]

# Invented narratives (no published text): two records of two made-up bodies.
INVENTED = [
    {"id": "X1", "family": "baltimore", "organisation": "Office of Invented Measures",
     "kpi_id": "1", "kpi_name": "% of permits issued within 10 days", "period": "FY2025",
     "target": "90", "actual": "81", "previous_actual": "84", "unit": "percent",
     "polarity": "up", "narrative": "Permits slowed because two inspectors left. We will "
     "hire two inspectors by March 2026."},
    {"id": "X2", "family": "gmpp", "organisation": "Department of Examples",
     "kpi_id": "GMPP-DCA:x", "kpi_name": "Delivery Confidence Assessment - Example",
     "period": "2023", "actual": "Amber", "narrative": "Progress was good. Work is ongoing."},
]
PROVENANCE = {"source_url": "https://example.org", "source_title": "Invented",
              "source_date": "2025", "licence": "none: invented for a test",
              "origin": "real"}


def _corpus(folder: Path) -> Path:
    path = folder / "corpus" / "real.jsonl"
    path.parent.mkdir(parents=True)
    rows = [{**PROVENANCE, **r, "narrative_sha256": sha256_text(r["narrative"])}
            for r in INVENTED]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _row(record: dict, **changes) -> dict:
    spans = sentence_spans(record["narrative"])
    labels = {c: 0 for c in CODES} | {"NQ04": 1}
    row = {"id": record["id"], "narrative_sha256": sha256_text(record["narrative"]),
           "labels": labels,
           "labellers": {"A": labels, "B": {**labels, "NQ04": 0}},
           "adjudication": {"NQ04": {"label": 1, "reason": "no figure for the leavers"}},
           "sentences": [{"start": s.start, "end": s.end, "tags": ["challenge_without_figure"],
                          "evidence_for": ["NQ04"]} for s in spans],
           "actions": []}
    row.update(changes)
    return row


def _labels(folder: Path, rows: list[dict]) -> Path:
    path = folder / "real_labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def invented(tmp_path):
    return _corpus(tmp_path), tmp_path


def test_sentence_spans_cover_the_text_once_in_order():
    text = ("Demand rose by 12%. Two posts are vacant • Recruitment closes in May - Agency "
            "staff cover the gap. Is it enough? Yes.")
    spans = sentence_spans(text)
    assert [s.of(text) for s in spans] == [
        "Demand rose by 12%.", "Two posts are vacant", "• Recruitment closes in May",
        "- Agency staff cover the gap.", "Is it enough?", "Yes."]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    assert "".join(text[s.start:s.end] for s in spans).replace(" ", "") == text.replace(" ", "")


def test_a_good_labels_file_joins_its_records(invented, settings):
    corpus, folder = invented
    path = _labels(folder, [_row(INVENTED[0]), _row(INVENTED[1])])
    items = load_real_labelled(settings, CODES, path, corpus)
    assert [i.corpus.record_id for i in items] == ["X1", "X2"]
    assert [i.family for i in items] == ["baltimore", "gmpp"]
    first = items[0]
    assert first.submission.narrative == INVENTED[0]["narrative"]
    assert first.split == organisation_split("Office of Invented Measures")
    assert first.corpus.labellers["B"]["NQ04"] == 0 and first.labels["NQ04"] == 1
    assert [s.evidence_for for s in first.real.spans] == [("NQ04",), ("NQ04",)]


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"id": "NOPE"}, "NQE085", "id"),
    ({"narrative_sha256": "0" * 64}, "NQE086", "narrative_sha256"),
    ({"labels": {**{c: 0 for c in CODES}, "NQ04": 2}}, "NQE024", "labels.NQ04"),
    ({"labels": {**{c: 0 for c in CODES}, "NQ99": 1}}, "NQE024", "labels.NQ99"),
    ({"sentences": [{"start": 0, "end": 5, "tags": ["gossip"]}]}, "NQE024", "sentences[0].tags"),
    ({"sentences": [{"start": 0, "end": 9999, "tags": []}]}, "NQE087", "sentences[0].start"),
    ({"sentences": [{"start": 0, "end": 20, "tags": []}, {"start": 10, "end": 30, "tags": []}]},
     "NQE087", "sentences[1].start"),
    ({"sentences": [{"start": "0", "end": 20, "tags": []}]}, "NQE087", "sentences[0].start"),
    ({"split": "holdout"}, "NQE024", "split"),
    ({"split": "train" if organisation_split("Office of Invented Measures") != "train"
      else "test"}, "NQE084", "split"),
    ({"adjudication": {}}, "NQE080", "adjudication.NQ04"),
    ({"actions": [{"start": 0, "end": 5, "relevant": 2, "mechanism": 0}]}, "NQE024",
     "actions[0].relevant"),
])
def test_a_bad_row_is_named_by_file_row_and_field_and_refuses_the_file(
        invented, settings, change, code, field):
    corpus, folder = invented
    path = _labels(folder, [_row(INVENTED[1]), _row(INVENTED[0], **change)])
    with pytest.raises(CorpusErrors) as caught:
        load_real_labelled(settings, CODES, path, corpus)
    error = caught.value
    assert (error.code, error.location.row, error.location.column) == (code, 2, field)
    assert str(path) in error.render()


def test_every_bad_row_is_reported_not_only_the_first(invented, settings):
    corpus, folder = invented
    path = _labels(folder, [_row(INVENTED[0], id="NOPE"),
                            _row(INVENTED[1], narrative_sha256="1" * 64)])
    with pytest.raises(CorpusErrors) as caught:
        load_real_labelled(settings, CODES, path, corpus)
    assert [(e.code, e.location.row) for e in caught.value.errors] == [("NQE085", 1),
                                                                       ("NQE086", 2)]


def test_an_id_labelled_twice_is_refused(invented, settings):
    corpus, folder = invented
    path = _labels(folder, [_row(INVENTED[0]), _row(INVENTED[0])])
    with pytest.raises(CorpusErrors) as caught:
        load_real_labelled(settings, CODES, path, corpus)
    assert (caught.value.code, caught.value.location.row) == ("NQE082", 2)


def test_a_missing_corpus_is_a_coded_error_naming_where_it_was_looked_for(tmp_path, settings):
    path = _labels(tmp_path, [_row(INVENTED[0])])
    with pytest.raises(InputError) as caught:
        load_real_labelled(settings, CODES, path, tmp_path / "absent" / "real.jsonl")
    assert caught.value.code == "NQE001" and "absent" in str(caught.value.location)


def test_evaluate_reports_real_text_first_then_each_family(invented, settings):
    corpus, folder = invented
    path = _labels(folder, [_row(INVENTED[0]), _row(INVENTED[1])])
    report = evaluate([], None, settings, baselines=False, resamples=20, real=True,
                      real_labels=path, corpus=corpus)
    assert list(report.sections) == ["real", "real: baltimore", "real: gmpp"]
    assert report.sections["real"].agreement.kappa["NQ04"] is not None or True
    assert report.sections["real"].agreement.n == 2


# Scores the written corpus's dev split: seconds. The fast lane has the refusal below.
@pytest.mark.slow
def test_without_the_shared_folder_evaluate_says_so_and_scores_the_written_corpus(
        tmp_path, monkeypatch):
    monkeypatch.setenv(SHARED_ENV, str(tmp_path / "nowhere"))
    result = runner.invoke(app, ["evaluate", "--split", "dev", "--no-baselines",
                                 "--resamples", "10"])
    assert result.exit_code == 0, result.output
    assert "only the written corpus is evaluated" in result.output
    assert "written submissions, dev split" in result.output
    asked = runner.invoke(app, ["evaluate", "--real", "--split", "dev", "--no-baselines"])
    assert asked.exit_code != 0 and "NQE001" in asked.output


def test_without_the_shared_folder_asking_for_the_real_corpus_is_nqe001(tmp_path, monkeypatch):
    monkeypatch.setenv(SHARED_ENV, str(tmp_path / "nowhere"))
    asked = runner.invoke(app, ["evaluate", "--real", "--split", "dev", "--no-baselines"])
    assert asked.exit_code != 0 and "NQE001" in asked.output
    assert "the real corpus was not found" in " ".join(asked.output.split())


# --- the shared corpus itself ------------------------------------------------------------

_SPLIT = re.compile(r"(?<=[.!?])\s+")


def _corpus_texts() -> Iterator[str]:
    """Every narrative and previous narrative of the shared corpus."""
    for record in read_corpus():
        for text in (record.get("narrative"), record.get("previous_narrative")):
            yield text or ""


def _long_sentences() -> set[str]:
    found = set()
    for text in _corpus_texts():
        for sentence in _SPLIT.split(text):
            sentence = " ".join(sentence.split())
            if len(sentence) >= 60:
                found.add(sentence)
    return found


@needs_corpus
@pytest.mark.slow
def test_no_sentence_of_the_shared_corpus_is_in_the_project():
    sentences = _long_sentences()
    hits = []
    for name, text in _tracked_texts():
        flat = " ".join(text.split())
        if any(s in sentences for s in _SPLIT.split(flat)) or any(
                s in flat for s in _probe(sentences, flat)):
            hits.append(name)
    assert hits == [], f"corpus text copied into: {hits}"


_WORD = re.compile(r"[a-z0-9£%']+")
_RUN = 10  # consecutive words shared with the corpus that count as copied text


def _words(text: str) -> list[str]:
    """Lowercased words, quote marks stripped: "'on track'" and "on track" are one run."""
    return [w for w in (m.strip("'") for m in _WORD.findall(text.lower())) if w]


def _corpus_runs() -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for text in _corpus_texts():
        words = _words(text)
        runs.update(zip(*(words[i:] for i in range(_RUN)), strict=False))
    return runs


@needs_corpus
@pytest.mark.slow
def test_no_run_of_ten_words_of_the_shared_corpus_is_in_the_project():
    # The house rule forbids copying a phrase, not only a sentence: no tracked text file
    # shares ten consecutive words with a narrative or previous narrative of the corpus.
    # Words run on across lines (a comment or string wrapped over two is still one run).
    runs = _corpus_runs()
    hits = []
    for name, text in _tracked_texts():
        if name.startswith("models/") and not name.endswith(".md"):
            continue  # the models' weights and vocabularies
        words: list[tuple[str, int]] = [
            (w, number) for number, line in enumerate(text.splitlines(), 1)
            for w in _words(line)]
        plain = [w for w, _ in words]
        for i, run in enumerate(zip(*(plain[j:] for j in range(_RUN)), strict=False)):
            if run in runs:
                hits.append(f"{name}:{words[i][1]}: {' '.join(run)}")
    assert hits == [], "corpus words copied into the project:\n" + "\n".join(hits)


def _tracked_texts() -> Iterator[tuple[str, str]]:
    """Each file git tracks in the project that reads as UTF-8 text, with its name."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        try:
            yield name, (ROOT / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def _probe(sentences: set[str], flat: str) -> list[str]:
    """Corpus sentences embedded mid-line (in a string or a comment), found by their first
    40 characters before the whole sentence is compared."""
    heads = {s[:40]: s for s in sentences}
    return [heads[h] for h in heads if h in flat]


@needs_corpus
def test_the_labels_file_meets_the_issue(settings):
    items = load_real_labelled(settings)
    assert len(items) >= 900
    family = Counter(i.family for i in items)
    assert family["baltimore"] >= 300 and family["canada-drr"] >= 250 and family["gmpp"] >= 300
    assert len({i.corpus.organisation for i in items}) >= 100
    assert sum(bool(i.submission.previous_narrative) for i in items) >= 400
    assert all(i.double_labelled for i in items)
    assert sum(len(i.real.actions) for i in items) >= 600
    split = Counter(i.split for i in items)
    assert split["test"] >= len(items) / 4
    assert {(i.family, i.split) for i in items if i.split != "select"} == {
        (f, s) for f in ("baltimore", "canada-drr", "gmpp") for s in ("train", "dev", "test")}
    # the selection set: records of train and dev organisations only, stated row by row
    selected = [i for i in items if i.split == "select"]
    assert len(selected) >= 150
    assert {organisation_split(i.corpus.organisation) for i in selected} <= {"train", "dev"}
    assert all(i.real.spans for i in items)


@needs_corpus
def test_no_label_holds_nq01_outside_its_scope(settings):
    # FINDINGS.md NQ01: a KPI newly off target with no previous narrative has nothing
    # reported before to link to; tools/apply_scope.py brought the earlier rounds to it.
    from tools.apply_scope import outside_scope

    items = load_real_labelled(settings)
    outside = [i for i in items if outside_scope(i, settings.rag)]
    assert len(outside) >= 100  # the scope test bites on real records
    assert [i.corpus.record_id for i in outside if i.labels.get("NQ01")] == []


def test_the_labels_file_holds_no_text():
    if not LABELS_FILE.is_file():
        pytest.skip("no corpus/real_labels.jsonl yet")
    for line in LABELS_FILE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert "narrative" not in row and "text" not in json.dumps(row.get("sentences"))


def test_the_shared_corpus_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(SHARED_ENV, str(tmp_path))
    assert shared_corpus_path() == tmp_path / "corpus" / "real.jsonl"
    assert not corpus_available()
