"""all-MiniLM-L6-v2 through ONNX Runtime: the run-time sentence encoder.

Importing torch and sentence-transformers costs about 6 s and 470 MB, more than a whole
`check`; ONNX Runtime and the tokenizers library load the same network in about 0.6 s and
200 MB, and its vectors agree with sentence-transformers' to about 1e-7
(bench/bench_embedders.py measures this on the real corpus).

The network is exported once from the local, hash-checked weights (`make install` does it;
otherwise the first use does, and only then is torch imported) into the cache folder, beside
a record of the exported file's sha256 and of the weights it came from. Every load checks
the file against that record; a file missing, altered or made from other weights is
exported again (embeddings.get_encoder). Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from narrative_qa.errors import ConfigError, Location

if TYPE_CHECKING:
    import numpy as np

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17
# The export is checked against sentence-transformers on these before it is kept.
CHECK_TEXTS = ("Performance fell to 51% this quarter.",
               "Recruitment remains a challenge; we will introduce a new rota by March.",
               "Uptake rose.")
CHECK_TOLERANCE = 1e-5


def onnx_path(folder: Path, weights: str) -> Path:
    """Where the export of the weights whose id is `weights` lives in `folder`."""
    return folder / f"minilm-{weights}.onnx"


def record_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recorded(path: Path, weights: str) -> bool:
    """True when `path` is the file recorded at its export, made from the weights whose id
    is `weights`."""
    try:
        record = json.loads(record_path(path).read_text())
        return (record.get("weights") == weights and path.is_file()
                and record.get("sha256") == _sha256(path))
    except (OSError, ValueError, AttributeError):
        return False


def export(path: Path, directory: Path, weights: str,
           reference: Callable[[list[str]], np.ndarray]) -> Path:
    """Export the MiniLM in `directory` (weights id `weights`, already hash-checked) to ONNX
    at `path`, atomically; keep it only if its vectors agree with `reference`'s (the
    sentence-transformers encoder), and record its sha256. Imports torch: install or first
    use only."""
    import numpy as np
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    class Network(torch.nn.Module):  # positional inputs, the last hidden state out
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(directory), attn_implementation="eager")

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    network = Network().eval()
    example = torch.ones((2, 8), dtype=torch.long)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    os.close(handle)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on code paths not taken
            torch.onnx.export(network, (example, example, torch.zeros_like(example)),
                              temporary, input_names=list(INPUTS),
                              output_names=["last_hidden_state"],
                              dynamic_axes={n: {0: "batch", 1: "tokens"}
                                            for n in (*INPUTS, "last_hidden_state")},
                              opset_version=OPSET, dynamo=False)
        exported = OnnxEncoder(Path(temporary), directory).encode(list(CHECK_TEXTS))
        expected = reference(list(CHECK_TEXTS))
        if float(np.abs(exported - expected).max()) > CHECK_TOLERANCE:
            raise ConfigError("NQE012", "the embedding model exported to ONNX does not agree "
                              "with the original", Location(str(path)))
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    record_path(path).write_text(json.dumps({"weights": weights, "sha256": _sha256(path),
                                              "torch": torch.__version__, "opset": OPSET}))
    return path


class OnnxEncoder:
    """Tokenise, run the network, mean-pool over real tokens, normalise: what
    sentence-transformers does for this model (its modules.json and 1_Pooling)."""

    def __init__(self, path: Path, directory: Path):
        """`path`: the exported network; `directory`: the model's folder (tokenizer, config)."""
        import onnxruntime
        from tokenizers import Tokenizer

        config = json.loads((directory / "sentence_bert_config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(config["max_seq_length"]))
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        # ONNX Runtime's threads otherwise spin for a while after each run, waiting for the
        # next: on 2 cores shared by two web workers (or the parser of `score`) that burns
        # a core the other needs. Measured: a third less CPU for the same wall time and the
        # same vectors, bit for bit (the threads split rows, not sums).
        for pool in ("intra_op", "inter_op"):
            options.add_session_config_entry(f"session.{pool}.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 16, **_: object) -> np.ndarray:
        """Normalised float32 vectors, one row per text. Texts are batched by length (as
        sentence-transformers does) so little of a batch is padding."""
        import numpy as np

        width = self.session.get_outputs()[0].shape[-1]
        vectors = np.zeros((len(texts), width), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            batch = order[start: start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in batch])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            vectors[batch] = pooled / norms
        return vectors


