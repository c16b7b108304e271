"""evaluate as a measure of generalisation (issue 9): the real-corpus record format and its
checks, the split by organisation, bootstrap intervals, the labellers' agreement as the
ceiling, real/written/both sections, and --errors kept off the test split.

Every narrative here is invented for the tests; no published text is copied."""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from narrative_qa.catalogue import load_catalogue
from narrative_qa.cli import app
from narrative_qa.errors import InputError
from narrative_qa.measure.corpus_format import CorpusErrors, organisation_split
from narrative_qa.measure.evaluation import BUNDLED_CORPUS, evaluate, tfidf_training_set
from narrative_qa.measure.metrics import cohen_kappa, load_labelled, load_labelled_files
from tests.conftest import ROOT

runner = CliRunner()
CORPUS = ROOT / "corpus" / "labelled.jsonl"
NARRATIVE = ("Performance fell to 51% against a target of 60%. Two vacancies in the team "
             "reduced capacity this quarter. We will recruit to both posts by March 2026, "
             "which should bring performance back to 60%.")
SENTENCES = [
    {"text": "Performance fell to 51% against a target of 60%.", "tags": ["reference_back"],
     "evidence_for": []},
    {"text": "Two vacancies in the team reduced capacity this quarter.",
     "tags": ["challenge_with_figure", "cause_of_change"], "evidence_for": ["NQ04"]},
    {"text": "We will recruit to both posts by March 2026, which should bring performance "
             "back to 60%.", "tags": ["action_planned", "timescale", "expected_impact"],
     "evidence_for": []},
]


def real_record(organisation: str, n: int, a: int = 1, b: int = 1, **changes) -> dict:
    """A double-labelled real record; labellers A and B give NQ04 `a` and `b`, and the
    adjudication (when they differ) sides with A."""
    record = {
        "id": f"R-{organisation}-{n}", "origin": "real", "organisation": organisation,
        "source_url": "https://example.org/qpr.pdf", "source_title": "Quarterly report",
        "source_date": "2025-11-01", "licence": "Open Government Licence v3.0",
        "kpi_id": f"K{n}", "kpi_name": "% of reports submitted on time", "period": "2025/26 Q2",
        "target": 60, "actual": 51, "previous_actual": 55, "unit": "%", "polarity": "up",
        "stated_rag": "red", "narrative": NARRATIVE,
        "labels": {"NQ04": a, "NQ09": 0},
        "labellers": {"A": {"NQ04": a, "NQ09": 0}, "B": {"NQ04": b, "NQ09": 0}},
        "adjudication": ({} if a == b else
                         {"NQ04": {"label": a, "reason": "the vacancies are counted"}}),
        "sentences": [dict(s, evidence_for=s["evidence_for"] if a else []) for s in SENTENCES],
    }
    record.update(changes)
    return record


def written_record(n: int, split: str = "test") -> dict:
    return {"id": f"W-{n}", "split": split, "kpi_id": f"W{n}", "kpi_name": "% on time",
            "target": 60, "actual": 51, "unit": "%", "polarity": "up", "stated_rag": "green",
            "narrative": "Staffing was short.", "labels": {"NQ04": 1, "NQ09": 1}}


def write(path, rows) -> str:
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return str(path)


def organisations(split: str, count: int) -> list[str]:
    names = (f"Council {n}" for n in range(1000))
    return [name for name in names if organisation_split(name) == split][:count]


# --- the split by organisation ------------------------------------------------------

def test_the_organisation_split_keeps_organisations_whole_and_is_stable(tmp_path, settings):
    rows = [real_record(f"Council {n}", k) for n in range(40) for k in range(3)]
    rows.append(real_record("  council   7 ", 99))  # the same organisation, spelt loosely
    rows += [written_record(n, split) for n, split in enumerate(("train", "dev", "test"))]
    path = write(tmp_path / "mixed.jsonl", rows)
    items = load_labelled_files([path], settings)
    by_organisation: dict[str, set[str]] = {}
    for item in items:
        if item.origin == "real":
            key = " ".join(item.corpus.organisation.split()).casefold()
            by_organisation.setdefault(key, set()).add(item.split)
    assert all(len(splits) == 1 for splits in by_organisation.values())
    assert len(by_organisation) == 40
    assert {s for splits in by_organisation.values() for s in splits} == {"train", "dev",
                                                                          "test"}
    for key, (split,) in by_organisation.items():  # sha256(organisation) mod 10, by hand
        bucket = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 10
        assert split == ("train" if bucket < 5 else "dev" if bucket < 7 else "test")
    written = [i for i in items if i.origin == "written"]
    assert [i.split for i in written] == ["train", "dev", "test"]  # their own split kept
    again = load_labelled_files([path], settings)
    assert [i.split for i in again] == [i.split for i in items]


