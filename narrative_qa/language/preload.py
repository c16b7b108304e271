"""Loading a model on another thread while this one reads the input or parses.

A cold `score` used one core while it read the file and loaded spaCy, and again while
it loaded the sentence encoder after parsing. Both loads are mostly numpy, C++ and file
reads, so a second thread runs them beside the work that does not need them yet. The
loaders take a lock (nlp.get_nlp, embeddings.get_encoder): the first caller loads, a
later one waits for that load instead of starting another. A load that fails on the
thread is left for the caller's own call, which raises the coded error as before.

A load still running when the process ends is waited for (an exit handler): a daemon
thread stopped half-way through creating ONNX Runtime's session crashes the interpreter
at exit (an abort or a segmentation fault, after every output was written), as when a
quarter's embeddings all came from the cache and the encoder loaded for nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Callable


def start(load: Callable[[], object]) -> threading.Thread:
    """Run `load` on a daemon thread (it must be idempotent and locked); returns the thread."""
    def run() -> None:
        with contextlib.suppress(Exception):  # the caller's own call raises it, reported
            load()

    thread = threading.Thread(target=run, name=f"{NAME} {load.__name__}", daemon=True)
    _started.append(thread)
    thread.start()
    return thread


NAME = "preload"
_started: list[threading.Thread] = []


def finish() -> None:
    """Wait for every load started here: called before forking, so that no thread of
    ours is half-way through a load (holding a library's lock) when the child is made,
    and at exit."""
    while _started:
        _started.pop().join()


atexit.register(finish)  # nothing to wait for unless a load was started


def running() -> int:
    """How many loads started here are still running."""
    return sum(thread.is_alive() for thread in _started)
