"""Quarter uploads kept in the store's database (table `web_upload`, migration 0003): the
file, its status and progress, its problems and the scored workbook. The web app's
upload worker reaches them only through these named queries, one query each.

A job is claimed by an atomic status change, so of several workers only one runs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from narrative_qa.store import web_schema

if TYPE_CHECKING:
    from narrative_qa.store.history import History

table = web_schema.upload


class Uploads:
    def __init__(self, engine: sa.Engine, clock: Callable[[], float] = time.time):
        self.engine, self.clock = engine, clock

    @classmethod
    def of(cls, history: History, clock: Callable[[], float] = time.time) -> Uploads:
        return cls(history.engine, clock)

    def add(self, user_id: int, filename: str, period: str | None, data: bytes) -> int:
        """A new queued upload; returns its id."""
        now = self.clock()
        with self.engine.begin() as db:
            return db.execute(table.insert().values(
                user_id=user_id, filename=filename, status="queued", period=period,
                total=None, done=0, problems="[]", error=None, stored=None, summary=None,
                input=data, result=None, created_at=now, heartbeat_at=now)
            ).inserted_primary_key[0]

    def claim(self, upload_id: int, before: str, after: str) -> bool:
        """Move the upload from status `before` to `after`; False when another worker did."""
        with self.engine.begin() as db:
            return db.execute(table.update().where(
                table.c.id == upload_id, table.c.status == before).values(
                status=after, heartbeat_at=self.clock())).rowcount == 1

    def update(self, upload_id: int, **values: Any) -> None:
        values.setdefault("heartbeat_at", self.clock())
        with self.engine.begin() as db:
            db.execute(table.update().where(table.c.id == upload_id).values(**values))

    def job(self, upload_id: int) -> dict[str, Any]:
        """The whole row, the uploaded file's bytes included (for the worker)."""
        with self.engine.connect() as db:
            return dict(db.execute(sa.select(table).where(table.c.id == upload_id))
                        .mappings().one())

    def get(self, upload_id: int) -> dict[str, Any] | None:
        """The upload without the file bytes, with `has_result`; None when there is none."""
        columns = [c for c in table.c if c.name not in ("input", "result")]
        with self.engine.connect() as db:
            row = db.execute(sa.select(*columns, table.c.result.is_not(None).label(
                "has_result")).where(table.c.id == upload_id)).mappings().first()
        return dict(row) if row else None

    def result(self, upload_id: int) -> bytes | None:
        """The scored workbook, None until there is one."""
        with self.engine.connect() as db:
            return db.execute(sa.select(table.c.result).where(table.c.id == upload_id)).scalar()

    def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        columns = [table.c.id, table.c.filename, table.c.status, table.c.period,
                   table.c.created_at, table.c.stored]
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(sa.select(*columns).order_by(
                table.c.id.desc()).limit(limit)).mappings()]

    def with_status(self, statuses: list[str]) -> list[int]:
        with self.engine.connect() as db:
            return list(db.execute(sa.select(table.c.id).where(
                table.c.status.in_(statuses))).scalars())

    def restart_if_stale(self, upload_id: int, restart: dict[str, str],
                         stale_seconds: float) -> bool:
        """Set a running upload whose worker made no progress for `stale_seconds` back to
        the status `restart` maps its status to; True when this call did."""
        now = self.clock()
        with self.engine.begin() as db:
            row = db.execute(sa.select(table.c.status, table.c.heartbeat_at).where(
                table.c.id == upload_id)).first()
            if row is None or row.status not in restart or \
                    now - row.heartbeat_at < stale_seconds:
                return False
            return db.execute(table.update().where(
                table.c.id == upload_id, table.c.status == row.status,
                table.c.heartbeat_at == row.heartbeat_at).values(
                status=restart[row.status], heartbeat_at=now)).rowcount == 1

    def queue_store(self, upload_id: int, period: str) -> bool:
        """Queue a scored upload to be stored as `period`; False when it is not scored."""
        with self.engine.begin() as db:
            return db.execute(table.update().where(
                table.c.id == upload_id, table.c.status == "scored").values(
                status="store-queued", period=period, error=None,
                heartbeat_at=self.clock())).rowcount == 1
