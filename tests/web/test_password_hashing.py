"""The password hasher users get: argon2id at RFC 9106's low-memory parameters. The other
tests hash with argon2-cffi's CHEAPEST profile (tests/conftest.py), so this one restores the
hasher the package itself makes and holds it to those parameters."""

from __future__ import annotations

import sqlalchemy as sa
from argon2.profiles import RFC_9106_LOW_MEMORY

from narrative_qa.store import accounts as accounts_module
from narrative_qa.store import web_schema
from narrative_qa.store.accounts import Accounts
from narrative_qa.store.history import History
from tests.conftest import PRODUCTION_HASHER

PASSWORD = "a long enough password"


def test_the_package_hashes_with_rfc_9106_low_memory_parameters():
    made = PRODUCTION_HASHER
    assert (made.type, made.time_cost, made.memory_cost, made.parallelism) == (
        RFC_9106_LOW_MEMORY.type, RFC_9106_LOW_MEMORY.time_cost,
        RFC_9106_LOW_MEMORY.memory_cost, RFC_9106_LOW_MEMORY.parallelism)
    assert (made.hash_len, made.salt_len) == (RFC_9106_LOW_MEMORY.hash_len,
                                              RFC_9106_LOW_MEMORY.salt_len)


def test_a_user_added_with_the_packages_hasher_is_stored_and_verified_at_its_cost(
        tmp_path, monkeypatch):
    monkeypatch.setattr(accounts_module, "_hasher", PRODUCTION_HASHER)
    history = History(f"sqlite:///{tmp_path / 'history.db'}")
    accounts = Accounts.of(history)
    accounts.add_user("olive", PASSWORD, "officer")
    with history.engine.connect() as db:
        stored = db.execute(sa.select(web_schema.user.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), stored
    assert accounts.verify("olive", PASSWORD) is not None
    assert accounts.verify("olive", PASSWORD + "!") is None
