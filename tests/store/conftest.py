"""History stores for the tests: a SQLite file, and a real PostgreSQL server when one can
be started (Debian's postgresql package; .ci/run installs it)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from narrative_qa.store.history import History


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return os.path.dirname(found[-1]) if found else None


def _cluster_base() -> str | None:
    """Where the throwaway cluster lives. Its socket path must stay under the 107 bytes a Unix
    socket allows, and when we run as root the postgres user must be able to reach it, which
    a private $TMPDIR (mktemp -d, mode 700) does not allow: /tmp does both."""
    return "/tmp" if os.access("/tmp", os.W_OK | os.X_OK) else None


@pytest.fixture(scope="session")
def postgres_url():
    """Start a throwaway PostgreSQL cluster on a Unix socket; stop it afterwards."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    root = tempfile.mkdtemp(prefix="nq-pg-", dir=_cluster_base())
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(root, "data"), "54329"
    subprocess.run([*run_as, f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust"],
                   check=True, capture_output=True)
    # The server must not inherit our pipes (capture_output would wait for it to exit).
    subprocess.run([*run_as, f"{bin_dir}/pg_ctl", "-D", data, "-w", "-l", f"{root}/log",
                    "-o", f"-k {root} -p {port} -c listen_addresses=''", "start"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"postgresql+psycopg://postgres@/postgres?host={root}&port={port}"
    try:
        for _ in range(50):
            if subprocess.run([f"{bin_dir}/pg_isready", "-h", root, "-p", port],
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        yield url
    finally:
        subprocess.run([*run_as, f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def history(request, tmp_path):
    if request.param == "sqlite":
        return History(f"sqlite:///{tmp_path / 'history.db'}")
    url = request.getfixturevalue("postgres_url")
    store = History(url)
    with store.engine.begin() as db:  # each test starts from an empty store
        from narrative_qa.store import schema

        for table in (schema.finding, schema.decision, schema.submission):
            db.execute(table.delete())
    return store
