"""Where the vectors live: an embedded Chroma store per index generation, or a Chroma server.

What it does: hands rag/index.py the `chunks` collection of a generation being built or
read (sentence vectors are files beside it: rag/sentences.py). Embedded (the default): a
`PersistentClient` in `index/<gen>/chroma`.
Server (`RAG_CHROMA_URL` / `--chroma-url`): `chromadb.HttpClient`, with one collection
per generation, named after the index folder and the generation, so the same
atomic CURRENT swap, manifest and incremental ingest work unchanged; BM25 terms, sentence files and
the manifest stay in the local index folder. Collections are created with
`embedding_function=None` (a stray text query must never download Chroma's ONNX model)
and cosine space with a high ef_search, so search is effectively exact on small stores.

What it deliberately doesn't: share one collection between index folders or update a live
collection in place (a half-done update would be what users query).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import urlparse

from .errors import BadInput, StoreError

HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 200}
EMBEDDED = "embedded"
_COPY_BATCH = 1000


def store_id(chroma_url: str | None) -> str:
    """What the manifest records: 'embedded' or the server's URL (switching store rebuilds)."""
    return chroma_url.rstrip("/") if chroma_url else EMBEDDED


def embedded_client(path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def server_client(url: str):
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


def _owner(index_dir: Path) -> str:
    return "rag" + hashlib.sha1(str(index_dir.resolve()).encode()).hexdigest()[:10]


def _name(index_dir: Path, generation: str) -> str:
    return f"{_owner(index_dir)}-{generation}-chunks"


def _create(client, name: str):
    return client.get_or_create_collection(name, embedding_function=None, configuration={"hnsw": HNSW})


def _copy(src, dst) -> None:
    offset = 0
    while True:
        got = src.get(include=["embeddings", "documents", "metadatas"], limit=_COPY_BATCH, offset=offset)
        if not got["ids"]:
            return
        dst.add(ids=got["ids"], embeddings=got["embeddings"], documents=got["documents"], metadatas=got["metadatas"])
        offset += len(got["ids"])


def build_collections(work: Path, generation: str, store: str, live: Path | None):
    """(client, chunks) for a new generation; a copy of `live`'s when given."""
    if store == EMBEDDED:
        if live is not None:
            shutil.copytree(live / "chroma", work / "chroma")
        else:
            work.mkdir(parents=True)
        client = embedded_client(work / "chroma")
        return client, _create(client, "chunks")
    work.mkdir(parents=True)
    client = server_client(store)
    new = _create(client, _name(work.parent, generation))
    if live is not None:
        _copy(client.get_collection(_name(work.parent, live.name)), new)
    return client, new


def open_collections(gen: Path, store: str):
    """The chunks collection of a published generation; StoreError if missing or damaged."""
    if store == EMBEDDED:
        if not (gen / "chroma").is_dir():
            raise StoreError(f"index generation {gen} has no Chroma store")
        try:
            client = embedded_client(gen / "chroma")
            return client.get_collection("chunks")
        except Exception as exc:  # chromadb raises many types for a damaged store
            raise StoreError(f"index at {gen.parent} is damaged ({type(exc).__name__}: {exc})") from exc
    client = server_client(store)
    try:
        return client.get_collection(_name(gen.parent, gen.name))
    except Exception as exc:
        raise StoreError(f"the Chroma server at {store} lacks this index's collections ({exc})") from exc


def sweep(index_dir: Path, store: str, keep: set[str]) -> None:
    """Drop server collections of this index folder's generations that are no longer kept."""
    if store == EMBEDDED:
        return  # embedded stores live inside the generation folders, removed with them
    client = server_client(store)
    owner = _owner(index_dir)
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if name.startswith(owner + "-gen-"):
            generation = name[len(owner) + 1 : -len("-chunks")]
            if generation not in keep:
                client.delete_collection(name)
