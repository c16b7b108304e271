"""`narrative-qa train` trains each model after those it reads with, so one run into
models/ gives what a second run would (the readers, then the pair model, then the gates,
which score the rules with both, then the confidence)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrative_qa.cli import app
from narrative_qa.cli import train as train_cli


def test_each_model_is_trained_after_the_models_it_reads_with(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []

    def step(name: str, result: dict):
        def run(*_args, **_kwargs) -> dict:
            order.append(name)
            return result
        return run

    monkeypatch.setattr(train_cli, "corpus_available", lambda: True)
    monkeypatch.setattr(train_cli, "train_real_readers", step("readers", {"tags": {}}))
    monkeypatch.setattr(train_cli, "train_real_pairs", step(
        "pairs", {"chosen": {"features": "f", "C": 1}, "threshold": 0.5}))
    monkeypatch.setattr(train_cli, "train", step("gates", {"findings": {}}))
    monkeypatch.setattr(train_cli, "write_pair_section", step("card", {}))
    monkeypatch.setattr(train_cli, "train_confidence", step("confidence",
                                                            {"codes_report": {}}))
    result = CliRunner().invoke(app, ["train", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert order == ["readers", "pairs", "gates", "card", "confidence"]


def test_a_missing_out_folder_is_made_and_a_file_in_the_way_refused_before_training(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`train --out new/folder` made the readers and then crashed writing the first file
    (a traceback after minutes); a folder that cannot be one is refused before any work."""
    trained: list[Path] = []

    def readers(out: Path, _settings) -> dict:
        trained.append(out)
        (out / "readers.npz").write_bytes(b"")  # the first file a real run writes
        return {"tags": {}}

    monkeypatch.setattr(train_cli, "corpus_available", lambda: True)
    monkeypatch.setattr(train_cli, "train_real_readers", readers)
    monkeypatch.setattr(train_cli, "train_real_pairs", lambda *_: None)
    monkeypatch.setattr(train_cli, "train", lambda *_: {"findings": {}})
    monkeypatch.setattr(train_cli, "write_pair_section", lambda *_: None)
    monkeypatch.setattr(train_cli, "train_confidence", lambda *_: None)
    made = tmp_path / "new" / "models"
    result = CliRunner().invoke(app, ["train", "--out", str(made)])
    assert result.exit_code == 0, result.output
    assert (made / "readers.npz").exists()

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    trained.clear()
    result = CliRunner().invoke(app, ["train", "--out", str(blocker / "models")])
    assert result.exit_code == 2 and "NQE013" in result.output
    assert trained == []  # refused before any training
