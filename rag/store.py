"""Where the chunk vectors live: immutable Chroma collections ("vector segments") per rule set.

What it does: hands rag/index.py the collections it writes and rag/retrieve.py one object
(`Segments`) that reads a generation's list of them as one store. Embedded (the default): a
`PersistentClient` in `index/store-<tag>/chroma`, one collection per segment. Server
(`RAG_CHROMA_URL` / `--chroma-url`): `chromadb.HttpClient`, collections named after the index
folder, the tag and the segment. Ids are content-addressed (rag/chunks.chunk_id over the
document's key).

Why segments (the log-structured idea of Lucene, as rag/lexical.py does for BM25): Chroma
loads a collection's whole HNSW graph the first time a process writes to (or counts) it:
about 1-2 s at 235k chunks, and more under load, for an ingest that changes one file. So an
ingest never writes to a big collection: it adds its new vectors to a small new segment
named after its generation (`segment_name`); a generation's manifest lists its live
segments; a changed or deleted document's rows in an older segment are tombstones, filtered
at read time by the generation's ids and freed when that segment is merged away. When a
generation would list more than MAX_SEGMENTS segments, the MERGE_FACTOR smallest are copied
(live rows only) into the new segment; a segment whose dead rows exceed MAX_DEAD of it is
copied the same way, and one with no live row is dropped from the list (`merge_plan`). The
merge is the only step whose cost grows with the corpus, amortised over the ingests that
led to it. A sweep deletes whole collections no kept generation lists (`drop_unused`):
cheap, unlike deleting ids from a big graph. The collection of the earlier layout (one
`chunks` collection per rule set, generation.LEGACY_SEGMENT) is read as the first segment of a manifest
that lists none, so indexes built before segments stay valid.

A query asks each segment for its nearest rows and merges them by distance (ties by id):
one Chroma call per segment, a few ms each for small ones. Collections are created with
`embedding_function=None` (a stray text query must never download Chroma's ONNX model) and
cosine space with a high ef_search, so search is effectively exact on small stores.

Why a reader reopens the client for every generation: Chroma's embedded client loads its
HNSW graph at open and does not see vectors another process adds later; a fresh client for
the new generation reads them from Chroma's own log.

What it deliberately doesn't: share one collection between index folders, modify a
segment once a generation lists it, or decide which documents are live (the manifest does,
rag/index.py and rag/generation.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from .errors import BadInput, StoreError
from .generation import LEGACY_SEGMENT, chroma_dir, store_dir

HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200}
EMBEDDED = "embedded"
SEGMENT_PREFIX = "vec-"
MAX_SEGMENTS = 8
MERGE_FACTOR = 4
MAX_DEAD = 0.25


def store_id(chroma_url: str | None) -> str:
    """What the manifest records: 'embedded' or the server's URL (switching store rebuilds)."""
    return chroma_url.rstrip("/") if chroma_url else EMBEDDED


