"""Where the chunk vectors live: one long-lived Chroma collection per index folder and rule set.

What it does: hands rag/index.py and rag/retrieve.py the `chunks` collection that every
generation built under the same rules shares (rag/generation.py names the folders).
Embedded (the default): a `PersistentClient` in `index/store-<tag>/chroma`. Server
(`RAG_CHROMA_URL` / `--chroma-url`): `chromadb.HttpClient`, one collection named after the
index folder and the tag. Ids are content-addressed (rag/chunks.chunk_id over the
document's key), so an ingest adds the changed documents' vectors beside the live ones and
deletes what no kept generation references afterwards; readers filter by their
generation's ids (rag/retrieve.py). Collections are created with `embedding_function=None`
(a stray text query must never download Chroma's ONNX model) and cosine space with a high
ef_search, so search is effectively exact on small stores.

Why a reader reopens the client for every generation: Chroma's embedded client loads its
HNSW graph at open and does not see vectors another process adds later; a fresh client for
the new generation reads them from Chroma's own log.

What it deliberately doesn't: share one collection between index folders, or modify a
vector any published generation uses (ids are content-addressed: same id, same bytes).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import urlparse

from .errors import BadInput, StoreError
from .generation import chroma_dir, store_dir

HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200}
EMBEDDED = "embedded"
COLLECTION = "chunks"


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


def close(index_dir: Path, store: str, tag: str) -> None:
    """Forget this process's cached client of an embedded store (after an ingest wrote it)."""
    if store == EMBEDDED:
        release(chroma_dir(index_dir, tag))


def writable(index_dir: Path, store: str, tag: str):
    """The collection an ingest adds to (created when missing)."""
    if store == EMBEDDED:
        path = chroma_dir(index_dir, tag)
        path.mkdir(parents=True, exist_ok=True)
        client, name = embedded_client(path), COLLECTION
    else:
        client, name = server_client(store), _server_name(index_dir, tag)
    return client.get_or_create_collection(name, embedding_function=None, configuration={"hnsw": HNSW})


def readable(index_dir: Path, store: str, tag: str):
    """The collection a published generation reads; StoreError if missing or damaged."""
    if store == EMBEDDED:
        path = chroma_dir(index_dir, tag)
        if not path.is_dir():
            raise StoreError(f"index at {index_dir} has no Chroma store")
        try:
            return embedded_client(path).get_collection(COLLECTION)
        except Exception as exc:  # chromadb raises many types for a damaged store
            raise StoreError(f"index at {index_dir} is damaged ({type(exc).__name__}: {exc})") from exc
    client = server_client(store)
    try:
        return client.get_collection(_server_name(index_dir, tag))
    except Exception as exc:
        raise StoreError(f"the Chroma server at {store} lacks this index's collection ({exc})") from exc


def delete_ids(collection, ids: list[str], batch: int = 5000) -> None:
    for i in range(0, len(ids), batch):
        collection.delete(ids=ids[i : i + batch])


def drop(index_dir: Path, store: str, tag: str) -> None:
    """Remove a whole store (its rules are no longer used by any kept generation, or it is damaged)."""
    if store != EMBEDDED:
        try:
            server_client(store).delete_collection(_server_name(index_dir, tag))
        except StoreError:
            raise
        except Exception:  # already gone
            pass
    release(chroma_dir(index_dir, tag))
    shutil.rmtree(store_dir(index_dir, tag), ignore_errors=True)
