"""Packaging: the wheel carries what the runtime reads and scores as the checkout does;
declared dependencies are the imported ones; rules/ and models/ are found, or a coded error
says where they are missing."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import site
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions, version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrative_qa import gates, resources
from narrative_qa.cli import app
from narrative_qa.confidence import load_calibration
from narrative_qa.errors import ConfigError
from narrative_qa.language.pairs import load_pair_model
from narrative_qa.language.readers import load_readers
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SAMPLE_FILES = ("qpr-2025-26-Q1.xlsx", "qpr-2025-26-Q2.xlsx")
# Declared but never imported by the package, each for a reason:
NOT_IMPORTED = {
    "python-multipart",  # FastAPI's form and upload parsing imports it, the package does not
    "onnx",  # torch.onnx.export writes the model with it (language/minilm_onnx.py)
}


# --- the wheel --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built offline from this checkout with the installed hatchling."""
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--quiet", "-w", str(out), str(ROOT)])
    (built,) = out.glob("narrative_qa-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; the dependencies come from this venv's
    site-packages through a .pth file (its path lines join sys.path, but the editable
    install's own .pth inside that folder is not processed, so the checkout stays out)."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    # Installed before the .pth exists, so pip sees an empty environment.
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
          "--no-index", "--quiet", str(wheel)])
    purelib = Path(_run([str(python), "-c", "import sysconfig; "
                         "print(sysconfig.get_paths()['purelib'])"]).strip())
    shared = [p for p in dict.fromkeys(site.getsitepackages()) if Path(p).is_dir()]
    (purelib / "shared-dependencies.pth").write_text("".join(f"{p}\n" for p in shared))
    return venv


