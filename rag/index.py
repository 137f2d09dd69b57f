"""Build, update and open the on-disk index: documents -> chunks -> **index** -> retrieve.

What it does: an index folder holds generations. Each generation is complete on its own:
a Chroma store (collection `chunks` for retrieval, `sentences` for answer scoring, both
cosine, created with embedding_function=None so Chroma never fetches a model), a BM25
index (bm25s) over the same chunks, term statistics, and `manifest.json` (format version,
model, chunking parameters, per-file hashes, corpus hash). `CURRENT` names the live one.
An ingest copies the live generation (or starts empty when the manifest's model or
chunking differ: vectors made under other rules are never mixed), applies the change
(unchanged files are not re-embedded, changed files replace their chunks, deleted files are
purged), and only then swaps `CURRENT` with one atomic rename. A crash at any moment leaves
the previous generation answering; leftovers are swept by the next ingest. One ingest at a
time per index folder (an advisory lock); readers never lock.

What it deliberately doesn't: retrieve (rag/retrieve.py) or decide when to rebuild for a
reader (rag/engine.py asks `status()`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import sentences as sentence_files
from .chunks import chunk_id
from .config import Settings
from .documents import list_files, load_documents
from .embed import Embedder, default_embedder
from .errors import IndexBusy, StoreError
from .store import EMBEDDED, build_collections, open_collections, store_id
from .store import sweep as store_sweep
from .text import terms
from .types import Document

# What an index holds also depends on how documents are read, split and tokenised: a
# digest of those modules goes into the manifest, so editing them rebuilds the index
# instead of leaving queries and stored terms made under different rules.
CODE_VERSION = hashlib.sha256(
    b"".join(
        (Path(__file__).parent / name).read_bytes()
        for name in ("documents.py", "readers.py", "chunks.py", "text.py")
    )
).hexdigest()[:12]
FORMAT_VERSION = 4  # 2: chunk metadata carries subjects; 3: sentences in per-document files; 4: unit contexts
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
TERMS = "terms.json"  # per-document BM25 terms, so an incremental ingest tokenises only what changed
_BATCH = 64


@dataclass
class IngestReport:
    generation: str
    rebuilt: bool  # True when the manifest did not match and everything was re-embedded
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    sentences_embedded: int = 0
    seconds: float = 0.0

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.deleted or self.rebuilt)

    def summary(self) -> str:
        if not self.changed_anything:
            return f"index up to date ({len(self.unchanged)} documents)"
        parts = [
            f"{len(x)} {name}"
            for name, x in (
                ("added", self.added),
                ("changed", self.changed),
                ("deleted", self.deleted),
                ("unchanged", self.unchanged),
            )
            if x
        ]
        how = "rebuilt" if self.rebuilt else "updated"
        return (
            f"index {how}: {', '.join(parts)}; {self.chunks_embedded} chunks and "
            f"{self.sentences_embedded} sentences embedded in {self.seconds:.1f} s"
        )


def expected_params(settings: Settings, embedder_name: str) -> dict:
    """What an index was built under; any difference means a rebuild, never a mix."""
    return {
        "format_version": FORMAT_VERSION,
        "model": embedder_name,
        "chunking": settings.chunking(),
        "code": CODE_VERSION,
        "store": store_id(settings.chroma_url),
    }


def _built_under(manifest: dict | None, params: dict) -> bool:
    return manifest is not None and all(manifest.get(k) == v for k, v in params.items())


def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except OSError:
        return None
    gen = index_dir / name
    return gen if name and gen.is_dir() else None


def read_manifest(index_dir: Path) -> dict | None:
    gen = current_generation(index_dir)
    if gen is None:
        return None
    try:
        return json.loads((gen / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def _file_state(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def status(settings: Settings, embedder_name: str) -> str:
    """'missing', 'damaged', 'stale' (parameters or documents differ from the manifest) or 'fresh'.

    Cheap: compares sizes and modification times first and hashes only files that moved.
    """
    manifest = read_manifest(settings.index)
    if manifest is None:
        # CURRENT names a generation, but it or its manifest is gone or unreadable.
        return "damaged" if (settings.index / CURRENT).exists() else "missing"
    if not _built_under(manifest, expected_params(settings, embedder_name)):
        return "stale"
    known = manifest.get("files", {})
    skipped = set(manifest.get("skipped", []))
    seen = set()
    for path, source in list_files(settings.docs):
        if source in skipped:
            continue
        seen.add(source)
        entry = known.get(source)
        if entry is None:
            return "stale"
        try:
            if [entry["size"], entry["mtime_ns"]] != list(_file_state(path)):
                if hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
                    return "stale"
        except OSError:
            return "stale"
    return "fresh" if seen == set(known) else "stale"


class _Lock:
    """An advisory, non-blocking (or waiting) lock on the index folder."""

    def __init__(self, index_dir: Path, wait: bool):
        index_dir.mkdir(parents=True, exist_ok=True)
        self.path = index_dir / ".lock"
        self.wait = wait

    def __enter__(self):
        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "another process"
            self.fh.close()
            raise IndexBusy(
                f"another ingest is updating {self.path.parent} ({holder}); wait for it to finish"
            ) from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(f"pid {os.getpid()}")
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            with open(Path(dirpath) / name, "rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sweep(index_dir: Path, keep: set[str], store: str = EMBEDDED) -> None:
    """Remove unfinished builds and generations older than the previous one."""
    for entry in index_dir.iterdir():
        if entry.is_dir() and entry.name.startswith("gen-") and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
    store_sweep(index_dir, store, keep)


def _progress(total: int, desc: str):
    if sys.stderr.isatty() and total:
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit="text", leave=False, file=sys.stderr)
    return None


def _write_documents(
    chunks_col,
    work: Path,
    docs: list[Document],
    settings: Settings,
    embedder: Embedder,
    report: IngestReport,
    lexical: dict,
    progress=None,
) -> dict:
    """Chunk, embed and store `docs`; returns their manifest entries, adds their BM25 terms to `lexical`."""
    from .chunks import chunk_document, doc_key

    entries, pending = {}, []
    for doc in docs:
        chunks, sentences = chunk_document(doc, settings.chunk_max_tokens, settings.chunk_overlap)
        assert not doc.stub, doc.source  # stubs are unchanged files: never re-chunked
        key = doc_key(doc)
        pending.append((doc, key, chunks, sentences))
        lexical[key] = {"ids": [c.id for c in chunks], "terms": [terms(c.embed_text()) for c in chunks]}
        entries[doc.source] = {
            "title": doc.title,
            "sha256": doc.sha256,
            "chunks": len(chunks),
            "sentences": len(sentences),
            "key": key,
            "warning": doc.warning,
            "encoding": doc.encoding,
            "pages": list(doc.pages),
        }
    total = sum(len(c) + len(s) for _, _, c, s in pending)
    bar = _progress(total, "embedding")

    def advance(n: int) -> None:
        if bar:
            bar.update(n)
        if progress:
            progress(report.chunks_embedded + report.sentences_embedded, total)

    for doc, key, chunks, sentences in pending:
        for i in range(0, len(chunks), _BATCH):
            batch = chunks[i : i + _BATCH]
            chunks_col.add(
                ids=[c.id for c in batch],
                embeddings=embedder.embed([c.embed_text() for c in batch]),
                documents=[c.text for c in batch],
                metadatas=[
                    {
                        "source": c.source,
                        "title": c.title,
                        "subjects": doc.subjects,
                        "start": c.start,
                        "end": c.end,
                        "key": key,
                        "s_first": c.sentences[0],
                        "s_last": c.sentences[-1],
                        "n_tokens": c.n_tokens,
                        "section": c.section,
                    }
                    for c in batch
                ],
            )
            report.chunks_embedded += len(batch)
            advance(len(batch))
        texts = [doc.text[s.start : s.end] for s in sentences]
        # A unit is embedded with its context (heading path, table header, lead-in), never quoted with it.
        inputs = [f"{s.context}\n{t}".strip() if s.context else t for s, t in zip(sentences, texts)]
        vectors = []
        for i in range(0, len(texts), _BATCH):
            vectors.append(embedder.embed(inputs[i : i + _BATCH]))
            report.sentences_embedded += len(vectors[-1])
            advance(len(vectors[-1]))
        sentence_files.write(
            work,
            key,
            [(s.start, s.end) for s in sentences],
            texts,
            np.concatenate(vectors) if vectors else None,
            contexts=[s.context for s in sentences],
        )
    if bar:
        bar.close()
    return entries


def _old_lexical(live: Path, keep: set[str], chunks_col) -> dict:
    """The BM25 terms of unchanged documents, from the live generation (no re-tokenising)."""
    try:
        saved = json.loads((live / TERMS).read_text())
    except (OSError, ValueError):
        saved = {}
    out = {key: saved[key] for key in keep if key in saved}
    missing = keep - set(out)
    if missing:  # an index written before terms.json existed: tokenise what the store holds
        got = chunks_col.get(where={"key": {"$in": sorted(missing)}}, include=["documents", "metadatas"])
        for cid, doc, meta in sorted(zip(got["ids"], got["documents"], got["metadatas"])):
            entry = out.setdefault(meta["key"], {"ids": [], "terms": []})
            entry["ids"].append(cid)
            entry["terms"].append(terms(f"{meta['title']}\n{doc}"))
    return out


def _write_lexical(gen: Path, lexical: dict) -> None:
    """BM25 over every chunk (title included), and document frequencies for term weighting."""
    import bm25s

    pairs = sorted((cid, toks) for entry in lexical.values() for cid, toks in zip(entry["ids"], entry["terms"]))
    ids = [cid for cid, _ in pairs]  # sorted: a deterministic layout
    tokens = [toks for _, toks in pairs]
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    retriever.save(str(gen / "bm25"), show_progress=False)
    df: dict[str, int] = {}
    for toks in tokens:
        for t in set(toks):
            df[t] = df.get(t, 0) + 1
    (gen / "lexical.json").write_text(json.dumps({"ids": ids, "n": len(ids), "df": df}))
    (gen / TERMS).write_text(json.dumps(lexical, separators=(",", ":")))  # read by the next ingest only


def build_index(
    settings: Settings | None = None, embedder: Embedder | None = None, wait: bool = False, progress=None
) -> IngestReport:
    """Bring the index in `settings.index` up to date with `settings.docs`.

    `progress(done, total)`, if given, is called as texts are embedded (the chat page's bar).

    Raises DocsError when the folder has no usable document, IndexBusy when another ingest
    holds the lock (unless `wait`). The live generation is replaced only on success.
    """
    settings = settings or Settings.from_env()
    embedder = embedder or default_embedder()
    t0 = time.perf_counter()
    index_dir = settings.index
    list_files(settings.docs)  # a missing folder fails before the lock is taken
    with _Lock(index_dir, wait):
        live = current_generation(index_dir)
        old = read_manifest(index_dir) if live else None
        params = expected_params(settings, embedder.name)
        compatible = _built_under(old, params)
        old_files = old["files"] if compatible else {}
        documents, warnings = load_documents(settings.docs, known=old_files)
        by_source = {d.source: d for d in documents}
        report = IngestReport(generation="", rebuilt=not compatible and live is not None, warnings=warnings)
        for doc in documents:
            prev = old_files.get(doc.source)
            (
                report.added if prev is None else report.unchanged if prev["sha256"] == doc.sha256 else report.changed
            ).append(doc.source)
        report.deleted = sorted(set(old_files) - set(by_source))
        # Files the folder lists but the reader refused: status() must not call them new.
        skipped = sorted({source for _, source in list_files(settings.docs)} - set(by_source))
        if compatible and not report.changed_anything:
            _refresh_stat(live, documents, settings.docs)
            report.generation = live.name
            report.seconds = time.perf_counter() - t0
            return report

        name = f"gen-{time.time_ns()}-{os.getpid()}"
        work = index_dir / f"{name}.tmp"
        store = params["store"]
        _sweep(index_dir, keep={live.name} if live else set(), store=store)
        try:
            client, chunks_col = build_collections(work, name, store, live if compatible else None)
            for source in report.changed + report.deleted:
                # By id, not by a metadata filter: the ids follow from the key and the counts,
                # and Chroma deletes ids without scanning every record.
                entry = old_files[source]
                chunks_col.delete(ids=[chunk_id(entry["key"], i) for i in range(entry["chunks"])])
            files = {s: e for s, e in old_files.items() if s in by_source and s not in report.changed}
            if compatible:
                sentence_files.carry_over(live, work, {e["key"] for e in files.values()})
            lexical = _old_lexical(live, {e["key"] for e in files.values()}, chunks_col) if compatible else {}
            files.update(
                _write_documents(
                    chunks_col,
                    work,
                    [by_source[s] for s in report.added + report.changed],
                    settings,
                    embedder,
                    report,
                    lexical,
                    progress,
                )
            )
            _write_lexical(work, lexical)
            for source, entry in files.items():
                entry["size"], entry["mtime_ns"] = _file_state(settings.docs / source)
                entry["indexed_at"] = entry.get("indexed_at") if source in report.unchanged else _now()
            manifest = dict(
                params,
                corpus_hash=_corpus_hash(files),
                docs=str(settings.docs.resolve()),
                files=dict(sorted(files.items())),
                skipped=skipped,
                warnings=warnings,
                counts={
                    "documents": len(files),
                    "chunks": chunks_col.count(),
                    "sentences": sum(e["sentences"] for e in files.values()),
                },
                built_at=_now(),
                generation=name,
            )
            (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
            del chunks_col, client
            if store == EMBEDDED:
                _release(work / "chroma")
            _fsync_tree(work)
            os.rename(work, index_dir / name)
            tmp = index_dir / f"{CURRENT}.tmp"
            tmp.write_text(name)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, index_dir / CURRENT)  # the one atomic step that publishes the build
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        _sweep(index_dir, keep={name} | ({live.name} if live else set()), store=store)
        report.generation = name
        report.seconds = time.perf_counter() - t0
        return report


def _refresh_stat(gen: Path, documents: list[Document], docs: Path) -> None:
    """Touched-but-identical files: remember their new mtimes so status() stays cheap."""
    path = gen / MANIFEST
    manifest = json.loads(path.read_text())
    dirty = False
    for doc in documents:
        entry = manifest["files"].get(doc.source)
        state = list(_file_state(docs / doc.source))
        if entry and [entry.get("size"), entry.get("mtime_ns")] != state:
            entry["size"], entry["mtime_ns"] = state
            dirty = True
    if dirty:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(tmp, path)


def _release(path: Path) -> None:
    """Drop Chroma's per-process cache of a client so the folder can be renamed or removed."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(path), None)
    except Exception:  # a private detail of chromadb; losing it costs only a cached handle
        pass


def _corpus_hash(files: dict) -> str:
    h = hashlib.sha256()
    for source in sorted(files):
        h.update(f"{source}\0{files[source]['sha256']}\n".encode())
    return h.hexdigest()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def open_store(gen: Path):
    """(chunks collection, sentence files) of a generation; StoreError if damaged."""
    try:
        manifest = json.loads((gen / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise StoreError(f"index generation {gen} has no readable manifest ({exc})") from exc
    sentence_files.check(gen, {e["key"] for e in manifest.get("files", {}).values()})
    return open_collections(gen, manifest.get("store", EMBEDDED)), sentence_files.Sentences(gen)
