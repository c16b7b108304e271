"""The embedding cache is an optimisation: deleted, replaced, corrupted or locked under a
running process, it is rebuilt or bypassed, never an error (issue 16, defect 3)."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np

from narrative_qa.language.embeddings import DIMENSIONS, EmbeddingCache

VECTOR = np.ones(DIMENSIONS, dtype=np.float32).tobytes()


def _cache(tmp_path) -> EmbeddingCache:
    cache = EmbeddingCache(tmp_path / "cache" / "e.sqlite")
    cache.put_many([("kept", VECTOR)])
    assert cache.get_many(["kept"]) == {"kept": VECTOR}
    return cache


def test_a_deleted_cache_file_is_rebuilt(tmp_path):
    cache = _cache(tmp_path)
    cache.path.unlink()
    assert cache.get_many(["kept"]) == {}  # a miss, not an error
    cache.put_many([("new", VECTOR)])
    assert cache.path.exists() and cache.get_many(["new"]) == {"new": VECTOR}


def test_a_deleted_cache_folder_is_rebuilt(tmp_path):
    cache = _cache(tmp_path)
    shutil.rmtree(cache.path.parent)
    cache.put_many([("new", VECTOR)])
    assert cache.get_many(["new", "kept"]) == {"new": VECTOR}


def test_a_corrupt_cache_file_is_replaced(tmp_path):
    cache = _cache(tmp_path)
    cache.path.write_bytes(b"this is not a database" * 100)
    assert cache.get_many(["kept"]) == {}
    cache.put_many([("new", VECTOR)])
    assert cache.get_many(["new"]) == {"new": VECTOR}
    again = EmbeddingCache(cache.path)  # and a new process opening a corrupt file
    assert again.get_many(["new"]) == {"new": VECTOR}
    cache.path.write_bytes(b"garbage")
    assert EmbeddingCache(cache.path).get_many(["new"]) == {}


def test_a_damaged_row_is_a_miss(tmp_path):
    cache = _cache(tmp_path)
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE embedding SET vector = x'00'")
    assert cache.get_many(["kept"]) == {}


def test_a_locked_cache_is_bypassed(tmp_path):
    cache = _cache(tmp_path)
    cache.LOCK_WAIT = 0.05
    holder = sqlite3.connect(cache.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cache.put_many([("new", VECTOR)])  # dropped, not raised
        assert cache.get_many(["kept"]) == {}
        blocked = EmbeddingCache.__new__(EmbeddingCache)
        blocked.LOCK_WAIT = 0.05
        blocked.__init__(cache.path)  # opened while locked: bypassed
        assert blocked.get_many(["kept"]) == {}
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cache.get_many(["kept"]) == {"kept": VECTOR}


def test_an_unwritable_cache_folder_is_bypassed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    cache = EmbeddingCache(blocker / "e.sqlite")
    cache.put_many([("x", VECTOR)])
    assert cache.get_many(["x"]) == {}
