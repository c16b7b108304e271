"""The reading layer: learned sentence readers, one probability per tag per sentence.

Each reader is a logistic regression over the sentence's TF-IDF word n-grams, trained on
the labelled real corpus's sentence spans (train split) and chosen on its dev split
(measure/reader_training.py). At run time only numpy is needed: the vocabulary, the idf weights
and the coefficients are plain arrays in models/readers.npz, checked by sha256 against
models/readers.json, so loading the readers cannot run code.

Figures are read as word classes ("<num>", "<pct>", "<money>", "<year>", "<date>"), so
a reader learns that a challenge sentence carries a figure, not which figure.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from narrative_qa.errors import ConfigError, Location
from narrative_qa.language.lexicon import any_month
from narrative_qa.resources import MODELS_DIR

READERS_FILE = "readers.npz"
READERS_CARD = "readers.json"

_TOKEN = re.compile(
    r"(?P<money>[£$€]\s?\d[\d,.]*\s?(?:[mbk]n?|million|billion)?\b)"
    r"|(?P<pct>\d[\d,.]*\s?(?:%|per ?cent\b))"
    r"|(?P<date>\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"|(?P<year>\b(?:19|20)\d{2}(?:[-/–](?:\d{2}|\d{4}))?\b)"
    r"|(?P<num>\d[\d,.]*)"
    r"|(?P<word>[a-z]+(?:['’][a-z]+)?)",
    re.IGNORECASE,
)
_CLASSES = frozenset(_TOKEN.groupindex) - {"word"}  # figure classes, by group name


def tokens(text: str) -> list[str]:
    """Lower-case words, with figures replaced by their class and months marked."""
    month = any_month()
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in _CLASSES:
            out.append(f"<{kind}>")
        else:
            word = match.group(0)  # a month is capitalised: "may" stays a verb
            out.append("<month>" if word[0].isupper() and month.fullmatch(word)
                       else word.lower())
    return out


def ngrams(text: str) -> list[str]:
    """Unigrams and bigrams of `tokens` (the analyser the readers were trained with)."""
    words = tokens(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def tfidf_row(text: str, vocabulary: dict[str, int], idf: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """A text's non-zero n-gram columns and their values (sublinear tf x idf,
    l2-normalised), as scikit-learn's TfidfVectorizer(sublinear_tf=True) computes them."""
    counts: dict[int, int] = {}
    for gram in ngrams(text):
        column = vocabulary.get(gram)
        if column is not None:
            counts[column] = counts.get(column, 0) + 1
    columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
    values = (1 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
              ) * idf[columns]
    norm = np.linalg.norm(values)
    return columns, values / norm if norm else values


@dataclass(frozen=True)
class Readers:
    """Every tag's reader; `read` gives an (n sentences x n tags) array of probabilities."""

    tags: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (tags, features)
    intercept: np.ndarray  # (tags,)
    thresholds: np.ndarray  # (tags,): chosen on dev, the probability that counts as a tag
    # Coefficients over the sentence's MiniLM embedding (tags x dimensions), beside the
    # n-grams: meaning carries a tag to wordings the train organisations never used.
    meaning: np.ndarray | None = None

    def _row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The sentence's non-zero features: columns and their l2-normalised TF-IDF."""
        return tfidf_row(text, self.vocabulary, self.idf)

    def read(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Probabilities, (n sentences x n tags); the n-gram features stay sparse.
        `vectors`: the texts' unit embeddings when the caller has them (else embedded
        here, through the embedding cache)."""
        decision = np.tile(self.intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            columns, values = self._row(text)
            if len(columns):
                decision[row] += values @ self.coef[:, columns].T
        if self.meaning is not None and texts:
            embedded = (np.asarray(vectors, dtype=float) if vectors is not None
                        else meaning_vectors(texts))
            decision += embedded @ self.meaning.T
        return 1 / (1 + np.exp(-decision))

    def tagged(self, texts: list[str]) -> list[dict[str, float]]:
        """Per sentence, the tags whose probability reaches their threshold."""
        probabilities = self.read(texts)
        return [{t: float(p[k]) for k, t in enumerate(self.tags) if p[k] >= self.thresholds[k]}
                for p in probabilities]


def meaning_vectors(texts: list[str]) -> np.ndarray:
    """The sentences' unit embeddings (through the embedding cache), beside the readers'
    l2-normalised n-grams as they were trained."""
    from narrative_qa.language.embeddings import default_embedder

    return default_embedder().embed(texts).astype(float)


def _npz(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz whose bytes depend on the arrays only (np.savez stamps the time), so
    training twice gives the same file and the same sha256."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.save(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def save_readers(readers: Readers, folder: Path, card: dict) -> None:
    terms = sorted(readers.vocabulary, key=readers.vocabulary.__getitem__)
    arrays = {"tags": np.array(readers.tags), "vocabulary": np.array(terms),
              "idf": readers.idf, "coef": readers.coef, "intercept": readers.intercept,
              "thresholds": readers.thresholds}
    if readers.meaning is not None:
        arrays["meaning"] = readers.meaning
    data = _npz(arrays)
    (folder / READERS_FILE).write_bytes(data)
    card = {**card, "sha256": hashlib.sha256(data).hexdigest()}
    (folder / READERS_CARD).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    # What is trained after the readers (the pair model, the confidence) must read with
    # these, not with those a model loaded earlier in the process.
    load_readers.cache_clear()


_IN_USE: ContextVar[Readers | None] = ContextVar("readers_in_use", default=None)


@contextmanager
def readers_in_use(readers: Readers) -> Iterator[None]:
    """Read with these readers instead of those of models/: training uses it to read each
    fold with readers that never saw it."""
    token = _IN_USE.set(readers)
    try:
        yield
    finally:
        _IN_USE.reset(token)


def current_readers() -> Readers:
    return _IN_USE.get() or load_readers()


@lru_cache(maxsize=2)
def load_readers(folder: Path = MODELS_DIR) -> Readers:
    """The readers of models/, once per process; NQE070 when missing or changed."""
    path, card_path = folder / READERS_FILE, folder / READERS_CARD
    for needed in (path, card_path):
        if not needed.is_file():
            raise ConfigError("NQE070", "the sentence readers' file is missing",
                              Location(str(needed)))
    data = path.read_bytes()
    card = json.loads(card_path.read_text(encoding="utf-8"))
    if hashlib.sha256(data).hexdigest() != card.get("sha256"):
        raise ConfigError("NQE070", "the sentence readers do not match their card's sha256",
                          Location(str(path)))
    arrays = np.load(path, allow_pickle=False)
    terms = [str(t) for t in arrays["vocabulary"]]
    return Readers(tags=tuple(str(t) for t in arrays["tags"]),
                   vocabulary={t: k for k, t in enumerate(terms)}, idf=arrays["idf"],
                   coef=arrays["coef"], intercept=arrays["intercept"],
                   thresholds=arrays["thresholds"],
                   meaning=arrays["meaning"] if "meaning" in arrays.files else None)