def test_the_written_corpus_keeps_its_id_hash_split_and_is_marked_written(settings):
    items = load_labelled(CORPUS, settings)
    assert {i.origin for i in items} == {"written"}
    for item in items:
        bucket = int(hashlib.sha256(item.corpus.record_id.encode()).hexdigest(), 16) % 10
        assert item.split == ("train" if bucket < 6 else "dev" if bucket < 8 else "test")


def test_a_stated_split_that_contradicts_the_organisation_is_refused(tmp_path, settings):
    organisation = organisations("test", 1)[0]
    path = write(tmp_path / "moved.jsonl", [real_record(organisation, 1, split="train")])
    with pytest.raises(InputError) as caught:
        load_labelled_files([path], settings)
    assert caught.value.code == "NQE084"
    assert (caught.value.location.row, caught.value.location.column) == (1, "split")


def test_a_train_or_dev_record_may_be_set_aside_for_the_selection_set_but_not_a_test_one(
        tmp_path, settings):
    kept = [real_record(organisations(split, 1)[0], 1, split="select")
            for split in ("train", "dev")]
    path = write(tmp_path / "select.jsonl", kept)
    assert [i.split for i in load_labelled_files([path], settings)] == ["select", "select"]
    moved = write(tmp_path / "moved.jsonl",
                  [real_record(organisations("test", 1)[0], 1, split="select")])
    with pytest.raises(InputError) as caught:
        load_labelled_files([moved], settings)
    assert caught.value.code == "NQE084" and "test split" in caught.value.detail


def test_the_tfidf_baseline_trains_on_real_train_records_and_the_bundled_train_once(
        tmp_path, settings):
    bundled = load_labelled(BUNDLED_CORPUS, settings)
    assert len(tfidf_training_set(bundled, settings, load_catalogue())) == 256
    rows = [real_record(o, 1) for o in organisations("train", 2) + organisations("test", 1)]
    supplied = load_labelled_files([write(tmp_path / "r.jsonl", rows)], settings)
    assert len(tfidf_training_set(bundled + supplied, settings, load_catalogue())) == 258


# --- bootstrap intervals ------------------------------------------------------------

@pytest.mark.slow
def test_bootstrap_intervals_hold_the_point_estimate_and_repeat_with_the_seed(settings):
    first = evaluate(CORPUS, "dev", settings, baselines=False, resamples=300, seed=7)
    again = evaluate(CORPUS, "dev", settings, baselines=False, resamples=300, seed=7)
    other = evaluate(CORPUS, "dev", settings, baselines=False, resamples=300, seed=8)
    section = first.sections["written"]
    for code, scores in section.systems["narrative_qa"].items():
        for metric in ("precision", "recall", "f1"):
            low, high = section.intervals["narrative_qa"].per_code[code][metric]
            assert low <= getattr(scores, metric) <= high, (code, metric)
    low, high = section.intervals["narrative_qa"].macro_f1
    assert low <= first.macro_f1("narrative_qa") <= high and high - low > 0.01
    assert first.as_dict() == again.as_dict()
    assert first.as_dict()["sections"] != other.as_dict()["sections"]
    assert first.as_dict()["systems"]["narrative_qa"]["macro_f1"] == \
        other.as_dict()["systems"]["narrative_qa"]["macro_f1"]  # the point figure is fixed


# --- agreement ------------------------------------------------------------------------

