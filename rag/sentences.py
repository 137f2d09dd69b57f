"""Per-document sentence vectors beside the Chroma store: written once, read by id, never searched.

What it does: every citable sentence of a document is kept in `<gen>/sentences/<key>.npy`
(float32 unit vectors) and `<key>.json` (spans and texts), where `key` names the document's
path and content (rag/chunks.doc_key). Retrieval searches chunks in Chroma, then reads the
sentences of the retrieved chunks from here to choose the one to quote.

Why not a Chroma collection: sentences are only ever fetched by id, yet Chroma would build
and load an HNSW graph for them (nine sentences per chunk: most of an ingest's time and of a
large index's memory). Files per document also make an incremental ingest cheap: unchanged
documents are hard-linked into the new generation, changed ones simply not carried over.

What it deliberately doesn't: search these vectors, or share files between generations
other than by hard links (a generation never changes once published).
"""

from __future__ import annotations

import json
import os
import shutil
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import StoreError

FOLDER = "sentences"


def write(gen: Path, key: str, spans: list[tuple[int, int]], texts: list[str], vectors: np.ndarray | None) -> None:
    folder = gen / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    vectors = np.zeros((0, 384), dtype=np.float32) if vectors is None else np.asarray(vectors, dtype=np.float32)
    np.save(folder / f"{key}.npy", vectors)
    (folder / f"{key}.json").write_text(json.dumps({"spans": spans, "texts": texts}, ensure_ascii=False))


def carry_over(live: Path, work: Path, keys: set[str]) -> None:
    """Hard-link (or copy) the unchanged documents' files into the generation being built."""
    folder = work / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys:
        for suffix in (".npy", ".json"):
            src, dst = live / FOLDER / f"{key}{suffix}", folder / f"{key}{suffix}"
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)


def check(gen: Path, keys: set[str]) -> None:
    """StoreError unless every document's sentence files are there."""
    folder = gen / FOLDER
    present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    missing = [k for k in keys if f"{k}.npy" not in present or f"{k}.json" not in present]
    if missing:
        raise StoreError(f"index at {gen.parent} is damaged ({len(missing)} documents lost their sentences)")


class Sentences:
    """Read access for one published generation; files are read once each and cached."""

    def __init__(self, gen: Path):
        self.folder = gen / FOLDER
        self._load = lru_cache(maxsize=256)(self._read)

    def _read(self, key: str):
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text())
            vectors = np.load(self.folder / f"{key}.npy")
        except (OSError, ValueError) as exc:
            raise StoreError(f"index at {self.folder.parent.parent} is damaged ({exc})") from exc
        return meta["spans"], meta["texts"], vectors

    def get(self, key: str, index: int) -> tuple[str, int, int, np.ndarray]:
        """(text, start, end, vector) of sentence `index` of document `key`."""
        spans, texts, vectors = self._load(key)
        start, end = spans[index]
        return texts[index], start, end, vectors[index]
