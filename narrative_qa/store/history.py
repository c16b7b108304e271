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
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from narrative_qa.assessment import Assessment
from narrative_qa.errors import ConfigError, Location, NarrativeQAError
from narrative_qa.language.periods import (
    not_after,
    period_order,
    previous_period,
    same_period,
)
from narrative_qa.previous import PreviousRow, match_key
from narrative_qa.store import schema
from narrative_qa.store.forecasts import store_forecasts
from narrative_qa.store.keys import kpi_is, kpi_key, owner_key
from narrative_qa.store.location import default_path

MIGRATIONS = Path(__file__).with_name("migrations")
DECISIONS = ("confirmed", "dismissed")
BUSY_SECONDS = 30.0  # how long a writer waits for another one to finish (SQLite)
_LOCK_KEY = 0x6E71_7374  # PostgreSQL advisory lock shared by every narrative_qa writer
_POSTGRES_EXTRA = "pip install 'narrative-qa[postgres]'"
_TIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")  # as Excel re-saves them


def default_url() -> str:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def as_url(db: str | None) -> str:
    """--db takes a file path (SQLite) or a SQLAlchemy URL."""
    if not db:
        return default_url()
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


def redact(url: str) -> str:
    """The URL as it may be shown: a password, in the URL or its query, becomes ***."""
    try:
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: hide whatever sits between user: and @
        shown = re.sub(r"(://[^/@:]*:)[^@]*@", r"\1***@", url)
    return re.sub(r"((?:password|passwd)=)[^&]*", r"\1***", shown, flags=re.I)


def _scrub(text: str, url: str) -> str:
    """An error text with the URL's password taken out (drivers may quote the URL)."""
    try:
        password = sa.engine.make_url(url).password
    except Exception:
        password = None
    text = text.replace(url, redact(url))
    return text.replace(str(password), "***") if password else text


def applies_to(decided_for: str, period: str) -> bool:
    """A decision holds for its own period and for later ones, never for earlier ones."""
    return not_after(decided_for, period)