def embedded_client(path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    release(path)  # a fresh view: an earlier client in this process would not see later writes
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def release(path: Path) -> None:
    """Drop Chroma's per-process cache of a client, so the next one reads the folder anew."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(str(path), None)
    except Exception:  # a private detail of chromadb; losing it costs only a cached handle
        pass


_servers: dict = {}  # url -> HttpClient: one per server per process (creating one costs ~0.2 s of TLS set-up)


def server_client(url: str):
    """A client of the Chroma server at `url`, checked alive (heartbeat); StoreError when unreachable."""
    client = _servers.get(url)
    if client is not None:
        try:
            client.heartbeat()
            return client
        except Exception:
            _servers.pop(url, None)  # restarted or gone: a fresh client says which
    client = _new_server_client(url)
    _servers[url] = client
    return client


def _new_server_client(url: str):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parts = urlparse(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"RAG_CHROMA_URL must look like http://host:port, got {url!r}")
    try:
        client = chromadb.HttpClient(
            host=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 8000),
            ssl=parts.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        client.heartbeat()
    except Exception as exc:
        raise StoreError(f"cannot reach the Chroma server at {url} ({exc}); is `chroma run` up?") from exc
    return client


def owner(index_dir: Path) -> str:
    """This index folder's prefix for server collections."""
    return "rag" + hashlib.sha1(str(index_dir.resolve()).encode()).hexdigest()[:10]


def _server_name(index_dir: Path, tag: str) -> str:
    return f"{owner(index_dir)}-{tag}"


def segment_name(generation_name: str) -> str:
    """The segment an ingest writes: named after its generation ("gen-<ns>-<pid>" -> "vec-<ns>-<pid>")."""
    return SEGMENT_PREFIX + generation_name.split("-", 1)[1]


def _collection_name(index_dir: Path, store: str, tag: str, segment: str) -> str:
    if store == EMBEDDED:
        return segment
    base = _server_name(index_dir, tag)
    return base if segment == LEGACY_SEGMENT else f"{base}-{segment}"


def _segment_of(index_dir: Path, store: str, tag: str, collection: str) -> str | None:
    """The segment a collection name holds, or None when it is not one of this store's."""
    if store == EMBEDDED:
        return collection
    base = _server_name(index_dir, tag)
    if collection == base:
        return LEGACY_SEGMENT
    return collection[len(base) + 1 :] if collection.startswith(base + "-") else None


def close(index_dir: Path, store: str, tag: str) -> None:
    """Forget this process's cached client of an embedded store (after an ingest wrote it)."""
    if store == EMBEDDED:
        release(chroma_dir(index_dir, tag))


class Writer:
    """An ingest's access to one rule set's segments: create one, read old ones (a merge), list, drop.

    One client for the whole ingest; opening a small segment loads only its own graph."""

    def __init__(self, index_dir: Path, store: str, tag: str):
        self.index_dir, self.store, self.tag = index_dir, store, tag
        if store == EMBEDDED:
            path = chroma_dir(index_dir, tag)
            path.mkdir(parents=True, exist_ok=True)
            self.client = embedded_client(path)
        else:
            self.client = server_client(store)

    def _name(self, segment: str) -> str:
        return _collection_name(self.index_dir, self.store, self.tag, segment)

    def create(self, segment: str):
        """The collection of a new segment (created when missing: a re-run after a kill reuses it)."""
        return self.client.get_or_create_collection(
            self._name(segment), embedding_function=None, configuration={"hnsw": HNSW}
        )

    def open(self, segment: str):
        return self.client.get_collection(self._name(segment))

    def segments(self) -> set[str]:
        """Every segment this rule set has in the store, listed by a generation or not."""
        names = (c if isinstance(c, str) else c.name for c in self.client.list_collections())
        return {s for s in (_segment_of(self.index_dir, self.store, self.tag, n) for n in names) if s}

    def drop(self, segment: str) -> None:
        try:
            self.client.delete_collection(self._name(segment))
        except Exception:  # already gone (a sweep that was interrupted after it)
            pass


def drop_unused(writer: Writer, in_use: set[str]) -> list[str]:
    """Delete every segment of the writer's rule set that no kept generation lists; their names."""
    gone = sorted(writer.segments() - set(in_use))
    for segment in gone:
        writer.drop(segment)
    return gone


def merge_plan(segments: list[dict], live_rows: dict[str, int], adding: bool) -> tuple[list[str], list[str]]:
    """(segments to copy into the new one, segments to drop from the list) for a generation.

    `segments`: the old generation's [{"name", "rows"}]; `live_rows`: {segment: its rows the new
    generation still uses}; `adding`: this ingest writes a new segment anyway. A segment with no
    live row is dropped; one with more than MAX_DEAD dead rows is copied (its live rows only);
    if more than MAX_SEGMENTS would remain, the MERGE_FACTOR smallest are copied too."""
    empty = [s["name"] for s in segments if not live_rows.get(s["name"], 0)]
    copy = [
        s["name"]
        for s in segments
        if s["name"] not in empty and s["rows"] - live_rows.get(s["name"], 0) > MAX_DEAD * s["rows"]
    ]
    rest = [s for s in segments if s["name"] not in empty and s["name"] not in copy]
    if len(rest) + int(adding or bool(copy)) > MAX_SEGMENTS:
        smallest = sorted(rest, key=lambda s: (live_rows.get(s["name"], 0), s["name"]))
        copy += [s["name"] for s in smallest[: max(MERGE_FACTOR, len(rest) + 1 - MAX_SEGMENTS)]]
    return copy, empty


def copy_rows(source, target, ids: list[str], batch: int = 2000) -> int:
    """Copy the rows `ids` (vectors, texts, metadata) of one collection into another; rows copied."""
    done = 0
    for i in range(0, len(ids), batch):
        got = source.get(ids=ids[i : i + batch], include=["embeddings", "documents", "metadatas"])
        if got["ids"]:
            target.upsert(
                ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"], metadatas=got["metadatas"]
            )
            done += len(got["ids"])
    return done


class Segments:
    """A generation's vector segments read as one collection: `query`, `get` and `count` with
    Chroma's arguments and result shapes (the subset rag/retrieve.py and rag/engine.py use).

    A chunk id may sit in two segments (a document changed back to an earlier version is
    re-added while its old row is still a tombstone elsewhere): same id, same bytes, so the
    first found is kept."""

    def __init__(self, collections: list, client=None, identity=None, counted: dict[str, int] | None = None):
        self.collections = collections
        counted = counted or {}  # rows of segments counted before (a published segment never changes)
        self._counts = [counted[c.name] if c.name in counted else c.count() for c in collections]
        self.client, self.identity = client, identity  # (embedded: what `readable(reuse=)` checks)

    @property
    def configuration(self):
        return self.collections[0].configuration if self.collections else {}

    def count(self) -> int:
        """Rows stored, tombstones included (at least the generation's live chunks)."""
        return sum(self._counts)

    def query(self, query_embeddings, n_results: int = 10, include: Iterable[str] = ("distances",)) -> dict:
        """The `n_results` nearest rows over every segment, by distance then id (one query vector)."""
        include = list(include)
        fields = [f for f in include if f != "distances"]
        rows = {}
        for col, n in zip(self.collections, self._counts):
            if not n:
                continue
            got = col.query(
                query_embeddings=query_embeddings, n_results=min(n_results, n), include=["distances", *fields]
            )
            for j, cid in enumerate(got["ids"][0]):
                if cid not in rows:
                    rows[cid] = (got["distances"][0][j], {f: got[f][0][j] for f in fields})
        best = sorted(rows.items(), key=lambda kv: (kv[1][0], kv[0]))[:n_results]
        out = {"ids": [[cid for cid, _ in best]], "distances": [[d for _, (d, _) in best]]}
        for f in fields:
            out[f] = [[extra[f] for _, (_, extra) in best]]
        return out

    def get(self, ids: list[str] | None = None, include: Iterable[str] = ("metadatas", "documents")) -> dict:
        """Rows by id (in the order found), or every row when `ids` is None."""
        include = list(include)
        want = None if ids is None else set(ids)
        out: dict = {"ids": [], **{f: [] for f in include}}
        seen: set[str] = set()
        for col in self.collections:
            if want is not None and not (want - seen):
                break
            got = col.get(ids=sorted(want - seen) if want is not None else None, include=include)
            for j, cid in enumerate(got["ids"]):
                if cid in seen:
                    continue
                seen.add(cid)
                out["ids"].append(cid)
                for f in include:
                    out[f].append(got[f][j])
        if "embeddings" in include:
            out["embeddings"] = np.asarray(out["embeddings"], dtype=np.float32)
        return out


def writable(index_dir: Path, store: str, tag: str) -> Writer:
    """The writer an ingest uses for the rule set `tag`."""
    return Writer(index_dir, store, tag)


def readable(index_dir: Path, store: str, tag: str, segments: list[str], reuse: Segments | None = None) -> Segments:
    """The segments a published generation reads; StoreError if one is missing or damaged.

    `reuse`: the segments the same reader read before (the generation before this one), whose
    embedded client is kept when the store's database is still the same file: a published
    segment never changes (an ingest adds a new one, a merge writes a new one and the sweep
    drops the old ones), so the segments it loaded stay valid and only the new ones are
    loaded. A fresh client would load every segment's graph again: 1.8-2.8 s for the 19k-row
    segment of the 1,000-file bench base under load, what a reader paid after every update.
    A new reader (another Engine) always starts with a fresh client, so damage done in place
    is seen (tests/test_index.py)."""
    if store == EMBEDDED:
        path = chroma_dir(index_dir, tag)
        if not path.is_dir():
            raise StoreError(f"index at {index_dir} has no Chroma store")
        try:
            identity = _identity(path)
            counted = None
            if identity is not None and reuse is not None and reuse.client is not None and reuse.identity == identity:
                client = reuse.client
                counted = {c.name: n for c, n in zip(reuse.collections, reuse._counts)}
            else:
                client = embedded_client(path)
            named = [client.get_collection(_collection_name(index_dir, store, tag, s)) for s in segments]
            return Segments(named, client, identity, counted)
        except Exception as exc:  # chromadb raises many types for a damaged store
            raise StoreError(f"index at {index_dir} is damaged ({type(exc).__name__}: {exc})") from exc
    client = server_client(store)
    try:
        return Segments([client.get_collection(_collection_name(index_dir, store, tag, s)) for s in segments])
    except Exception as exc:
        raise StoreError(f"the Chroma server at {store} lacks this index's collections ({exc})") from exc


def _identity(path: Path) -> tuple | None:
    """Which store folder and database file `path` holds: a store made anew (a rebuild after
    damage, another process's `reset`) is another one, whose segments must be read afresh."""
    db = path / "chroma.sqlite3"
    try:
        st_dir, st_db = os.stat(path), os.stat(db)
    except OSError:
        return None  # (never reused)
    return (str(path), st_dir.st_ino, st_db.st_dev, st_db.st_ino)


def drop(index_dir: Path, store: str, tag: str) -> None:
    """Remove a whole store (its rules are no longer used by any kept generation, or it is damaged)."""
    if store != EMBEDDED:
        try:
            writer = Writer(index_dir, store, tag)
            for segment in writer.segments():
                writer.drop(segment)
        except StoreError:
            raise
        except Exception:  # already gone
            pass
    release(chroma_dir(index_dir, tag))
    shutil.rmtree(store_dir(index_dir, tag), ignore_errors=True)
