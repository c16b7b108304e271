"""The history store: every ingested quarter, its assessments and reviewers' decisions.

A SQLite file by default (`history.db` in the narrative_qa data folder, or --db), or any
SQLAlchemy URL so a shared deployment can use PostgreSQL. The schema is created and
upgraded by alembic migrations when the store opens, so a store made by one version opens
in the next. Re-ingesting a KPI for a period adds a new version and keeps the earlier one
(is_current = false): nothing is overwritten without trace.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from narrative_qa.errors import ConfigError, Location
from narrative_qa.model import Assessment, Submission
from narrative_qa.store import schema

MIGRATIONS = Path(__file__).with_name("migrations")
_PERIOD = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2})\s*Q([1-4])\s*$", re.I)


def default_path() -> Path:
    root = os.environ.get("NARRATIVE_QA_HOME") or Path.home() / ".local" / "share" / "narrative_qa"
    return Path(root) / "history.db"


def default_url() -> str:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def as_url(db: str | None) -> str:
    """--db takes a file path (SQLite) or a SQLAlchemy URL."""
    if not db:
        return default_url()
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


def previous_period(period: str | None) -> str | None:
    """'2025/26 Q2' -> '2025/26 Q1'; '2025/26 Q1' -> '2024/25 Q4'."""
    match = _PERIOD.match(period or "")
    if not match:
        return None
    start, quarter = int(match.group(1)), int(match.group(3))
    if quarter > 1:
        return f"{start}/{str(start + 1)[-2:]} Q{quarter - 1}"
    return f"{start - 1}/{str(start)[-2:]} Q4"


def fingerprint(code: str, kpi_id: str, evidence: list[str]) -> str:
    """Identifies 'this finding on this sentence' across quarters (for remembered decisions)."""
    sentence = " ".join((evidence[0] if evidence else "").lower().split())
    sentence = re.sub(r"\d[\d,.]*", "#", sentence)
    return hashlib.sha256(f"{code}\0{kpi_id.lower()}\0{sentence}".encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class StoredSubmission:
    id: int
    kpi_id: str
    period: str
    version: int
    record: dict[str, Any]
    findings: list[dict[str, Any]]


class History:
    def __init__(self, url: str):
        self.url = url
        try:
            self.engine = sa.create_engine(url)
            self._migrate()
        except Exception as exc:  # a bad URL, an unreachable server, a locked file
            raise ConfigError("NQE014", f"cannot open the history store ({exc})",
                              Location(url)) from exc

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    # --- writing -------------------------------------------------------------------

    def ingest(self, assessments: list[Assessment], period: str, source: str) -> int:
        """Store a quarter; returns how many submissions were stored."""
        stored = 0
        with self.engine.begin() as db:
            for assessment in assessments:
                sub = assessment.submission
                if sub.blocked or not sub.kpi_id:
                    continue
                record = assessment.to_record()
                findings = record.pop("findings")
                latest = db.execute(
                    sa.select(sa.func.max(schema.submission.c.version)).where(
                        schema.submission.c.kpi_id == sub.kpi_id,
                        schema.submission.c.period == period)).scalar()
                if latest is not None:  # keep the earlier version, marked superseded
                    db.execute(schema.submission.update().where(
                        schema.submission.c.kpi_id == sub.kpi_id,
                        schema.submission.c.period == period).values(is_current=False))
                row_id = db.execute(schema.submission.insert().values(
                    kpi_id=sub.kpi_id, period=period, version=(latest or 0) + 1,
                    is_current=True, ingested_at=_now(), source=source,
                    service=sub.service, owner=sub.owner,
                    actual=sub.actual if isinstance(sub.actual, float) else None,
                    narrative=sub.narrative,
                    record=json.dumps(record, ensure_ascii=False, default=str),
                )).inserted_primary_key[0]
                for item in findings:
                    db.execute(schema.finding.insert().values(
                        submission_id=row_id, code=item["code"],
                        fingerprint=fingerprint(item["code"], sub.kpi_id, item["evidence"]),
                        finding=json.dumps(item, ensure_ascii=False)))
                stored += 1
        return stored

    def decide(self, kpi_id: str, period: str, code: str, decision: str, reason: str,
               reviewer: str, evidence: list[str] | None = None) -> None:
        if decision not in {"confirmed", "dismissed"}:
            raise ConfigError("NQE024", "a decision is 'confirmed' or 'dismissed'")
        if not reason.strip() or not reviewer.strip():
            raise ConfigError("NQE024", "a decision needs a reason and a reviewer")
        current = self.current(period, kpi_id)
        if evidence is None:
            matches = [f for s in current for f in s.findings if f["code"] == code.upper()]
            if not matches:
                raise ConfigError("NQE024", f"no {code} finding for KPI '{kpi_id}' in "
                                  f"'{period}'")
            evidence = matches[0]["evidence"]
        with self.engine.begin() as db:
            db.execute(schema.decision.insert().values(
                kpi_id=kpi_id, period=period, code=code.upper(),
                fingerprint=fingerprint(code.upper(), kpi_id, evidence), decision=decision,
                reason=reason, reviewer=reviewer, decided_at=_now()))

    # --- reading -------------------------------------------------------------------

    def current(self, period: str, kpi_id: str | None = None,
                with_findings: bool = True) -> list[StoredSubmission]:
        query = sa.select(schema.submission).where(schema.submission.c.period == period,
                                                   schema.submission.c.is_current)
        if kpi_id:
            query = query.where(schema.submission.c.kpi_id == kpi_id)
        with self.engine.connect() as db:
            rows = db.execute(query.order_by(schema.submission.c.id)).mappings().all()
            result = []
            for row in rows:
                findings = db.execute(sa.select(schema.finding.c.finding).where(
                    schema.finding.c.submission_id == row["id"]).order_by(
                    schema.finding.c.id)).scalars().all() if with_findings else []
                result.append(StoredSubmission(row["id"], row["kpi_id"], row["period"],
                                               row["version"], json.loads(row["record"]),
                                               [json.loads(f) for f in findings]))
        return result

    def versions(self, kpi_id: str, period: str) -> list[dict[str, Any]]:
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(sa.select(
                schema.submission.c.version, schema.submission.c.is_current,
                schema.submission.c.ingested_at, schema.submission.c.source,
                schema.submission.c.narrative).where(
                schema.submission.c.kpi_id == kpi_id, schema.submission.c.period == period
            ).order_by(schema.submission.c.version)).mappings()]

    def dismissed(self) -> set[str]:
        """Fingerprints whose latest decision is a dismissal (remembered across quarters)."""
        with self.engine.connect() as db:
            rows = db.execute(sa.select(schema.decision.c.fingerprint,
                                        schema.decision.c.decision).order_by(
                schema.decision.c.id)).all()
        latest: dict[str, str] = {}
        for key, decision in rows:
            latest[key] = decision
        return {k for k, d in latest.items() if d == "dismissed"}

    def decisions(self) -> list[dict[str, Any]]:
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(sa.select(schema.decision).order_by(
                schema.decision.c.id)).mappings()]

    def fill_previous(self, submissions: list[Submission]) -> int:
        """Take previous actual and narrative from the store where the input lacks them."""
        filled = 0
        for sub in submissions:
            earlier = previous_period(sub.period)
            if not sub.kpi_id or not earlier:
                continue
            if sub.previous_narrative and sub.previous_actual is not None:
                continue
            rows = self.current(earlier, sub.kpi_id, with_findings=False)
            if not rows:
                continue
            record = rows[0].record
            if sub.previous_actual is None and isinstance(record.get("actual"), int | float):
                sub.previous_actual = float(record["actual"])
            if not sub.previous_narrative and record.get("narrative"):
                sub.previous_narrative = record["narrative"]
            filled += 1
        return filled