def fingerprint(code: str, kpi_id: str, evidence: list[str]) -> str:
    """Identifies 'this finding on this sentence' across quarters (for remembered decisions)."""
    sentence = " ".join((evidence[0] if evidence else "").lower().split())
    sentence = re.sub(r"\d[\d,.]*", "#", sentence)
    return hashlib.sha256(f"{code}\0{kpi_key(kpi_id)}\0{sentence}".encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def as_timestamp(text: str) -> str:
    """A decision's time as stored (UTC, ISO 8601, seconds), so text order is time order."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in _TIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise ConfigError("NQE065", f"decided_at '{text}' is not a date and time",
                              Location(column="decided_at")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _fit(value: str | None, size: int) -> str | None:
    """Columns with a length limit keep the start; the record keeps the whole value."""
    return value[:size] if value else value


def _driver_error(url: str, exc: ImportError) -> ConfigError:
    name = getattr(exc, "name", None) or str(exc)
    backend = url.split("://", 1)[0]
    todo = (f"install the PostgreSQL extra ({_POSTGRES_EXTRA}) and write the URL as "
            "postgresql+psycopg://user@host/database") if backend.startswith("postgres") else (
        f"install the Python driver '{name}', or use a SQLite file or a "
        f"postgresql+psycopg:// URL ({_POSTGRES_EXTRA})")
    return ConfigError("NQE063", f"the database driver '{name}' for '{backend}://' URLs is not "
                       f"installed; {todo}", Location(redact(url)))


def _write_lock(db: sa.Connection) -> None:
    """Take the store's write lock for this transaction, so concurrent writers queue
    instead of numbering the same version twice."""
    if db.dialect.name == "sqlite":
        db.exec_driver_sql("BEGIN IMMEDIATE")  # waits up to BUSY_SECONDS for another writer
    elif db.dialect.name == "postgresql":
        db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


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
        self.url = redact(url)  # what messages show; the engine keeps the real URL
        try:
            self.engine = self._engine(url)
            self._migrate()
        except NarrativeQAError:
            raise
        except ImportError as exc:
            raise _driver_error(url, exc) from None
        except Exception as exc:  # a bad URL, an unreachable server, a locked file
            raise ConfigError("NQE014", f"cannot open the history store "
                              f"({_scrub(str(exc), url)})", Location(self.url)) from None

    @staticmethod
    def _engine(url: str) -> sa.Engine:
        if sa.engine.make_url(url).get_backend_name() == "sqlite":
            return sa.create_engine(url, connect_args={"timeout": BUSY_SECONDS})
        return sa.create_engine(url)

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        if current == ScriptDirectory.from_config(config).get_current_head():
            return
        with self._writing() as connection:  # two first runs at once: one makes the tables
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        """A transaction holding the write lock; a store kept busy is a coded error, and
        nothing of the failed transaction is kept."""
        try:
            with self.engine.begin() as db:
                _write_lock(db)
                yield db
        except sa.exc.IntegrityError:  # a dialect without a write lock: versions clashed
            raise ConfigError("NQE062", "another narrative-qa command wrote to the history "
                              "store at the same time; nothing from this run was stored",
                              Location(self.url)) from None
        except sa.exc.OperationalError as exc:
            if "locked" not in str(exc.orig).lower() and "busy" not in str(exc.orig).lower():
                raise
            raise ConfigError("NQE062", "another narrative-qa command was writing to the "
                              f"history store and did not finish within {BUSY_SECONDS:g} s; "
                              "nothing from this run was stored", Location(self.url)) from None

    # --- writing -------------------------------------------------------------------

    def ingest(self, assessments: list[Assessment], period: str, source: str) -> int:
        """Store a quarter, every row of it: scored rows, rows that could not be scored
        (verdict 'error', with their problems) and rows with no kpi_id (kept under kpi_id ''
        with their file row). Each copy of a repeated kpi_id is kept. Returns the count."""
        superseded: set[str] = set()
        with self._writing() as db:
            stored = self._stored_for(db, period)
            for assessment in assessments:
                self._store(db, assessment, period, _fit(source, 500) or "", superseded,
                            stored)
        return len(assessments)

    @staticmethod
    def _stored_for(db: sa.Connection, period: str) -> dict[str, list[tuple[int, int, str]]]:
        """The period's stored rows by KPI identity (match_key, '' for rows with no kpi_id):
        (id, version, source) each, read once per ingest, so 'cs-05' supersedes 'CS-05'."""
        table = schema.submission
        stored: dict[str, list[tuple[int, int, str]]] = {}
        for row_id, kpi_id, version, source in db.execute(sa.select(
                table.c.id, table.c.kpi_id, table.c.version, table.c.source)
                .where(table.c.period == period)):
            stored.setdefault(match_key(kpi_id) or "", []).append((row_id, version, source))
        return stored

    @staticmethod
    def _store(db: sa.Connection, assessment: Assessment, period: str, source: str,
               superseded: set[str], stored: dict[str, list[tuple[int, int, str]]]) -> None:
        """Store one row as the KPI's next version for the period; the first row of a KPI
        in this ingest marks the earlier ingests' copies superseded (kept). The KPI is known
        by previous.match_key, the one KPI-identity rule, so 'cs-05' supersedes 'CS-05'."""
        sub, table = assessment.submission, schema.submission
        kpi_id = sub.kpi_id or ""
        key = match_key(kpi_id) or ""
        rows = stored.setdefault(key, [])
        latest = max((version for _, version, _ in rows), default=0)
        if key not in superseded:  # earlier ingests' copies are kept, marked superseded
            superseded.add(key)
            earlier = [row_id for row_id, _, from_ in rows if key or from_ == source]
            if earlier:
                db.execute(table.update().where(table.c.id.in_(earlier))
                           .values(is_current=False))
        record = assessment.to_record()
        findings = record.pop("findings")
        row_id = db.execute(table.insert().values(
            kpi_id=kpi_id, period=period, version=latest + 1,
            is_current=True, ingested_at=_now(), source=source,
            service=_fit(sub.service, 200), owner=_fit(sub.owner, 200),
            kpi_key=key, owner_key=owner_key(sub.owner),
            actual=sub.actual if isinstance(sub.actual, float) else None,
            narrative=sub.narrative,
            record=json.dumps(record, ensure_ascii=False, default=str),
        )).inserted_primary_key[0]
        store_forecasts(db, row_id, sub.narrative, period, sub.actual)
        for item in findings:
            db.execute(schema.finding.insert().values(
                submission_id=row_id, code=item["code"],
                fingerprint=fingerprint(item["code"], kpi_id, item["evidence"]),
                finding=json.dumps(item, ensure_ascii=False)))
        rows.append((row_id, latest + 1, source))

    def decide(self, kpi_id: str, period: str, code: str, decision: str, reason: str,
               reviewer: str, evidence: list[str] | None = None,
               decided_at: str | None = None) -> bool:
        """Record a decision, at `decided_at` (ISO 8601; now when not given). Returns False,
        recording nothing, when the very same decision is already recorded."""
        code = code.strip().upper()
        if decision not in DECISIONS:
            raise ConfigError("NQE024", f"decision '{decision}' is not recognised; decision "
                              f"must be one of: {', '.join(DECISIONS)}",
                              Location(column="decision"))
        given = {"kpi_id": kpi_id, "period": period, "code": code, "reason": reason,
                 "reviewer": reviewer}
        missing = [name for name, value in given.items() if not value.strip()]
        if missing:
            raise ConfigError("NQE061", f"the decision has no {' and no '.join(missing)}",
                              Location(column=missing[0]))
        when = as_timestamp(decided_at) if decided_at and decided_at.strip() else _now()
        if evidence is None:  # a decision made now: on the KPI as stored (its own spelling)
            kpi_id, evidence = self._evidence(kpi_id, period, code)
        values = {"kpi_id": kpi_id, "period": period, "code": code, "decision": decision,
                  "reason": reason, "reviewer": reviewer, "decided_at": when}
        table = schema.decision
        with self._writing() as db:
            if db.execute(sa.select(table.c.id).where(
                    *(table.c[name] == value for name, value in values.items()))).first():
                return False
            db.execute(table.insert().values(
                fingerprint=fingerprint(code, kpi_id, evidence), **values))
        return True

    def withdraw(self, kpi_id: str, period: str, source: str) -> int:
        """Withdraw the KPI's submission for `period`: a new version marked withdrawn
        becomes current, so the report and next quarter's join no longer read it; the
        earlier versions are kept. Returns the new version's number."""
        table = schema.submission
        with self._writing() as db:
            rows = db.execute(sa.select(table).where(
                table.c.period == period, _kpi_is(kpi_id)).order_by(
                table.c.version)).mappings().all()
            live = [r for r in rows if r["is_current"] and not r["withdrawn"]]
            if not live:
                raise ConfigError("NQE121", f"KPI '{kpi_id}' has no submission for "
                                  f"'{period}' to withdraw", Location(column="kpi_id"))
            last = live[-1]
            db.execute(table.update().where(table.c.id.in_([r["id"] for r in rows]))
                       .values(is_current=False))
            version = rows[-1]["version"] + 1
            record = {"kpi_id": last["kpi_id"], "period": period, "owner": last["owner"],
                      "service": last["service"], "narrative": "", "withdrawn": True,
                      "verdict": "withdrawn", "score": None, "findings": [], "errors": []}
            db.execute(table.insert().values(
                kpi_id=last["kpi_id"], period=period, version=version, is_current=True,
                ingested_at=_now(), source=_fit(source, 500) or "", service=last["service"],
                owner=last["owner"], actual=None, narrative="", withdrawn=True,
                kpi_key=last["kpi_key"], owner_key=owner_key(last["owner"]),
                record=json.dumps(record, ensure_ascii=False)))
        return version

    def _evidence(self, kpi_id: str, period: str, code: str) -> tuple[str, list[str]]:
        """The KPI as stored and the sentence the finding rests on; a message listing what
        there is otherwise."""
        current = self.current(period, kpi_id)
        if not current:
            known = sorted({s.kpi_id for s in self.current(period, with_findings=False)} - {""})
            if not known:
                periods = ", ".join(self.periods()) or "none"
                raise ConfigError("NQE024", f"nothing is stored for period '{period}'; "
                                  f"periods stored: {periods}", Location(column="period"))
            shown = ", ".join(known[:20]) + (f" and {len(known) - 20} more"
                                             if len(known) > 20 else "")
            raise ConfigError("NQE024", f"no KPI '{kpi_id}' is stored for '{period}'; the KPIs "
                              f"stored for it are: {shown}", Location(column="kpi_id"))
        matches = [f for s in current for f in s.findings if f["code"] == code]
        if not matches:
            raised = sorted({f["code"] for s in current for f in s.findings})
            listed = (f"the findings raised for it are: {', '.join(raised)}" if raised
                      else "no findings were raised for it")
            raise ConfigError("NQE024", f"no {code} finding for KPI '{kpi_id}' in "
                              f"'{period}'; {listed}", Location(column="code"))
        return current[0].kpi_id, matches[0]["evidence"]

    # --- reading -------------------------------------------------------------------

    def current(self, period: str, kpi_id: str | None = None,
                with_findings: bool = True) -> list[StoredSubmission]:
        """The current version of each KPI stored for `period` (none for a KPI whose
        submission was withdrawn); with `kpi_id`, of that KPI only, matched by
        narrative_qa.previous.match_key (the one KPI-identity rule)."""
        table = schema.submission
        live = [table.c.period == period, table.c.is_current, table.c.withdrawn.is_(False)]
        if kpi_id:  # that KPI's records only (an indexed key): one draft, not the period
            live.append(_kpi_is(kpi_id))
        with self.engine.connect() as db:
            rows = db.execute(sa.select(table.c.id, table.c.kpi_id, table.c.period,
                                        table.c.version, table.c.record).where(*live)
                              .order_by(table.c.id)).all()
            found = _findings_of(db, live) if with_findings else {}
        return [StoredSubmission(row.id, row.kpi_id, row.period, row.version,
                                 json.loads(row.record), found.get(row.id, []))
                for row in rows]

    def _current_of(self, kpi_id: str, keep: Callable[[list[Any]], list[Any]] = list
                    ) -> list[StoredSubmission]:
        """The KPI's current version in every period it is stored for, without findings;
        `keep` picks from the rows (id, kpi_id, period, version) before any record is
        parsed, so a check parses only the records it uses."""
        table = schema.submission
        with self.engine.connect() as db:
            rows = db.execute(sa.select(table.c.id, table.c.kpi_id, table.c.period,
                                        table.c.version, table.c.record).where(
                table.c.is_current, table.c.withdrawn.is_(False), _kpi_is(kpi_id))
                .order_by(table.c.id)).all()
        return [StoredSubmission(r.id, r.kpi_id, r.period, r.version, json.loads(r.record), [])
                for r in keep(rows)]

    def submission(self, submission_id: int) -> tuple[dict[str, Any], StoredSubmission,
                                                      list[str]] | None:
        """One stored version by id (any version): its columns (owner, service,
        is_current…), the submission with its findings, and each finding's fingerprint;
        None when there is no such row."""
        table = schema.submission
        with self.engine.connect() as db:
            row = db.execute(sa.select(table).where(table.c.id == submission_id)
                             ).mappings().first()
            if row is None:
                return None
            findings = db.execute(sa.select(schema.finding.c.finding,
                                            schema.finding.c.fingerprint)
                                  .where(schema.finding.c.submission_id == submission_id)
                                  .order_by(schema.finding.c.id)).all()
        stored = StoredSubmission(row["id"], row["kpi_id"], row["period"], row["version"],
                                  json.loads(row["record"]),
                                  [json.loads(f) for f, _ in findings])
        columns = {k: v for k, v in row.items() if k not in ("record", "narrative")}
        return columns, stored, [key for _, key in findings]

    def versions(self, kpi_id: str, period: str) -> list[dict[str, Any]]:
        """Every stored version of the KPI (matched by match_key) for `period`, oldest first."""
        table = schema.submission
        with self.engine.connect() as db:
            rows = db.execute(sa.select(
                table.c.id, table.c.kpi_id, table.c.version, table.c.is_current,
                table.c.withdrawn, table.c.ingested_at, table.c.source, table.c.narrative,
                table.c.owner, table.c.service).where(table.c.period == period,
                                                      _kpi_is(kpi_id))
                .order_by(table.c.version, table.c.id)).mappings()
            return [dict(r) for r in rows]

    def dismissed(self, period: str | None = None) -> set[str]:
        """Fingerprints whose latest decision (by decided_at, then id) is a dismissal. With
        `period`, only decisions for that period or an earlier one count: a dismissal is
        remembered in later quarters, never applied to earlier ones."""
        table = schema.decision
        with self.engine.connect() as db:
            rows = db.execute(sa.select(table.c.fingerprint, table.c.decision,
                                        table.c.period).order_by(
                table.c.decided_at, table.c.id)).all()
        latest: dict[str, str] = {}
        for key, decision, decided_for in rows:
            if period is None or applies_to(decided_for, period):
                latest[key] = decision
        return {k for k, d in latest.items() if d == "dismissed"}

    def latest(self, kpi_id: str) -> StoredSubmission | None:
        """The KPI's current record (matched by match_key) in the latest period it is
        stored for, without its findings; None for a KPI never stored (or withdrawn). Reads
        that KPI's current rows (one indexed query): the self-check asks this on every
        pause."""
        found = self._current_of(kpi_id, lambda rows: [max(rows, key=_latest_first)]
                                 if rows else [])
        return found[0] if found else None

    def latest_owned(self, owner: str | None) -> list[StoredSubmission]:
        """The current record, in the latest period each is stored for (as `latest`), of
        every KPI that `owner` owns or owned in some period (matched by keys.owner_key),
        without findings: one query over those KPIs' rows, not the store. Whether the
        owner still owns each is the caller's to judge, on the record's owner."""
        key = owner_key(owner)
        if not key:
            return []
        table = schema.submission
        live = (table.c.is_current, table.c.withdrawn.is_(False))
        owned = sa.select(table.c.kpi_key).where(*live, table.c.owner_key == key,
                                                 table.c.kpi_key != "")
        with self.engine.connect() as db:
            rows = db.execute(sa.select(table.c.id, table.c.kpi_id, table.c.kpi_key,
                                        table.c.period, table.c.version, table.c.record)
                              .where(*live, table.c.kpi_key.in_(owned))).all()
        latest: dict[str, Any] = {}
        for row in rows:
            if row.kpi_key not in latest or _latest_first(row) > _latest_first(
                    latest[row.kpi_key]):
                latest[row.kpi_key] = row
        return [StoredSubmission(r.id, r.kpi_id, r.period, r.version, json.loads(r.record),
                                 []) for r in latest.values()]

    def periods(self) -> list[str]:
        with self.engine.connect() as db:
            return sorted(db.execute(sa.select(schema.submission.c.period).distinct())
                          .scalars(), key=period_order)

    def kpi_versions(self, kpi_id: str) -> list[dict[str, Any]]:
        """Every stored version of a KPI (matched by match_key) in every period, newest
        period first: version, current or not, withdrawn, when, where from, the verdict and
        score it got, and the codes of its findings."""
        table = schema.submission
        with self.engine.connect() as db:
            rows = db.execute(sa.select(
                table.c.id, table.c.kpi_id, table.c.period, table.c.version,
                table.c.is_current, table.c.withdrawn, table.c.ingested_at, table.c.source,
                table.c.record).where(_kpi_is(kpi_id)).order_by(table.c.version)
            ).mappings().all()
            codes: dict[int, list[str]] = {}
            for row_id, code in db.execute(sa.select(
                    schema.finding.c.submission_id, schema.finding.c.code).where(
                    schema.finding.c.submission_id.in_([r["id"] for r in rows]))
                    .order_by(schema.finding.c.id)):
                codes.setdefault(row_id, []).append(code)
        found = []
        for row in rows:
            record = json.loads(row["record"])
            found.append({**{k: row[k] for k in ("kpi_id", "period", "version", "is_current",
                                                 "withdrawn", "ingested_at", "source")},
                          "verdict": record.get("verdict"), "score": record.get("score"),
                          "codes": codes.get(row["id"], [])})
        return sorted(found, key=lambda v: (period_order(v["period"])[0], v["version"]),
                      reverse=True)

    def web_submissions(self, period: str) -> list[dict[str, Any]]:
        """The current versions of `period` that officers submitted in the web app (source
        'web:<user>'), oldest first: what storing a quarter over them would supersede."""
        table = schema.submission
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(sa.select(
                table.c.kpi_id, table.c.version, table.c.source, table.c.ingested_at,
                table.c.owner).where(table.c.period == period, table.c.is_current,
                                     table.c.withdrawn.is_(False),
                                     table.c.source.startswith("web:"))
                .order_by(table.c.id)).mappings()]

    def quarter_periods(self) -> list[str]:
        """The periods holding a stored quarter (rows from a file or an upload), not only
        officers' web submissions (source 'web:…'), oldest first."""
        table = schema.submission
        with self.engine.connect() as db:
            found = set(db.execute(sa.select(table.c.period).where(
                sa.not_(table.c.source.startswith("web:"))).distinct()).scalars())
        return [p for p in self.periods() if p in found]

    def decisions(self) -> list[dict[str, Any]]:
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(sa.select(schema.decision).order_by(
                schema.decision.c.decided_at, schema.decision.c.id)).mappings()]

    @staticmethod
    def previous_period(period: str | None) -> str | None:
        return previous_period(period)

    def previous_rows(self, period: str, kpi_id: str | None = None) -> list[PreviousRow]:
        """The current version of every usable KPI stored for `period` (written in any of
        its spellings: '2025/26 Q1', '2025-26 q1'), or of `kpi_id` only (matched by
        match_key; one query on its key, the periods not listed): what the previous-period
        join reads."""
        if kpi_id:
            found = sorted(self._current_of(kpi_id, lambda rows: [
                r for r in rows if same_period(r.period, period)]),
                key=lambda s: (period_order(s.period), s.id))
        else:
            found = [sub for stored in self.periods() if same_period(stored, period)
                     for sub in self.current(stored, with_findings=False)]
        rows: list[PreviousRow] = []
        for sub in found:
            record = sub.record
            if not sub.kpi_id or (record.get("verdict") == "error"
                                  and not record.get("narrative")):
                continue
            rows.append(PreviousRow(sub.kpi_id, record.get("actual"),
                                    record.get("narrative") or None,
                                    Location(self.url, None, "kpi_id")))
        return rows



def _kpi_is(kpi_id: str | None) -> sa.ColumnElement[bool]:
    """Rows of the KPI `kpi_id` names under previous.match_key (none for a blank id)."""
    return kpi_is(schema.submission.c.kpi_key, kpi_id)


def _latest_first(row: Any) -> tuple:
    """Order of rows of one KPI: the latest period as periods() orders them; in it, the
    first row stored."""
    return period_order(row.period), -row.id


def _findings_of(db: sa.Connection, where: list[Any]) -> dict[int, list[dict[str, Any]]]:
    """The findings of the submissions `where` selects, by submission, in stored order:
    one query for them all (not one per submission)."""
    table, chosen = schema.finding, sa.select(schema.submission.c.id).where(*where)
    found: dict[int, list[dict[str, Any]]] = {}
    for row_id, finding in db.execute(sa.select(table.c.submission_id, table.c.finding)
                                      .where(table.c.submission_id.in_(chosen))
                                      .order_by(table.c.id)):
        found.setdefault(row_id, []).append(json.loads(finding))
    return found
