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
