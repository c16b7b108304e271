"""Would a fine-tuned MiniLM read sentences better than the shipped readers? (issue 15:
"fine-tune only if it measurably beats them on dev").

The shipped readers (measure/reader_training.py) are logistic regressions over a sentence's
n-grams and its MiniLM embedding, the encoder frozen. Here the encoder's top layers are
fine-tuned on the real train split's sentence tags (a multi-label head, binary
cross-entropy), and the readers are refitted with the fine-tuned embedding in place of the
frozen one. A train sentence's embedding comes from the encoder fitted without its
organisation's fold (cross-fitting, so the readers do not learn from embeddings that have
seen their own labels); a dev sentence's from the encoder fitted on all of train. Printed:
- each tag's average precision on real dev, shipped readers beside refitted ones, and the
  fine-tuned head alone;
- each finding's precision / recall / F1 with either readers (the rules and everything
  else as shipped, the learned confidence not retrained), on real train out of fold (each
  organisation fold read by readers, and an encoder, fitted without it) and on real dev.
The selection set and the test split are never read.

    python tools/reader_finetune.py [--layers 2] [--epochs 3] [--rate 2e-4] [--every-tag]

About 40 minutes on 2 cores (six fine-tunings, four scorings). Nothing is written to
models/.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from narrative_qa.catalogue import catalogue_codes
from narrative_qa.config import Settings, load_settings
from narrative_qa.language.embeddings import model_dir, verify_model
from narrative_qa.language.readers import Readers
from narrative_qa.measure.corpus_format import TAGS
from narrative_qa.measure.metrics import Labelled, Scores, score_predictions
from narrative_qa.measure.out_of_fold import (
    FOLDS,
    codes_found,
    fold_of,
    in_fold,
    organisation_of,
)
from narrative_qa.measure.reader_training import MEANING_TAGS, Sentences, fit_readers
from narrative_qa.measure.real_labels import load_real_labelled

BATCH = 16
MAX_TOKENS = 128
SEED = 0
LOGIT_SCALE = 20.0  # unit vectors' dot products lie in [-1, 1]: the head's logits need more


@dataclass
class Tuned:
    encoder: object  # transformers BertModel
    head: object  # torch Linear, 384 -> tags


@dataclass(frozen=True)
class TunedReaders(Readers):
    """Readers that embed each sentence with a fine-tuned encoder (in this process), not
    with the batch's frozen MiniLM vectors."""

    vectors_of: Callable[[list[str]], np.ndarray] | None = None

    def read(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        assert self.vectors_of is not None
        return super().read(texts, self.vectors_of(texts) if texts else None)


def tuned_readers(readers: Readers, vectors_of: Callable[[list[str]], np.ndarray]
                  ) -> TunedReaders:
    return TunedReaders(**{f.name: getattr(readers, f.name) for f in fields(Readers)},
                        vectors_of=vectors_of)


def _pooled(encoder, tokenizer, texts: list[str]):
    import torch

    batch = tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS,
                      return_tensors="pt")
    hidden = encoder(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def fine_tune(texts: list[str], tags: np.ndarray, tokenizer, layers: int, epochs: int,
              rate: float) -> Tuned:
    """The encoder with its top `layers` (and a tag head) fitted to `tags`; the rest frozen.
    Positives weigh sqrt(negatives / positives), so rare tags are learnt at all."""
    import torch
    from transformers import AutoModel

    torch.manual_seed(SEED)
    encoder = AutoModel.from_pretrained(str(model_dir()))
    top = range(encoder.config.num_hidden_layers - layers, encoder.config.num_hidden_layers)
    for name, parameter in encoder.named_parameters():
        parameter.requires_grad = any(f"encoder.layer.{k}." in name for k in top)
    head = torch.nn.Linear(encoder.config.hidden_size, tags.shape[1])
    positives = tags.sum(0)
    weight = torch.tensor(np.sqrt(np.maximum(len(tags) - positives, 1)
                                  / np.maximum(positives, 1)), dtype=torch.float32)
    loss = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
    optimiser = torch.optim.AdamW(
        [{"params": [p for p in encoder.parameters() if p.requires_grad], "lr": rate},
         {"params": head.parameters(), "lr": 2e-3}], weight_decay=0.01)
    steps = -(-len(texts) // BATCH) * epochs
    # warm up over the first tenth, then fall linearly to zero
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps))
    target = torch.tensor(tags, dtype=torch.float32)
    order = np.random.default_rng(SEED)
    encoder.train()
    for _ in range(epochs):
        permutation = order.permutation(len(texts))
        for start in range(0, len(texts), BATCH):
            rows = [int(k) for k in permutation[start:start + BATCH]]
            vectors = _pooled(encoder, tokenizer, [texts[k] for k in rows])
            value = loss(head(vectors * LOGIT_SCALE), target[rows])
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            schedule.step()
    encoder.eval()
    return Tuned(encoder, head)


