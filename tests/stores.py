"""History stores for tests, made once per test session and copied.

Opening a new SQLite store runs alembic's migrations, and storing the sample's two quarters
scores both files (spaCy over 117 narratives): seconds a test that only needs them in place.
So each is made once, the same way as ever (History, then ingest_file), and each test gets
a copy of the file, or of the rows. A PostgreSQL store, or one already holding submissions,
is filled the long way.
"""

from __future__ import annotations

import shutil
import sqlite3
from functools import cached_property
from pathlib import Path

from narrative_qa.config import Settings
from narrative_qa.store.history import History

SAMPLE = Path(__file__).resolve().parents[1] / "narrative_qa" / "data" / "sample"
QUARTERS = (("2025/26 Q1", SAMPLE / "qpr-2025-26-Q1.xlsx"),
            ("2025/26 Q2", SAMPLE / "qpr-2025-26-Q2.xlsx"))


def ingest_quarters(history: History, settings: Settings) -> None:
    """The sample's Q1 and Q2 stored under their periods, as `narrative-qa ingest` does."""
    from narrative_qa.api import ingest_file

    for period, path in QUARTERS:
        ingest_file(path, period, history, settings=settings)


def sqlite_path(history: History) -> Path | None:
    url = history.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


class StoreTemplates:
    """SQLite stores made on first use in `folder` and copied from then on."""

    def __init__(self, folder: Path, settings: Settings):
        self.folder, self.settings = folder, settings

    @cached_property
    def empty(self) -> Path:
        """A store just migrated to the newest schema."""
        path = self.folder / "empty.db"
        History(f"sqlite:///{path}").engine.dispose()
        return path

    @cached_property
    def quarters(self) -> Path:
        """A migrated store holding the sample's Q1 and Q2, nothing else."""
        path = self.folder / "quarters.db"
        shutil.copyfile(self.empty, path)
        history = History(f"sqlite:///{path}")
        ingest_quarters(history, self.settings)
        history.engine.dispose()
        return path

    def fresh(self, path: Path) -> str:
        """The URL of a new migrated store at `path` (a copy of `empty`)."""
        shutil.copyfile(self.empty, path)
        return f"sqlite:///{path}"

    def add_quarters(self, history: History) -> None:
        """Store the sample's Q1 and Q2 in `history`: in a SQLite store where every table
        they fill is still empty, the rows of `quarters` are copied in (the same rows, ids
        included, as the two ingests would write); otherwise the quarters are ingested."""
        path = sqlite_path(history)
        if path is None or not _copy_rows(self.quarters, path):
            ingest_quarters(history, self.settings)


def _copy_rows(source: Path, target: Path) -> bool:
    """Every row of `source`'s tables (but alembic's) put in the same table of `target` in
    one transaction, when each of those tables is empty in `target`; False if one is not."""
    db = sqlite3.connect(target, isolation_level=None)
    try:
        db.execute("ATTACH DATABASE ? AS template", (str(source),))
        names = [name for (name,) in db.execute(
            "SELECT name FROM template.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
        filled = [n for n in names
                  if db.execute(f'SELECT 1 FROM template."{n}" LIMIT 1').fetchone()]
        db.execute("BEGIN IMMEDIATE")
        if any(db.execute(f'SELECT 1 FROM main."{n}" LIMIT 1').fetchone() for n in filled):
            db.execute("ROLLBACK")
            return False
        for table in filled:
            columns = ", ".join(f'"{c[1]}"' for c in db.execute(
                f'PRAGMA template.table_info("{table}")'))
            db.execute(f'INSERT INTO main."{table}" ({columns}) '
                       f'SELECT {columns} FROM template."{table}"')
        db.execute("COMMIT")
        return True
    finally:
        db.close()
