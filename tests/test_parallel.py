"""Parsing on both cores gives the same results as one (issue 8, item 10a); models
loaded on a second thread while the input is read and parsed (issue 17) change nothing."""

from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from narrative_qa.config import load_settings
from narrative_qa.engine import assess_batch
from narrative_qa.errors import ConfigError
from narrative_qa.language import nlp
from narrative_qa.language.nlp import PARALLEL_MIN_TEXTS, PROCESSES_VARIABLE, processes_for
from narrative_qa.previous import join_previous
from narrative_qa.reading.records import read_submissions

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "narrative_qa" / "data" / "sample"


def _quarter_above_threshold():
    """The sample quarter, copied until it has more distinct texts than the threshold."""
    settings = load_settings()
    current, _ = read_submissions(SAMPLE / "qpr-2025-26-Q2.xlsx", settings)
    previous, _ = read_submissions(SAMPLE / "qpr-2025-26-Q1.xlsx", settings)
    join_previous(current, previous)
    copies, texts, i = [], set(), 0
    while len(texts) < PARALLEL_MIN_TEXTS:
        base = current[i % len(current)]
        tag = f" Reference {i}."  # a distinct sentence per copy: every text is parsed
        copy = replace(base, kpi_id=f"{base.kpi_id}-{i}", narrative=base.narrative + tag,
                       previous_narrative=(base.previous_narrative + tag
                                           if base.previous_narrative and i % 3 else None),
                       problems=list(base.problems))
        copies.append(copy)
        texts.update(t for t in (copy.narrative, copy.previous_narrative) if t)
        i += 1
    return copies, settings


@pytest.mark.skipif("fork" not in nlp.multiprocessing.get_all_start_methods(),
                    reason="parsing in child processes needs fork")
@pytest.mark.slow
def test_two_processes_score_a_batch_exactly_as_one():
    submissions, settings = _quarter_above_threshold()
    texts = {t for s in submissions for t in (s.narrative, s.previous_narrative) if t}
    assert len(texts) >= PARALLEL_MIN_TEXTS
    one = assess_batch([replace(s, problems=list(s.problems)) for s in submissions],
                       settings, processes=1)
    two = assess_batch([replace(s, problems=list(s.problems)) for s in submissions],
                       settings, processes=2)
    assert [a.to_record() for a in two] == [a.to_record() for a in one]
    assert any(a.findings for a in one)


def test_automatic_uses_both_cores_only_above_the_threshold(monkeypatch):
    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(nlp.multiprocessing, "get_all_start_methods", lambda: ["fork"])
    assert processes_for(PARALLEL_MIN_TEXTS - 1) == 1
    assert processes_for(PARALLEL_MIN_TEXTS) == 2
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 1)
    assert processes_for(10 * PARALLEL_MIN_TEXTS) == 1
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 8)
    assert processes_for(10 * PARALLEL_MIN_TEXTS) == 2


def test_the_served_app_scores_on_one_process_unless_told(monkeypatch):
    """The web app's workers score uploads on one process: a child forked from a server
    could copy a lock another of its threads holds. A command-line run is unaffected, and
    an explicit NARRATIVE_QA_PROCESSES wins."""
    from narrative_qa.web import app as web_app

    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(nlp.multiprocessing, "get_all_start_methods", lambda: ["fork"])
    monkeypatch.setattr(web_app, "create_app", lambda *args: None)
    monkeypatch.setenv(PROCESSES_VARIABLE, "")  # so that the environment is restored after
    monkeypatch.delenv(PROCESSES_VARIABLE)
    assert processes_for(PARALLEL_MIN_TEXTS) == 2
    web_app.app_from_environment()
    assert processes_for(PARALLEL_MIN_TEXTS) == 1
    monkeypatch.setenv(PROCESSES_VARIABLE, "2")
    web_app.app_from_environment()
    assert processes_for(PARALLEL_MIN_TEXTS) == 2


