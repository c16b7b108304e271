"""`narrative-qa train`: rebuild the learned gates and their card in models/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from narrative_qa.cli.common import fail, settings_from
from narrative_qa.errors import NarrativeQAError
from narrative_qa.evaluation import BUNDLED_CORPUS
from narrative_qa.gates import GATES_FILE, MODELS_DIR
from narrative_qa.learning import train


def train_command(
    corpus: Annotated[Path, typer.Option(help="Labelled corpus with a split column.")
                      ] = BUNDLED_CORPUS,
    out: Annotated[Path, typer.Option(help="Folder for the models and the card.")
                   ] = MODELS_DIR,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
) -> None:
    """Train a calibrated gate per finding; keep those that beat the rules on dev."""
    try:
        card = train(corpus, settings_from(config), out)
    except NarrativeQAError as error:
        fail(error)
    console = Console(highlight=False)
    for code, row in card["findings"].items():
        dev = row["dev"]
        console.print(f"{code}: {row['path']:13} dev F1 rules {dev['rules']['f1']:.2f}, "
                      f"gate {dev['gate']['f1']:.2f}")
    console.print(f"Written: {out / GATES_FILE}, {out / 'CARD.md'}")