def test_cohen_kappa_on_hand_computed_examples():
    # observed 3/4; chance 1/2*1/4 + 1/2*3/4 = 1/2; kappa (0.75 - 0.5) / 0.5
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == pytest.approx(1.0)
    assert cohen_kappa([1, 0], [0, 1]) == pytest.approx(-1.0)
    # observed 6/10; chance 0.5*0.5 + 0.5*0.5 = 0.5; kappa 0.2
    assert cohen_kappa([1] * 5 + [0] * 5, [1, 1, 1, 0, 0, 1, 1, 0, 0, 0]) == pytest.approx(0.2)
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) is None  # undefined, never reported as 1 or 0


def agreement_file(tmp_path) -> str:
    organisation = organisations("train", 1)[0]
    rows = [real_record(organisation, 1, 1, 1), real_record(organisation, 2, 1, 0),
            real_record(organisation, 3, 0, 0), real_record(organisation, 4, 0, 0)]
    return write(tmp_path / "agree.jsonl", rows)


def test_the_labellers_agreement_is_reported_as_the_ceiling(tmp_path, settings):
    report = evaluate(agreement_file(tmp_path), settings=settings, baselines=False,
                      resamples=200)
    agreement = report.sections["real"].agreement
    assert agreement.n == 4
    assert agreement.kappa["NQ04"] == pytest.approx(0.5) and agreement.kappa["NQ09"] is None
    assert agreement.systems["labeller A"]["NQ04"].f1 == 1.0
    assert agreement.systems["labeller B"]["NQ04"].f1 == pytest.approx(2 / 3)
    assert set(agreement.systems) == {"labeller A", "labeller B", "narrative_qa"}

    text = runner.invoke(app, ["evaluate", agreement_file(tmp_path), "--no-baselines"])
    assert text.exit_code == 0, text.output
    assert "The ceiling: two labellers' agreement on 4 double-labelled real" in text.output
    assert "kappa A-B" in text.output and "0.50" in text.output and "n/a" in text.output
    assert "Labellers' F1 against the adjudicated labels" in text.output
    data = json.loads(runner.invoke(app, ["evaluate", agreement_file(tmp_path),
                                          "--no-baselines", "--format", "json"]).output)
    ceiling = data["sections"]["real"]["agreement"]
    assert ceiling["kappa"] == {"NQ04": 0.5, "NQ09": None}
    assert ceiling["systems"]["labeller B"]["per_finding"]["NQ04"]["f1"] == 0.667
    assert "ci95" in ceiling["systems"]["labeller B"]["per_finding"]["NQ04"]


# --- real, written and both -------------------------------------------------------------

def test_real_written_and_both_are_reported_separately_in_one_run(tmp_path, settings):
    tested = organisations("test", 2)
    rows = [real_record(o, k) for o in tested for k in range(2)]
    rows += [written_record(n) for n in range(3)]
    path = write(tmp_path / "both.jsonl", rows)
    report = evaluate(path, "test", settings, resamples=100)
    assert list(report.sections) == ["real", "written", "both"]
    assert [s.n for s in report.sections.values()] == [4, 3, 7]
    assert report.sections["real"].agreement is not None
    assert report.sections["written"].agreement is None
    assert report.systems is report.sections["both"].systems
    assert set(report.sections["real"].systems) == {"narrative_qa", "claimed", "keyword",
                                                    "tfidf_lr"}
    written_nq09 = report.sections["written"].systems["narrative_qa"]["NQ09"]
    assert (written_nq09.tp, written_nq09.fn) == (3, 0)  # stated green, computed red

    result = runner.invoke(app, ["evaluate", path, "--split", "test", "--resamples", "50"])
    assert result.exit_code == 0, result.output
    for title in ("4 real submissions, test split", "3 written submissions, test split",
                  "7 real and written submissions, test split"):
        assert title in result.output
    assert "F1 keyword" in result.output and "F1 tfidf_lr" in result.output
    data = json.loads(runner.invoke(app, ["evaluate", path, "--split", "test", "--format",
                                          "json", "--resamples", "50"]).output)
    assert list(data["sections"]) == ["real", "written", "both"]
    assert data["systems"] == data["sections"]["both"]["systems"]
    row = data["sections"]["real"]["systems"]["narrative_qa"]["per_finding"]["NQ04"]
    assert row["positives"] == 4 and set(row["ci95"]) == {"precision", "recall", "f1"}