def test_the_number_of_processes_is_a_parameter_or_the_environment(monkeypatch):
    monkeypatch.setattr(nlp.multiprocessing, "get_all_start_methods", lambda: ["fork"])
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 2)
    monkeypatch.setenv(PROCESSES_VARIABLE, "1")
    assert processes_for(10 * PARALLEL_MIN_TEXTS) == 1  # 1 forces one process
    assert processes_for(10 * PARALLEL_MIN_TEXTS, processes=2) == 2  # the parameter wins
    monkeypatch.setenv(PROCESSES_VARIABLE, "2")
    assert processes_for(5) == 2  # given explicitly: no threshold
    assert processes_for(1) == 1  # never more processes than texts
    monkeypatch.setenv(PROCESSES_VARIABLE, "auto")
    assert processes_for(5) == 1
    monkeypatch.setattr(nlp.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setenv(PROCESSES_VARIABLE, "2")
    assert processes_for(10 * PARALLEL_MIN_TEXTS) == 1  # children could not inherit the model


@pytest.mark.parametrize("value", ["two", "1.5"])
def test_a_bad_environment_value_is_a_configuration_error(monkeypatch, value):
    monkeypatch.setenv(PROCESSES_VARIABLE, value)
    with pytest.raises(ConfigError, match=f"{PROCESSES_VARIABLE} must be a whole number"):
        processes_for(10)
    with pytest.raises(ConfigError, match="1 or more"):
        processes_for(10, processes=0)


def test_parsing_in_chunks_keeps_the_order():
    texts = [f"Performance rose to {i}% in Q2. We will recruit {i} staff." for i in range(7)]
    one = [d.to_json() for d in nlp.parse(texts, processes=1)]
    three = [d.to_json() for d in nlp.parse(texts, processes=3)]
    assert three == one


needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="parsing in child processes needs fork")


@needs_fork
def test_what_runs_alongside_the_parse_starts_after_the_children_are_forked():
    """A thread started before a fork would leave its locks held in the child."""
    seen = []
    texts = [f"We will recruit {i} staff by March 2026." for i in range(6)]
    docs = nlp.parse(texts, processes=2,
                     alongside=lambda: seen.append(len(multiprocessing.active_children())))
    assert seen and seen[0] >= 1
    assert [d.text for d in docs] == texts
    seen.clear()
    nlp.parse(texts[:1], processes=1, alongside=lambda: seen.append("called"))
    assert seen == ["called"]  # one process: called before parsing


def test_a_model_loaded_on_another_thread_is_loaded_once_and_its_error_left_to_the_caller():
    from narrative_qa.language import preload

    calls, lock = [], threading.Lock()

    def load():
        with lock:
            calls.append(1)
            raise RuntimeError("no model")

    preload.start(load).join()
    assert calls == [1]  # the thread ran it and swallowed the error ...
    with pytest.raises(RuntimeError, match="no model"):
        load()  # ... which the caller's own call raises where it is reported
    threads = [preload.start(nlp.get_nlp) for _ in range(3)]
    preload.finish()  # what nlp.parse does before forking
    assert not any(t.is_alive() for t in threads)
    assert nlp.nlp_loaded() and nlp.get_nlp() is nlp.get_nlp()


def test_the_encoder_is_loaded_alongside_only_when_something_will_be_embedded():
    from narrative_qa.catalogue import effective_catalogue
    from narrative_qa.engine import _will_embed

    settings = load_settings()
    current, _ = read_submissions(SAMPLE / "qpr-2025-26-Q2.xlsx", settings)
    rules = tuple(effective_catalogue(settings))
    assert _will_embed(current, rules)  # the reading layer weighs each sentence's meaning
    unread = tuple(r for r in rules if r.code in {"NQ10", "NQ11"})
    assert not _will_embed(current, unread)  # no previous narrative: nothing compared
    assert _will_embed(current, tuple(r for r in rules if r.code in {"NQ04", "NQ09"}))
    previous, _ = read_submissions(SAMPLE / "qpr-2025-26-Q1.xlsx", settings)
    join_previous(current, previous)
    assert _will_embed(current, unread)


