"""Per-document sentence vectors beside the Chroma store: written once, read by id, never searched.

What it does: every citable sentence of a document is kept in `<store>/sentences/<key>.npy`
(float32 unit vectors) and `<key>.json` (spans and texts), where `key` names the document's
path and content (rag/chunks.doc_key), so the files never change once written and every
generation built under the same rules shares them (rag/generation.py). Retrieval searches
chunks in Chroma, then reads the sentences of the retrieved chunks from here to choose the
one to quote.

Why not a Chroma collection: sentences are only ever fetched by id, yet Chroma would build
and load an HNSW graph for them (nine sentences per chunk: most of an ingest's time and of a
large index's memory). Files per document also make an incremental ingest cheap: unchanged
documents are not touched, changed ones get files under their new key, and the sweep removes
keys no kept generation references.

What it deliberately doesn't: search these vectors, or rewrite a key's files (same key,
same bytes).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import StoreError
from .generation import sentences_dir


def folder(store: Path) -> Path:
    return sentences_dir(store)


def write(
    store: Path,
    key: str,
    spans: list[tuple[int, int]],
    texts: list[str],
    vectors: np.ndarray | None,
    contexts: list[str] | None = None,
) -> None:
    """Write one document's sentences; the .json goes last, so its presence means both are whole.

    `contexts` are the units' heading paths / table headers (rag/chunks.py): used for matching, never quoted.
    """
    where = folder(store)
    where.mkdir(parents=True, exist_ok=True)
    vectors = np.zeros((0, 384), dtype=np.float32) if vectors is None else np.asarray(vectors, dtype=np.float32)
    with open(where / f"{key}.npy.part", "wb") as fh:
        np.save(fh, vectors)
    os.replace(where / f"{key}.npy.part", where / f"{key}.npy")
    meta = {"spans": spans, "texts": texts}
    if contexts and any(contexts):
        meta["contexts"] = contexts
    tmp = where / f"{key}.json.part"
    tmp.write_text(json.dumps(meta, ensure_ascii=False))
    os.replace(tmp, where / f"{key}.json")


def remove(store: Path, keys) -> None:
    for key in keys:
        for suffix in (".npy", ".json"):
            (folder(store) / f"{key}{suffix}").unlink(missing_ok=True)


def check(store: Path, keys) -> None:
    """StoreError unless every document's (of `keys`) sentence files are there.

    A few keys (a reader reopening after an update checks the documents new to it) are looked
    up one by one; many (a reader's first open) by one listing of the folder's names, which
    costs what the store holds: 0.1 s at 12,448 documents under load."""
    where = folder(store)
    keys = list(keys)
    if len(keys) <= 64:
        present = {n for k in keys for n in (f"{k}.npy", f"{k}.json") if os.path.exists(os.path.join(where, n))}
    else:
        try:
            present = set(os.listdir(where))
        except FileNotFoundError:
            present = set()
    missing = [k for k in keys if f"{k}.npy" not in present or f"{k}.json" not in present]
    if missing:
        raise StoreError(f"index at {store.parent} is damaged ({len(missing)} documents lost their sentences)")


@lru_cache(maxsize=65536)
def _layout(path: str) -> tuple[int, int, int]:
    """(data offset, rows, columns) of a sentence vector file, from its .npy header (numpy's
    own header reader; cached, so each file's header is parsed once per process)."""
    try:
        with open(path, "rb") as fh:
            major, _ = np.lib.format.read_magic(fh)
            read_header = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(fh)
            if fortran or dtype != np.dtype("<f4") or len(shape) != 2:
                raise ValueError(f"not a float32 matrix: {dtype}, {shape}")
            return fh.tell(), shape[0], shape[1]
    except (OSError, ValueError) as exc:
        raise StoreError(f"sentence vectors {path} unreadable ({exc})") from exc


def rows(path: str, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Rows [start, stop) of a sentence vector file (`<store>/sentences/<key>.npy`), float32.

    One positioned read of just those rows (no memory map kept open per file); the header is
    parsed once per file (`_layout`). StoreError when the file is missing or garbled."""
    offset, n, d = _layout(path)
    stop = n if stop is None else min(stop, n)
    start = min(max(start, 0), stop)
    size = (stop - start) * d * 4
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            data = os.pread(fd, size, offset + start * d * 4)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(f"sentence vectors {path} unreadable ({exc})") from exc
    if len(data) != size:
        raise StoreError(f"sentence vectors {path} unreadable (truncated)")
    return np.frombuffer(data, dtype="<f4").reshape(stop - start, d)


class Sentences:
    """Read access to a store's sentence files; files are read once each and cached."""

    def __init__(self, store: Path):
        self.folder = folder(store)
        self._load = lru_cache(maxsize=256)(self._read)

    def _read(self, key: str):
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text())
            vectors = np.load(self.folder / f"{key}.npy")
        except (OSError, ValueError) as exc:
            raise StoreError(f"index at {self.folder.parent.parent} is damaged ({exc})") from exc
        return meta["spans"], meta["texts"], vectors, meta.get("contexts")

    def get(self, key: str, index: int) -> tuple[str, int, int, np.ndarray]:
        """(text, start, end, vector) of sentence `index` of document `key`."""
        spans, texts, vectors, _ = self._load(key)
        start, end = spans[index]
        return texts[index], start, end, vectors[index]

    def texts(self, key: str) -> list[str]:
        """The texts of every sentence of document `key`, in order."""
        return self._load(key)[1]

    def context(self, key: str, index: int) -> str:
        """The context of sentence `index` (heading path, table header, lead-in), or ""."""
        contexts = self._load(key)[3]
        return contexts[index] if contexts else ""
