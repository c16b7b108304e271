"""`narrative-qa train`: rebuild the learned gates and their card in models/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from narrative_qa.cli.common import fail, settings_from
from narrative_qa.confidence import CONFIDENCE_FILE
from narrative_qa.errors import NarrativeQAError
from narrative_qa.gates import GATES_FILE, MODELS_DIR
from narrative_qa.language.pairs import PAIRS_FILE
from narrative_qa.language.readers import READERS_CARD, READERS_FILE
from narrative_qa.measure.confidence_training import train_confidence
from narrative_qa.measure.evaluation import BUNDLED_CORPUS
from narrative_qa.measure.learning import train
from narrative_qa.measure.pair_training import train_real_pairs, write_pair_section
from narrative_qa.measure.reader_training import train_real_readers
from narrative_qa.output.safe_write import check_folder_target
from narrative_qa.real_corpus import corpus_available, shared_corpus_path


def train_command(
    corpus: Annotated[Path, typer.Option(help="Labelled corpus with a split column.")
                      ] = BUNDLED_CORPUS,
    out: Annotated[Path, typer.Option(help="Folder for the models and the card.")
                   ] = MODELS_DIR,
    config: Annotated[Path | None, typer.Option(help="Settings file (TOML).")] = None,
) -> None:
    """Train a calibrated gate per finding; keep those that beat the rules on dev. With the
    real corpus beside the project, also train the sentence readers, NQ07's action-KPI pair
    model and the calibrated confidence of every finding (with its claim threshold)."""
    settings = settings_from(config)
    console = Console(highlight=False)
    try:
        # Refused or made before minutes of training, not at the first file written.
        check_folder_target(out)
        out.mkdir(parents=True, exist_ok=True)
        # The readers learn from labels alone; the pair model reads with them, and the
        # gates with both: trained in that order, one run reproduces every model.
        readers = train_real_readers(out, settings) if corpus_available() else None
        pairs = train_real_pairs(out, settings) if corpus_available() else None
        card = train(corpus, settings, out)
        write_pair_section(out)  # train() rewrote CARD.md; its NQ07 section comes back
        # Last: the calibration reads the findings every other model helps raise.
        confidence = train_confidence(out, settings, corpus) if readers else None
    except NarrativeQAError as error:
        fail(error)
    if readers is None:
        console.print(f"The real corpus is not at {shared_corpus_path()}: the sentence "
                      "readers were not retrained.")
    else:
        for tag, row in readers["tags"].items():
            if row.get("read"):
                console.print(f"reader {tag}: dev average precision "
                              f"{row['dev_average_precision']:.2f}")
        console.print(f"Written: {out / READERS_FILE}, {out / READERS_CARD}")
    if pairs is not None:
        console.print(f"NQ07 pair model: {pairs['chosen']['features']}, C "
                      f"{pairs['chosen']['C']}, threshold {pairs['threshold']:.3f}; "
                      f"written {out / PAIRS_FILE}")
    if confidence is not None:
        for code, row in confidence["codes_report"].items():
            chosen = row["chosen_on"]
            claim = ("only worth a look" if row["threshold"] >= 1 else
                     f"claimed from {row['threshold']:.2f}: none of the findings chosen on "
                     "reach it" if chosen["precision"] is None else
                     f"claimed from {row['threshold']:.2f}: precision {chosen['precision']:.2f}, "
                     f"recall {chosen['recall']:.2f}")
            console.print(f"{code} confidence: {claim} ({chosen['rows']} findings chosen on)")
        console.print(f"Written: {out / CONFIDENCE_FILE}")
    for code, row in card["findings"].items():
        dev = row["dev"]
        console.print(f"{code}: {row['path']:13} dev F1 rules {dev['rules']['f1']:.2f}, "
                      f"gate {dev['gate']['f1']:.2f}")
    console.print(f"Written: {out / GATES_FILE}, {out / 'CARD.md'}")