# Two new processes, each loading spaCy and the encoder: about 12 s of CPU. In the fast
# lane, test_parsing_in_chunks_keeps_the_order and the two tests above it hold the parse on
# several processes to one process's, in this process.
@pytest.mark.slow
@needs_fork
def test_a_cold_score_on_two_processes_writes_what_one_process_writes(tmp_path):
    """New processes with an empty embedding cache (spaCy loading while the files are
    read, the encoder while the texts are parsed): the same bytes as one process."""
    from narrative_qa.language import minilm_onnx
    from narrative_qa.language.embeddings import get_encoder, runtime_model_path

    get_encoder()  # the export exists, as after `make install`
    outputs = []
    for processes in ("1", "2"):
        cache = tmp_path / f"cache-{processes}"
        cache.mkdir()
        for path in (runtime_model_path(), minilm_onnx.record_path(runtime_model_path())):
            shutil.copy(path, cache / path.name)
        out = tmp_path / f"out-{processes}.jsonl"
        script = ("import sys\nfrom narrative_qa.cli import app\ntry:\n    app(sys.argv[1:])\n"
                  "except SystemExit:\n    pass\n")
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NARRATIVE_QA_CACHE": str(cache),
               PROCESSES_VARIABLE: processes}
        done = subprocess.run([sys.executable, "-c", script, "score",
                               str(SAMPLE / "qpr-2025-26-Q2.xlsx"), "--previous",
                               str(SAMPLE / "qpr-2025-26-Q1.xlsx"), "--out", str(out),
                               "--quiet"], capture_output=True, text=True, cwd=ROOT, env=env,
                              timeout=600)
        assert out.exists(), done.stderr[-2000:]
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"NQ01"' in outputs[0]  # compared with last quarter by embedding


def _record_in_child(record: Path):
    """nlp._parse_to_bytes, writing how many texts each call parsed to `record`."""
    parse_to_bytes = nlp._parse_to_bytes

    def recording(texts, batch_size):
        with record.open("a") as out:
            out.write(f"{len(texts)}\n")
        return parse_to_bytes(texts, batch_size)

    recording.__module__ = parse_to_bytes.__module__  # pickled by name to the child
    recording.__qualname__ = parse_to_bytes.__qualname__
    return recording


@needs_fork
def test_a_slowed_parent_leaves_the_child_more_to_parse(tmp_path, monkeypatch):
    """Issue 17 (cpu / wall): with a fixed half each, the child idled while the parent,
    which also loads the encoder and reads the child's Docs, finished its half."""
    import time

    record = tmp_path / "child.txt"
    monkeypatch.setattr(nlp, "_parse_to_bytes", _record_in_child(record))
    texts = [f"Waiting times fell to {i} days in Q2. We will hire {i} staff." for i in range(64)]

    def parsed_by_child() -> int:
        return sum(int(n) for n in record.read_text().split()) if record.exists() else 0

    def slow_parent() -> None:  # runs in the parent once the child is forked
        deadline = time.monotonic() + 60
        while parsed_by_child() < len(texts) * 3 // 4 and time.monotonic() < deadline:
            time.sleep(0.05)

    docs = nlp.parse(texts, processes=2, alongside=slow_parent)
    assert parsed_by_child() >= len(texts) * 3 // 4
    assert [d.to_json() for d in docs] == [d.to_json() for d in nlp.parse(texts)]


@pytest.mark.parametrize(("count", "processes"), [(200, 2), (13, 2), (600, 3), (7, 3), (1, 2),
                                                  (0, 2)])
def test_chunks_cover_the_batch_in_order_and_shrink_towards_the_middle(count, processes):
    """Guided chunks: each process starts on a large chunk at its end and finishes on small
    ones, so neither waits long for the other's last chunk (a quarter of 200 in 16 equal
    chunks left one core idle about 0.2 s)."""
    chunks = nlp.chunk_ranges(count, processes)
    assert [i for chunk in chunks for i in chunk] == list(range(count))
    sizes = [len(chunk) for chunk in chunks]
    if count >= 50:
        middle = sizes.index(min(sizes))
        assert sizes[0] > sizes[middle] and sizes[-1] > sizes[middle]
        assert max(sizes[:2] + sizes[-2:]) <= -(-count // (nlp.GUIDED_SHARE * processes))
        assert sorted(sizes)[1] >= nlp.MIN_CHUNK  # only the very last may be smaller
