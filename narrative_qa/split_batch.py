"""Scoring a batch on several processes: each parses, reads and checks its own share.

Before, a forked child only parsed and sent its Docs back (a DocBin); this process then
read them, analysed every text and ran every detector on one core. Now the submissions are
cut into chunks that shrink towards the middle (nlp.chunk_ranges); forked children take
chunks from the end and this process from the start, each taking the next chunk no other
has started (a shared cursor), so a slowed process does less. Each process parses and
analyses its own chunks and builds their contexts; then
1. each child sends, for each of its submissions, the texts its rules will compare; this
   process makes the batch's one embedding call from them, in submission order: the same
   texts in the same order (so the same batches and the same vectors) as one process;
2. it sends every child all the vectors, and each process runs the detectors on its own
   submissions;
3. each child sends back its submissions' findings and the row problems a failing detector
   added (plain data: nothing of spaCy crosses between processes).
A child that fails or dies leaves its chunks to this process, which scores them itself
(and so raises any error where one process would).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from narrative_qa.assessment import Finding, Submission
from narrative_qa.catalogue import Rule
from narrative_qa.config import Settings
from narrative_qa.detectors.base import Context, Similarity
from narrative_qa.language.nlp import chunk_ranges

Found = list[tuple[list[Finding], list[Any]]]  # per submission: findings, problems added


def find_on_processes(submissions: list[Submission], settings: Settings,
                      rules: tuple[Rule, ...], semantic: bool, processes: int,
                      alongside: Callable[[], None] | None = None) -> list[list[Finding]]:
    """Every rule's findings on each submission, as detection.find gives them in one process;
    the row problems a failing detector adds are added to `submissions`. `alongside` is
    called once the children are forked (it may start a thread)."""
    from narrative_qa.language import preload
    from narrative_qa.language.nlp import get_nlp

    get_nlp()  # loaded before forking: every child inherits it
    preload.finish()  # no thread of ours half-way through a load (holding a lock) at fork
    sys.stdout.flush()  # a child must not write what this process has buffered
    sys.stderr.flush()
    chunks = chunk_ranges(len(submissions), processes)
    share = _Share(submissions, settings, rules, chunks, semantic)
    fork = multiprocessing.get_context("fork")
    cursor = fork.Array("i", [0, len(chunks)])  # next chunk from the start; end of the rest
    children = [_Child.start(fork, share, cursor) for _ in range(processes - 1)]
    try:
        if alongside:
            alongside()
        own = {i: share.contexts(i) for i in iter(lambda: _take(cursor, True), None)}
        held: dict[int, list[list[str]]] = {}  # chunk -> texts its rules will compare
        for child in children:
            held.update(child.wanted())
        for i in set(range(len(chunks))) - own.keys() - held.keys():  # a child failed
            own[i] = share.contexts(i)
        from narrative_qa.detection import embed_texts, wanted_by_context

        wanted = {**held, **{i: wanted_by_context(c, rules, semantic) for i, c in own.items()}}
        similarity = embed_texts(list(dict.fromkeys(
            t for i in range(len(chunks)) for texts in wanted[i] for t in texts)))
        for child in children:
            child.send(similarity)
        found = {i: share.find(contexts, similarity) for i, contexts in own.items()}
        told: dict[int, Found] = {}
        for child in children:
            told.update(child.found())
        for i in set(range(len(chunks))) - found.keys() - told.keys():  # failed after 1.
            found[i] = share.find(share.contexts(i), similarity)
    finally:
        for child in children:
            child.close()
    for i, results in told.items():
        found[i] = []
        for index, (findings, problems) in zip(chunks[i], results, strict=True):
            submissions[index].problems.extend(problems)
            found[i].append(findings)
    return [findings for i in range(len(chunks)) for findings in found[i]]


def _take(cursor, front: bool) -> int | None:
    """The next chunk no process has started, from the start or the end; None when none."""
    with cursor.get_lock():
        start, end = cursor[0], cursor[1]
        if start >= end:
            return None
        if front:
            cursor[0] = start + 1
            return start
        cursor[1] = end - 1
        return end - 1


class _Share:
    """What each process does with a chunk of the batch."""

    def __init__(self, submissions: list[Submission], settings: Settings,
                 rules: tuple[Rule, ...], chunks: list[range], semantic: bool):
        self.submissions, self.settings, self.rules = submissions, settings, rules
        self.chunks, self.semantic = chunks, semantic

    def contexts(self, chunk: int) -> list[Context | None]:
        from narrative_qa.detection import contexts_for

        return contexts_for([self.submissions[i] for i in self.chunks[chunk]], self.settings)

    def find(self, contexts: list[Context | None], similarity: Similarity | None
             ) -> list[list[Finding]]:
        from narrative_qa.detection import find

        return find(contexts, self.rules, similarity, self.semantic)

    def find_and_tell(self, contexts: list[Context | None], similarity: Similarity | None
                      ) -> Found:
        """In a child: findings per submission, with the row problems the detectors added
        to the child's copy of it."""
        before = [len(c.submission.problems) if c else 0 for c in contexts]
        return [(found, c.submission.problems[n:] if c else [])
                for found, c, n in zip(self.find(contexts, similarity), contexts, before,
                                       strict=True)]


class _Child:
    """A forked process that scores chunks from the end of the batch; this process's side
    of the pipe to it. Every message is a (kind, value) pair; "failed" carries the child's
    traceback, and then this process scores what the child held."""

    def __init__(self, process, connection: Connection):
        self.process, self.connection, self.alive = process, connection, True

    @classmethod
    def start(cls, fork, share: _Share, cursor) -> _Child:
        here, there = fork.Pipe()
        process = fork.Process(target=_work, args=(there, share, cursor), daemon=True)
        process.start()
        there.close()
        return cls(process, here)

    def _receive(self, kind: str) -> Any:
        if not self.alive:
            return {}
        try:
            got, value = self.connection.recv()
        except (EOFError, OSError):
            got, value = "failed", "the child process ended without a word"
        if got == kind:
            return value
        self.alive = False
        import logging

        logging.getLogger("narrative_qa").warning(
            "scoring on a second process failed; this process scores its share: %s", value)
        return {}

    def wanted(self) -> dict[int, list[list[str]]]:
        return self._receive("wanted")

    def send(self, similarity: Similarity | None) -> None:
        if self.alive:
            try:
                self.connection.send(similarity)
            except OSError:
                self.alive = False

    def found(self) -> dict[int, Found]:
        return self._receive("found")

    def close(self) -> None:
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _work(connection: Connection, share: _Share, cursor) -> None:
    """In a forked child: score chunks from the end until none is left (see the module)."""
    try:
        from narrative_qa.detection import wanted_by_context
        from narrative_qa.language import embeddings

        embeddings.FORKED[0] = True

        held = {i: share.contexts(i) for i in iter(lambda: _take(cursor, False), None)}
        connection.send(("wanted", {i: wanted_by_context(c, share.rules, share.semantic)
                                    for i, c in held.items()}))
        similarity = connection.recv()
        connection.send(("found", {i: share.find_and_tell(c, similarity)
                                   for i, c in held.items()}))
    except BaseException:  # reported to the parent, which scores this share itself
        with contextlib.suppress(OSError):
            connection.send(("failed", traceback.format_exc(limit=-8)))
    finally:
        connection.close()
