"""all-MiniLM-L6-v2 through ONNX Runtime: the run-time sentence encoder.

Importing torch and sentence-transformers costs about 6 s and 470 MB, more than a whole
`check`; ONNX Runtime and the tokenizers library load the same network in about 0.6 s and
200 MB, and its vectors agree with sentence-transformers' to about 1e-7
(bench/bench_embedders.py measures this on the real corpus).

The network is exported once from the local, hash-checked weights (`make install` does it;
otherwise the first use does, and only then is torch imported) into the cache folder, beside
a record of the exported file's sha256 and of the weights it came from. Every load checks
the file against that record; a file missing, altered or made from other weights is
exported again. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from functools import lru_cache
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


def onnx_path() -> Path:
    from narrative_qa.language.embeddings import cache_path, model_id

    return cache_path().parent / f"minilm-{model_id()}.onnx"


def _record_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _recorded(path: Path) -> bool:
    """True when `path` is the file recorded at its export, made from today's weights."""
    from narrative_qa.language.embeddings import model_id

    try:
        record = json.loads(_record_path(path).read_text())
        return (record.get("weights") == model_id() and path.is_file()
                and record.get("sha256") == _sha256(path))
    except (OSError, ValueError, AttributeError):
        return False


def export(path: Path | None = None) -> Path:
    """Export the local MiniLM to ONNX at `path` (atomically), check its vectors against
    sentence-transformers', and record its sha256. Imports torch: install or first use only."""
    import numpy as np
    import torch
    from transformers import AutoModel

    from narrative_qa.language.embeddings import get_torch_encoder, model_dir, model_id

    path = path or onnx_path()
    directory = model_dir()
    reference = get_torch_encoder()  # verifies the weights against their recorded sha256

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
        exported = OnnxEncoder(Path(temporary)).encode(list(CHECK_TEXTS))
        expected = reference.encode(list(CHECK_TEXTS), normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        if float(np.abs(exported - expected).max()) > CHECK_TOLERANCE:
            raise ConfigError("NQE012", "the embedding model exported to ONNX does not agree "
                              "with the original", Location(str(path)))
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    _record_path(path).write_text(json.dumps({"weights": model_id(), "sha256": _sha256(path),
                                              "torch": torch.__version__, "opset": OPSET}))
    return path


class OnnxEncoder:
    """Tokenise, run the network, mean-pool over real tokens, normalise: what
    sentence-transformers does for this model (its modules.json and 1_Pooling)."""

    def __init__(self, path: Path):
        import onnxruntime
        from tokenizers import Tokenizer

        from narrative_qa.language.embeddings import model_dir

        directory = model_dir()
        config = json.loads((directory / "sentence_bert_config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(config["max_seq_length"]))
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise here
        self.session = onnxruntime.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 16, **_: object) -> np.ndarray:
        """Normalised float32 vectors, one row per text. Texts are batched by length (as
        sentence-transformers does) so little of a batch is padding."""
        import numpy as np

        from narrative_qa.language.embeddings import DIMENSIONS

        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
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


@lru_cache(maxsize=1)
def get_onnx_encoder() -> OnnxEncoder:
    """The run-time encoder, loaded once per process; exported first if need be."""
    path = onnx_path()
    if not _recorded(path):
        export(path)
    return OnnxEncoder(path)


if __name__ == "__main__":  # `make install`: export now so no check ever imports torch
    print(f"embedding model exported to {export()}")
