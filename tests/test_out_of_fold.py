"""`narrative-qa evaluate --split train --out-of-fold` (issue 15): each real train record is
read by sentence readers fitted without its organisation fold, and the option is refused for
any other split. On invented records (written here, in a temporary folder): runs everywhere."""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrative_qa.cli import app
from narrative_qa.errors import InputError
from narrative_qa.language.readers import current_readers
from narrative_qa.measure import out_of_fold
from narrative_qa.measure.corpus_format import organisation_split
from narrative_qa.measure.evaluation import evaluate
from narrative_qa.measure.out_of_fold import fold_of
from narrative_qa.measure.real_labels import load_real_labelled
from narrative_qa.real_corpus import sentence_spans, sha256_text
from tests.test_real_corpus import CODES, PROVENANCE

runner = CliRunner()
TAG = "reference_back"
# A made-up word only the first train organisation writes, always in sentences tagged TAG.
ODD = "zorblat"
BACK = ["As reported last quarter, the new rota started in week {n}.",
        "Last quarter we said the audit would follow, and it has now reported on item {n}.",
        "Since the previous update the second clinic has opened on site {n}.",
        "As noted in the last report, the backlog has been cut in area {n}.",
        "Following last quarter's plan, the extra shifts began in ward {n}."]
PLAIN = ["The service covers the whole city.", "Staff work across three sites.",
         "The measure counts visits per month."]


def _organisations() -> tuple[list[str], str]:
    """Three invented train organisations in three different folds, and a dev one."""
    train: dict[int, str] = {}
    dev = None
    for n in count():
        name = f"Invented Agency {n}"
        split = organisation_split(name)
        if split == "train" and fold_of(name) not in train:
            train[fold_of(name)] = name
        elif split == "dev" and dev is None:
            dev = name
        if len(train) == 3 and dev is not None:
            return list(train.values()), dev


def _record(rid: str, organisation: str, sentences: list[str]) -> dict:
    return {**PROVENANCE, "id": rid, "family": "baltimore", "organisation": organisation,
            "kpi_id": rid, "kpi_name": "Visits completed on time", "period": "FY2025",
            "target": "90", "actual": "81", "previous_actual": "84", "unit": "percent",
            "polarity": "up", "narrative": " ".join(sentences)}


def _label(record: dict, tagged: set[int]) -> dict:
    labels = {c: 0 for c in CODES}
    spans = sentence_spans(record["narrative"])
    return {"id": record["id"], "narrative_sha256": sha256_text(record["narrative"]),
            "labels": labels, "labellers": {"A": labels, "B": labels}, "adjudication": {},
            "sentences": [{"start": s.start, "end": s.end,
                           "tags": [TAG] if k in tagged else [], "evidence_for": []}
                          for k, s in enumerate(spans)],
            "actions": []}


@pytest.fixture
def invented(tmp_path: Path) -> tuple[Path, Path, str]:
    (first, *others), dev = _organisations()
    odd = [f"The {ODD} panel met in month {n}." for n in (1, 2)]
    records = [(_record("T1", first, odd + PLAIN), {0, 1})]
    records += [(_record(f"T{k + 2}", org, [b.format(n=k) for b in BACK] + PLAIN), set(range(5)))
                for k, org in enumerate(others)]
    records.append((_record("D1", dev, BACK[:2] + PLAIN[:2]), {0, 1}))
    corpus = tmp_path / "corpus" / "real.jsonl"
    corpus.parent.mkdir()
    corpus.write_text("".join(json.dumps({**r, "narrative_sha256": sha256_text(r["narrative"])})
                              + "\n" for r, _ in records), encoding="utf-8")
    labels = tmp_path / "real_labels.jsonl"
    labels.write_text("".join(json.dumps(_label(r, t)) + "\n" for r, t in records),
                      encoding="utf-8")
    return corpus, labels, odd[0]


def test_each_train_record_is_read_by_readers_fitted_without_its_fold(
        invented, settings, monkeypatch):
    corpus, labels, odd_sentence = invented
    seen = {}
    real_assess = out_of_fold.assess_batch

    def spy(submissions, *args, **kwargs):
        for submission in submissions:
            seen[submission.kpi_id] = current_readers()
        return real_assess(submissions, *args, **kwargs)

    monkeypatch.setattr(out_of_fold, "assess_batch", spy)
    everything = load_real_labelled(settings, CODES, labels, corpus)
    train = [i for i in everything if i.split == "train"]
    found = out_of_fold.assess_out_of_fold(train, everything, settings, None)
    assert [a.submission.kpi_id for a in found] == ["T1", "T2", "T3"]
    # T1's readers never saw T1: its word is unknown to them, known to the others' readers.
    assert ODD not in seen["T1"].vocabulary
    assert ODD in seen["T2"].vocabulary and ODD in seen["T3"].vocabulary
    assert len({id(r) for r in seen.values()}) == 3
    # ...so T1's sentence reads lower as TAG than with readers fitted on all of train.
    fitted_on_all = out_of_fold.fit_readers(train, [i for i in everything if i.split == "dev"])
    k = fitted_on_all[0].tags.index(TAG)
    assert (seen["T1"].read([odd_sentence])[0, k]
            < fitted_on_all[0].read([odd_sentence])[0, k])

    report = evaluate([], "train", settings, baselines=False, resamples=1, real=True,
                      real_labels=labels, corpus=corpus, out_of_fold=True, errors=True)
    assert report.n == 3 and report.mistakes is not None


@pytest.mark.parametrize("split", ["dev", "test", "select", None])
def test_out_of_fold_is_refused_for_any_split_but_train(invented, settings, split):
    corpus, labels, _ = invented
    with pytest.raises(InputError) as caught:
        evaluate([], split, settings, baselines=False, resamples=1, real=True,
                 real_labels=labels, corpus=corpus, out_of_fold=True)
    assert caught.value.code == "NQE088"


def test_out_of_fold_without_real_train_records_is_refused(tmp_path, settings):
    written = tmp_path / "labelled.jsonl"
    written.write_text(json.dumps({"id": "W1", "split": "train", "kpi_name": "Visits",
                                   "narrative": "Visits rose.", "labels": {"NQ04": 0}}) + "\n",
                       encoding="utf-8")
    with pytest.raises(InputError) as caught:
        evaluate([written], "train", settings, baselines=False, resamples=1,
                 out_of_fold=True)
    assert caught.value.code == "NQE088"


def test_the_command_refuses_out_of_fold_on_dev_with_its_code():
    result = runner.invoke(app, ["evaluate", "--split", "dev", "--out-of-fold",
                                 "--no-baselines", "--format", "json"])
    assert result.exit_code == 2 and "NQE088" in result.output


def test_the_cards_out_of_fold_figures_survive_retraining_the_gates():
    """The hand-written block of models/CARD.md is kept when `narrative-qa train` rebuilds
    the card, as the other marked blocks are."""
    from narrative_qa.measure.learning import later_blocks, real_text_block, render_card
    from narrative_qa.resources import MODELS_DIR

    markdown = (MODELS_DIR / "CARD.md").read_text(encoding="utf-8")
    card = json.loads((MODELS_DIR / "card.json").read_text(encoding="utf-8"))
    rebuilt = render_card(card, real_text_block(markdown), later_blocks(markdown))
    block = markdown.split("<!-- out-of-fold:start -->", 1)[1].split("<!-- out-of-fold:end -->")[0]
    assert "--split train --out-of-fold" in block and block in rebuilt