def test_several_files_are_evaluated_together(tmp_path, settings):
    tested = organisations("test", 1)[0]
    first = write(tmp_path / "one.jsonl", [real_record(tested, 1)])
    second = write(tmp_path / "two.jsonl", [written_record(1)])
    report = evaluate([first, second], "test", settings, baselines=False, resamples=50)
    assert list(report.sections) == ["real", "written", "both"] and report.n == 2


@pytest.mark.slow
def test_the_written_corpus_alone_keeps_its_point_figures(settings):
    from narrative_qa.measure.evaluation import system_predictions
    from narrative_qa.measure.metrics import score_predictions

    report = evaluate(CORPUS, "test", settings, baselines=False, resamples=50)
    assert list(report.sections) == ["written"] and report.n == 86
    items = [i for i in load_labelled(CORPUS, settings) if i.split == "test"]
    direct = score_predictions(items, system_predictions(items, settings),
                               tuple(report.systems["narrative_qa"]))
    assert {c: s.as_dict() for c, s in direct.items()} == \
        {c: s.as_dict() for c, s in report.systems["narrative_qa"].items()}


# --- --errors ---------------------------------------------------------------------------

def test_errors_are_refused_on_the_test_split_the_selection_set_and_every_split(tmp_path):
    for options in (["--split", "test"], ["--split", "select"], []):
        result = runner.invoke(app, ["evaluate", str(CORPUS), "--errors", *options])
        assert result.exit_code == 2 and "NQE083" in result.output
        assert "macro" not in result.output  # nothing was scored or printed


def test_errors_list_false_positives_and_negatives_with_quoted_and_gold_sentences(tmp_path):
    organisation = organisations("dev", 1)[0]
    record = real_record(organisation, 1, stated_rag="green",  # NQ09 found, labelled 0
                         labels={"NQ04": 1, "NQ09": 0, "NQ11": 1},
                         labellers={"A": {"NQ04": 1, "NQ09": 0, "NQ11": 1},
                                    "B": {"NQ04": 1, "NQ09": 0, "NQ11": 1}})
    record["sentences"][0]["evidence_for"] = ["NQ11"]  # NQ11 missed: no previous narrative
    path = write(tmp_path / "dev.jsonl", [record])
    data = json.loads(runner.invoke(app, ["evaluate", path, "--split", "dev", "--errors",
                                          "--no-baselines", "--format", "json",
                                          "--resamples", "20"]).output)
    found = {(e["code"], e["kind"]): e for e in data["errors"]}
    assert found[("NQ09", "false positive")]["quoted"]
    assert found[("NQ11", "false negative")]["gold"] == [SENTENCES[0]["text"]]
    text = runner.invoke(app, ["evaluate", path, "--split", "dev", "--errors",
                               "--no-baselines", "--resamples", "20"]).output
    assert "NQ11 false negative" in text and f"gold sentence: {SENTENCES[0]['text']}" in text
    assert "NQ09 false positive" in text and "narrative_qa quoted:" in text


# --- bad input -------------------------------------------------------------------------

def _without(record: dict, key: str) -> dict:
    return {k: v for k, v in record.items() if k != key}


def _bad_tag(record: dict) -> dict:
    record["sentences"][1]["tags"] = ["challange"]
    return record


def _bad_evidence(record: dict) -> dict:
    record["sentences"][1]["evidence_for"] = ["NQ99"]
    return record


def _evidence_for_a_zero(record: dict) -> dict:
    record["sentences"][1]["evidence_for"] = ["NQ09"]
    return record


def _not_in_narrative(record: dict) -> dict:
    record["sentences"][0]["text"] = "A sentence the officer never wrote."
    return record


def _no_reason(record: dict) -> dict:
    record["adjudication"]["NQ04"]["reason"] = " "
    return record