def _clean_env() -> dict[str, str]:
    """This environment without anything that would put the checkout on sys.path."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    return env


def _run(args: list[str], cwd: Path | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=_clean_env(),
                          timeout=600)
    assert done.returncode == 0, (args, done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


@pytest.mark.slow
def test_the_wheel_carries_the_rules_and_only_the_models_the_runtime_loads(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        rules = {p.name: p.read_bytes() for p in (ROOT / "rules").glob("*.yml")}
        assert rules and all(archive.read(f"narrative_qa/_bundled_rules/{name}") == data
                             for name, data in rules.items())
        models = {n.rsplit("/", 1)[1] for n in names
                  if n.startswith("narrative_qa/_bundled_models/")}
        assert models == set(resources.MODELS_FILES)
        for name in models:
            assert archive.read(f"narrative_qa/_bundled_models/{name}") == \
                (ROOT / "models" / name).read_bytes()
    card = json.loads((ROOT / "models" / "card.json").read_text())
    assert card["gates"]["file"] in models  # the file the card names is shipped...
    assert not any(n.endswith((".joblib", ".pkl")) for n in names)  # ...the pickle is not


@pytest.mark.slow
def test_the_installed_wheel_uses_its_own_copy_and_loads_the_models(installed, tmp_path):
    script = (
        "import json, narrative_qa\n"
        "from narrative_qa import confidence, gates, resources\n"
        "print(json.dumps({'package': narrative_qa.__file__,\n"
        "    'rules': str(resources.rules_dir()), 'models': str(resources.MODELS_DIR),\n"
        "    'gates': sorted(gates.load_gates()), 'gated': sorted(gates.gated_codes()),\n"
        "    'calibrated': sorted(confidence.load_calibration())}))\n"
    )
    seen = json.loads(_run([str(installed / "bin" / "python"), "-c", script], cwd=tmp_path))
    for key in ("package", "rules", "models"):
        assert Path(seen[key]).is_relative_to(installed), seen
        assert not Path(seen[key]).is_relative_to(ROOT), seen
    assert Path(seen["models"]).name == "_bundled_models"
    assert seen["gates"] == seen["gated"] == sorted(gates.load_gates())
    assert seen["calibrated"] == sorted(load_calibration()) != []


@pytest.mark.slow
def test_the_installed_wheel_scores_the_sample_as_the_checkout_does(installed, tmp_path,
                                                                    monkeypatch, settings):
    package = next((installed / "lib").glob("python*/site-packages/narrative_qa"))
    work = tmp_path / "work"  # outside the checkout
    work.mkdir()
    for name in SAMPLE_FILES:  # the copies the wheel installed
        shutil.copy(package / "data" / "sample" / name, work / name)
    args = ["score", SAMPLE_FILES[1], "--previous", SAMPLE_FILES[0], "--out"]

    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, [*args, "checkout.jsonl"])
    assert result.exit_code == 0, result.output
    _run([str(installed / "bin" / "narrative-qa"), *args, "wheel.jsonl"], cwd=work)

    checkout, wheel = (_records(work / f"{n}.jsonl") for n in ("checkout", "wheel"))
    assert wheel == checkout and len(wheel) == 40
    findings = [f for r in wheel for f in r["findings"]]
    assert any(f["low_confidence"] for f in findings)  # some are only worth a look
    # The calibration ran: a finding's confidence is not its detector's own score.
    from narrative_qa.api import score_file

    detector = {(a.submission.kpi_id, f.code): f.confidence
                for a in _uncalibrated(score_file(work / SAMPLE_FILES[1],
                                                  work / SAMPLE_FILES[0], settings=settings),
                                       settings)
                for f in a.findings}
    calibrated = {(r["kpi_id"], f["code"]): f["confidence"] for r in wheel
                  for f in r["findings"]}
    assert calibrated and sum(detector.get(key) != value
                              for key, value in calibrated.items()) > len(calibrated) // 2


def _uncalibrated(result, settings):
    from narrative_qa.engine import assess_batch

    return assess_batch([a.submission for a in result.assessments], settings, gates=False)


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# --- finding rules/ and models/ ---------------------------------------------------------

def _package(root: Path, *, checkout: bool) -> Path:
    package = root / "narrative_qa"
    package.mkdir(parents=True)
    if checkout:
        (root / "pyproject.toml").write_text("")
    return package


def test_a_checkout_finds_the_folders_beside_the_package(tmp_path):
    package = _package(tmp_path, checkout=True)
    assert resources.place("models", package) == tmp_path / "models"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "language.yml").write_text("")
    assert resources.rules_dir(package) == tmp_path / "rules"


def test_an_installed_package_uses_its_bundled_copy_never_a_stray_folder_beside_it(tmp_path):
    package = _package(tmp_path, checkout=False)
    (tmp_path / "rules").mkdir()  # site-packages/rules from some other distribution
    (tmp_path / "rules" / "language.yml").write_text("")
    assert resources.place("models", package) == package / "_bundled_models"
    with pytest.raises(ConfigError) as caught:
        resources.rules_dir(package)
    assert caught.value.code == "NQE011" and "_bundled_rules" in str(caught.value)


@pytest.mark.parametrize("missing", resources.MODELS_FILES)
def test_missing_models_files_are_a_coded_error_not_a_silent_switch_off(tmp_path, missing):
    for name in resources.MODELS_FILES:
        if name != missing:
            shutil.copy(ROOT / "models" / name, tmp_path / name)
    load = {"card.json": gates.load_card, "readers.json": load_readers,
            "readers.npz": load_readers, "confidence.json": load_calibration,
            "pairs.json": load_pair_model,
            "pairs.npz": load_pair_model}.get(missing, gates.load_gates)
    with pytest.raises(ConfigError) as caught:
        load.__wrapped__(tmp_path)
    assert caught.value.code == "NQE070" and missing in str(caught.value)


def test_score_without_models_fails_with_nqe070_naming_the_folder(tmp_path, monkeypatch):
    from tests.conftest import Q1, Q2

    monkeypatch.setattr(gates, "MODELS_DIR", tmp_path / "models")
    gates.load_card.cache_clear()
    gates.load_gates.cache_clear()
    try:
        result = CliRunner().invoke(app, ["score", str(Q2), "--previous", str(Q1),
                                          "--out", str(tmp_path / "x.jsonl")])
    finally:
        monkeypatch.undo()
        gates.load_card.cache_clear()
        gates.load_gates.cache_clear()
    assert result.exit_code != 0
    assert "NQE070" in result.output and str(tmp_path / "models") in result.output
    assert not (tmp_path / "x.jsonl").exists()


# --- dependencies -----------------------------------------------------------------------

def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group())


def _imported_top_levels() -> set[str]:
    """Every top-level module the package imports, lazy imports inside functions too."""
    names: set[str] = set()
    for path in (ROOT / "narrative_qa").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names
            if n not in sys.stdlib_module_names and n not in ("narrative_qa", "__future__")}


def _distributions_of(modules: set[str]) -> dict[str, set[str]]:
    """Import name -> the installed distributions providing it (yaml -> pyyaml,
    sklearn -> scikit-learn, docx -> python-docx, msoffcrypto -> msoffcrypto-tool...)."""
    known = packages_distributions()
    return {m: {_canonical(d) for d in known.get(m, [])} for m in modules}


def test_every_imported_third_party_module_is_declared():
    project = PYPROJECT["project"]
    declared = {_requirement_name(r) for r in project["dependencies"]}
    optional = {_requirement_name(r) for extra in project["optional-dependencies"].values()
                for r in extra}
    undeclared = {module: dists
                  for module, dists in _distributions_of(_imported_top_levels()).items()
                  if not dists & (declared | optional)}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_every_declared_dependency_is_imported_or_listed_with_its_reason():
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    imported = set().union(*_distributions_of(_imported_top_levels()).values())
    assert not declared - imported - NOT_IMPORTED, "declared but never imported"
    assert declared >= NOT_IMPORTED  # each exception is a declared dependency


def test_declared_dependencies_are_pinned_at_the_installed_versions():
    for requirement in PYPROJECT["project"]["dependencies"]:
        name, pinned = re.fullmatch(r"([A-Za-z0-9._-]+)==([^;\s]+)", requirement).groups()
        assert version(name).split("+")[0] == pinned, requirement  # torch is "+cpu"


def test_the_spacy_model_is_pinned_by_hash_at_the_version_the_code_checks():
    from narrative_qa.language import nlp

    (line,) = [ln for ln in (ROOT / "requirements" / "spacy-model.txt").read_text()
               .splitlines() if ln and not ln.startswith("#")]
    match = re.fullmatch(r"(\S+)==(\S+) --hash=sha256:([0-9a-f]{64})", line)
    assert match, line
    name, pinned, _ = match.groups()
    assert f"{name}=={pinned}" in PYPROJECT["project"]["dependencies"]
    assert _canonical(name) == _canonical(nlp.MODEL_PACKAGE) and pinned == nlp.MODEL_VERSION
    assert version(name) == pinned
    install = (ROOT / "Makefile").read_text()
    assert "--require-hashes --no-deps -r requirements/spacy-model.txt" in install
    # The installed files themselves are checked against their sha256 in
    # tests/language/test_nlp.py (verify_model).


def test_the_fast_lane_runs_on_cores_the_test_extra_provides():
    """`make test-fast` spreads the tests over processes with pytest-xdist: a fresh clone's
    `make install` must install it, at the version pinned, and `make test` stays serial."""
    makefile = (ROOT / "Makefile").read_text()
    fast = re.search(r"^test-fast:.*?\n\t\$\(BIN\)/pytest([^\n]*)", makefile, re.M | re.S)
    whole = re.search(r"^test:.*?\n\t\$\(BIN\)/pytest([^\n]*)", makefile, re.M | re.S)
    assert fast and whole and "-n " in fast.group(1) and "-n " not in whole.group(1)
    extra = {_requirement_name(r): r for r in PYPROJECT["project"]["optional-dependencies"]
             ["test"]}
    assert "pytest-xdist" in extra and "execnet" in extra
    for name in ("pytest-xdist", "execnet"):
        assert extra[name] == f"{name}=={version(name)}", extra[name]