def embed(tuned: Tuned, tokenizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The texts' fine-tuned unit embeddings and the head's tag probabilities."""
    import torch

    vectors, probabilities = [], []
    with torch.no_grad():
        for start in range(0, len(texts), 64):
            v = _pooled(tuned.encoder, tokenizer, texts[start:start + 64])
            vectors.append(v.numpy())
            probabilities.append(torch.sigmoid(tuned.head(v * LOGIT_SCALE)).numpy())
    return np.concatenate(vectors).astype(float), np.concatenate(probabilities)


class Encoded:
    """A fine-tuned encoder's vectors, each text embedded once."""

    def __init__(self, tuned: Tuned, tokenizer) -> None:
        self.tuned, self.tokenizer, self.seen = tuned, tokenizer, {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if todo:
            self.seen.update(zip(todo, embed(self.tuned, self.tokenizer, todo)[0],
                                 strict=True))
        return (np.stack([self.seen[t] for t in texts]) if texts
                else np.zeros((0, self.tuned.head.in_features)))


def findings(items: list[Labelled], readers: Readers, settings: Settings
             ) -> dict[str, Scores]:
    return score_predictions(items, codes_found(items, readers, settings))


def _added(total: dict[str, Scores], more: dict[str, Scores]) -> None:
    for code, s in more.items():
        total[code].tp, total[code].fp, total[code].fn = (
            total[code].tp + s.tp, total[code].fp + s.fp, total[code].fn + s.fn)


def main() -> None:
    import torch
    from sklearn.metrics import average_precision_score
    from transformers import AutoTokenizer

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, default=2, help="top layers fine-tuned")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rate", type=float, default=2e-4, help="the layers' learning rate")
    parser.add_argument("--every-tag", action="store_true",
                        help="the refitted readers weigh the fine-tuned embedding for every "
                             "tag (default: the shipped readers' MEANING_TAGS)")
    args = parser.parse_args()
    meaning = frozenset(TAGS) if args.every_tag else MEANING_TAGS
    torch.set_num_threads(2)
    verify_model()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    settings = load_settings()
    items = load_real_labelled(settings)
    train = [i for i in items if i.split == "train"]
    dev = [i for i in items if i.split == "dev"]
    fit, choose = Sentences.of(train), Sentences.of(dev)
    folds = np.array([fold_of(organisation_of(i)) for i in train
                      for _ in Sentences.of([i]).texts])

    def tune(rows: np.ndarray) -> Encoded:
        return Encoded(fine_tune([fit.texts[k] for k in rows], fit.tags[rows], tokenizer,
                                 args.layers, args.epochs, args.rate), tokenizer)

    fold_encoders = [tune(np.flatnonzero(folds != f)) for f in range(FOLDS)]
    crossed: dict[str, np.ndarray] = {}
    for f, encoder in enumerate(fold_encoders):
        held = [fit.texts[k] for k in np.flatnonzero(folds == f)]
        crossed.update(zip(held, encoder(held), strict=True))
    everything = tune(np.arange(len(fit.texts)))
    print("fine-tuned", flush=True)

    def vectors(texts: list[str]) -> np.ndarray:  # cross-fitted where the text is train's
        everything([t for t in texts if t not in crossed])  # the rest in one batch
        return np.stack([crossed[t] if t in crossed else everything.seen[t] for t in texts])

    shipped, shipped_card = fit_readers(train, dev)
    refitted, refitted_card = fit_readers(train, dev, vectors, meaning)
    head = embed(everything.tuned, tokenizer, choose.texts)[1]
    print(f"\n{'tag':28}{'dev +':>6}  shipped  fine-tuned readers  head alone")
    for k, tag in enumerate(TAGS):
        if not shipped_card["tags"][tag].get("read"):
            continue
        alone = average_precision_score(choose.tags[:, k], head[:, k])
        print(f"{tag:28}{int(choose.tags[:, k].sum()):>6}  "
              f"{shipped_card['tags'][tag]['dev_average_precision']:>7.3f}  "
              f"{refitted_card['tags'][tag]['dev_average_precision']:>18.3f}  "
              f"{alone:>10.3f}", flush=True)

    codes = catalogue_codes()
    oof = {"shipped": {c: Scores() for c in codes}, "fine-tuned": {c: Scores() for c in codes}}
    for f, encoder in enumerate(fold_encoders):
        rest = [i for i in train if fold_of(organisation_of(i)) != f]
        base = fit_readers(rest, dev)[0]
        tuned = tuned_readers(fit_readers(rest, dev, vectors, meaning)[0], encoder)
        _added(oof["shipped"], findings(in_fold(train, f), base, settings))
        _added(oof["fine-tuned"], findings(in_fold(train, f), tuned, settings))
    on_dev = {"shipped": findings(dev, shipped, settings),
              "fine-tuned": findings(dev, tuned_readers(refitted, everything), settings)}
    print(f"\n{'finding':8}{'out of fold P / R / F1':>30}{'dev P / R / F1':>30}")
    for name in ("shipped", "fine-tuned"):
        for code in codes:
            a, b = oof[name][code], on_dev[name][code]
            print(f"{code:8}{name:>11} {a.precision:.2f} / {a.recall:.2f} / {a.f1:.2f}"
                  f"{'':>8}{b.precision:.2f} / {b.recall:.2f} / {b.f1:.2f}")
        print(f"{'macro':8}{name:>11} {np.mean([oof[name][c].f1 for c in codes]):>20.3f}"
              f"{np.mean([on_dev[name][c].f1 for c in codes]):>26.3f}", flush=True)


if __name__ == "__main__":
    main()