BAD = {
    "no labels": (lambda r: _without(r, "labels"), "NQE024", "labels"),
    "label not 0/1": (lambda r: {**r, "labels": {"NQ04": 2, "NQ09": 0}}, "NQE024",
                      "labels.NQ04"),
    "unknown code": (lambda r: {**r, "labels": {"NQ04": 1, "NQ99": 0}}, "NQE024",
                     "labels.NQ99"),
    "unknown code of a labeller": (
        lambda r: {**r, "labellers": {**r["labellers"], "B": {"NQ04": 1, "NQ98": 0}}},
        "NQE024", "labellers.B.NQ98"),
    "labeller misses a code": (
        lambda r: {**r, "labellers": {**r["labellers"], "B": {"NQ04": 1}}},
        "NQE080", "labellers.B.NQ09"),
    "one labeller only": (lambda r: {**r, "labellers": {"A": r["labellers"]["A"]}},
                          "NQE024", "labellers"),
    "no narrative": (lambda r: _without(r, "narrative"), "NQE020", "narrative"),
    "blank narrative": (lambda r: {**r, "narrative": "   "}, "NQE020", "narrative"),
    "no adjudication for a disagreement": (lambda r: {**r, "adjudication": {}}, "NQE080",
                                           "adjudication.NQ04"),
    "adjudication without a reason": (_no_reason, "NQE080", "adjudication.NQ04.reason"),
    "adjudication against the labels": (
        lambda r: {**r, "labels": {"NQ04": 0, "NQ09": 0}}, "NQE080", "labels.NQ04"),
    "unknown tag": (_bad_tag, "NQE024", "sentences[1].tags"),
    "unknown evidence code": (_bad_evidence, "NQE024", "sentences[1].evidence_for"),
    "evidence for a finding labelled 0": (_evidence_for_a_zero, "NQE080",
                                          "sentences[1].evidence_for"),
    "sentence not in the narrative": (_not_in_narrative, "NQE080", "sentences[0].text"),
    "real record without its source": (lambda r: _without(r, "source_url"), "NQE081",
                                       "source_url"),
    "unknown origin": (lambda r: {**r, "origin": "scraped"}, "NQE024", "origin"),
    "unknown split": (lambda r: {**_without(r, "organisation"), "origin": "written",
                                 "split": "validation"}, "NQE024", "split"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_input_is_a_coded_error_naming_file_row_and_field(tmp_path, settings, case):
    change, code, field = BAD[case]
    organisation = organisations("dev", 1)[0]
    rows = [real_record(organisation, 1), change(real_record(organisation, 2, 1, 0))]
    path = write(tmp_path / "bad.jsonl", rows)
    with pytest.raises(InputError) as caught:
        evaluate(path, settings=settings, baselines=False)
    error = caught.value
    assert (error.code, error.location.row, error.location.column) == (code, 2, field)
    assert error.location.file.endswith("bad.jsonl")
    result = runner.invoke(app, ["evaluate", path, "--no-baselines"])
    assert result.exit_code == 2 and code in result.output and "row 2" in result.output
    assert field in result.output and "macro" not in result.output  # nothing half-written


def test_every_bad_record_of_a_file_is_named_at_once(tmp_path, settings):
    organisation = organisations("dev", 1)[0]
    rows = [_without(real_record(organisation, 1), "labels"), real_record(organisation, 2),
            {**real_record(organisation, 3), "origin": "scraped"}]
    path = write(tmp_path / "two-bad.jsonl", rows)
    with pytest.raises(CorpusErrors) as caught:
        evaluate(path, settings=settings, baselines=False)
    assert [(e.code, e.location.row) for e in caught.value.errors] == [("NQE024", 1),
                                                                       ("NQE024", 3)]
    result = runner.invoke(app, ["evaluate", path])
    assert "row 1" in result.output and "row 3" in result.output


def test_a_record_id_in_two_files_is_refused(tmp_path, settings):
    organisation = organisations("dev", 1)[0]
    first = write(tmp_path / "one.jsonl", [real_record(organisation, 1)])
    second = write(tmp_path / "two.jsonl", [real_record(organisation, 1)])
    with pytest.raises(InputError) as caught:
        evaluate([first, second], settings=settings, baselines=False)
    assert caught.value.code == "NQE082" and caught.value.location.file.endswith("two.jsonl")
    assert (caught.value.location.row, caught.value.location.column) == (1, "id")


def test_an_unknown_split_name_is_a_coded_error(tmp_path):
    result = runner.invoke(app, ["evaluate", str(CORPUS), "--split", "validation"])
    assert result.exit_code == 2 and "NQE024" in result.output
    assert "--split 'validation' is not one of train, dev, test" in result.output
