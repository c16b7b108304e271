from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from narrative_qa.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "narrative_qa" / "data" / "sample"
Q1 = SAMPLE / "qpr-2025-26-Q1.xlsx"
Q2 = SAMPLE / "qpr-2025-26-Q2.xlsx"


def _seed_runtime_model() -> None:
    """Copy into the tests' new cache folder the MiniLM export that `make install` made in
    the default one, when its record and sha256 hold: otherwise the first test to embed
    exports it again (torch, about 10 s of CPU), once per test process. Read-only; nothing
    else of the user's cache is read. tests/language/test_minilm_onnx.py exports one anew."""
    from narrative_qa.language import minilm_onnx
    from narrative_qa.language.embeddings import model_id, runtime_model_path

    target = None
    try:
        target = runtime_model_path()
        installed = Path.home() / ".cache" / "narrative_qa" / target.name
        if not minilm_onnx.recorded(installed, model_id()):
            return
        shutil.copyfile(installed, target)
        shutil.copyfile(minilm_onnx.record_path(installed), minilm_onnx.record_path(target))
    except Exception:  # no model package, a folder we may not read: export as before
        if target is not None:
            target.unlink(missing_ok=True)


_OURS = "NARRATIVE_QA_TEST_CACHE"  # the cache folder a test process made, for its children


def _own_folders() -> list[Path]:
    """Tests never read or write the user's embedding cache or history store: each test
    process (each pytest-xdist worker too) makes its own data folder, and its own cache
    folder unless NARRATIVE_QA_CACHE names one the user chose. Returns the folders made."""
    home = Path(tempfile.mkdtemp(prefix="nq-test-home-"))
    os.environ["NARRATIVE_QA_HOME"] = str(home)
    named = os.environ.get("NARRATIVE_QA_CACHE")
    if named and named != os.environ.get(_OURS):
        return [home]
    cache = tempfile.mkdtemp(prefix="nq-test-cache-")  # not a worker's parent's: each its own
    os.environ["NARRATIVE_QA_CACHE"] = os.environ[_OURS] = cache
    _seed_runtime_model()
    return [home, Path(cache)]


_MADE = _own_folders()  # before any test reads the variables; removed when the session ends


def pytest_unconfigure(config: pytest.Config) -> None:
    """The folders made above go when the session ends (each pytest-xdist worker has its
    own): the cache holds a 90 MB copy of the MiniLM export."""
    for folder in _MADE:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for Chromium or the PostgreSQL server by fixture is marked so, for
    `make test-fast` to deselect (the store fixtures mark their postgresql parameter)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        if "postgres_url" in fixtures:
            item.add_marker(pytest.mark.postgres)


# What narrative_qa.store.accounts hashes passwords with; tests/web/test_password_hashing.py
# holds it to RFC 9106's parameters while every other test hashes with the cheap profile.
from narrative_qa.store import accounts as _accounts  # noqa: E402

PRODUCTION_HASHER = _accounts._hasher


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Passwords hashed with argon2-cffi's CHEAPEST profile (argon2id, made for tests) in
    this process: the production profile costs about 0.2 s of CPU a hash or a check, and the
    web tests add four users and sign in per test (half the fast lane's CPU time). The hash
    format, salts and verification are argon2's own either way; commands run in a subprocess
    keep the production profile."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    cheap = PasswordHasher.from_parameters(CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_accounts, "_hasher", cheap)
        patch.setattr(_accounts, "_DUMMY_HASH", cheap.hash("not a password anyone has"))
        yield


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def sample_result(settings):
    """The bundled quarter scored once per test session (loads the spaCy model)."""
    from narrative_qa.api import score_file

    return score_file(Q2, Q1, settings=settings)


# A real PostgreSQL server when one can be started (Debian's postgresql package; .ci/run
# installs it), shared by the store and web tests.
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


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory, settings):
    """Migrated SQLite stores, empty or holding the sample's Q1 and Q2, made once per
    session and copied per test (tests/stores.py)."""
    from tests.stores import StoreTemplates

    return StoreTemplates(tmp_path_factory.mktemp("store-templates"), settings)
