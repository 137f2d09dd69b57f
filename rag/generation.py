"""The index folder's layout: generations, the manifest, the CURRENT pointer, the lock, publish, sweep.

What it does: an index folder holds

    CURRENT                 one line: the name of the live generation
    .lock                   held (flock) by the one ingest running; readers never take it
    gen-<ns>-<pid>/         a published generation: manifest.json (store tag, the vector
                            segments and the lexical segments and tombstones it reads, the file
                            table's changes) and files.json (the file table's base: a hard link
                            to the one before, rewritten only when the changes pile up)
    gen-<ns>-<pid>.tmp/     a build in progress (or killed); pending.json lists the vectors it added
    store-<tag>/            the long-lived store shared by every generation built under the same
                            rules (`tag` digests them): chroma/ (embedded mode: one collection
                            per vector segment, rag/store.py), sentences/, and
                            lexical/seg-<digest>/ (BM25 segments, rag/lexical.py)

A generation is small (its manifest); the vectors and BM25 segments are content-addressed
(a document's key digests its path and bytes; a segment's name its keys) and live once in
the store, so an ingest adds only the changed documents' vectors (one new vector segment,
named after the build) and one BM25 segment, then
publishes the new generation by one atomic rename of CURRENT. Readers restrict every
lookup to the ids and segments their generation lists, so what a running or killed ingest
added is invisible. Sentence files, vector segments and BM25 segments that no kept
generation (the live one and the one before it, which a reader may still hold) references
are deleted by `orphans()` / `vector_segments_in_use()` / `segments_in_use()` + the caller,
then the generation folders are removed: a crash between the two leaves folders that the
next sweep finishes.

The file table ({source: entry}, one entry per indexed file) is the one part of a generation
whose size follows the corpus: 4 MB at 12k files. An update must not parse, copy or rewrite it
(`Table`): the base is immutable and shared by hard link, so publishing a one-file update writes
a manifest holding only the entries changed since the base (the log-structured idea again, as in
rag/lexical.py); when they pass FOLD_AT, the next generation writes a new base. Readers get the
merged table from `manifest()` as before.

Every other module names these files through this one: nothing else spells "CURRENT" or
"manifest.json". What it deliberately doesn't: know about Chroma, BM25 or embeddings
(rag/store.py, rag/index.py); it only names, reads, locks and renames.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path

import orjson

from .errors import IndexBusy, StoreError

# 2: subjects; 3: sentences in per-document files; 4: one shared, content-addressed store;
# 5: BM25 in shared segments with tombstones (rag/lexical.py) instead of one bm25s index per generation;
# still 5 with vector segments (manifest "vectors", rag/store.py): a manifest without them reads its
# one collection as its only segment, so indexes built before stay valid (a reader older than
# segments must not read an index written after them: it would see only that first collection)
# 6: the file table split from the manifest (TABLE + the manifest's "table" changes, see Table);
# a format-5 index is read and updated in place (its first update writes the table), never rebuilt
FORMAT_VERSION = 6
READS = (5, 6)  # formats this version reads and updates in place (their stores are the same)
STORE_FORMAT = 5  # the layout of a shared store (vectors, sentences, BM25): the same under formats 5 and 6
CURRENT = "CURRENT"
LOCK = ".lock"
MANIFEST = "manifest.json"
TABLE = "files.json"  # in a generation folder: the file table's base, hard-linked from generation to generation
PENDING = "pending.json"  # in a build folder: {key: chunks} of vectors it is adding (for the sweep)
PREFIX = "gen-"
BUILDING = ".tmp"
STORE_PREFIX = "store-"
CHROMA = "chroma"  # in a store folder: the embedded Chroma database
SENTENCES = "sentences"  # in a store folder: per-document sentence files (rag/sentences.py)
LEXICAL = "lexical"  # in a store folder: BM25 segments, one folder each (rag/lexical.py)
# A format-5 manifest without "vectors" was written before vector segments: its one collection,
# named so, is its only segment (indexes built then stay valid; no FORMAT_VERSION bump).
LEGACY_SEGMENT = "chunks"


# Reading -------------------------------------------------------------------------------------


def current(index_dir: Path) -> Path | None:
    """The live generation's folder, or None when there is none (or CURRENT names a missing one)."""
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except OSError:
        return None
    gen = index_dir / name
    return gen if name and gen.is_dir() else None


def has_pointer(index_dir: Path) -> bool:
    return (index_dir / CURRENT).exists()


def manifest(gen: Path) -> dict:
    """The manifest of a generation, its file table merged in as "files" ({source: entry},
    sorted); StoreError when it is unreadable or of a format version this one does not read."""
    data = _head(gen)
    try:
        return _merged(gen, data)
    except (OSError, ValueError) as exc:
        raise StoreError(f"index generation {gen} has no readable file table ({exc})") from exc


def _head(gen: Path) -> dict:
    """The manifest file alone (for a format-6 generation: without the file table's base)."""
    try:
        data = orjson.loads((gen / MANIFEST).read_bytes())
    except (OSError, ValueError) as exc:  # (orjson.JSONDecodeError is a ValueError)
        raise StoreError(f"index generation {gen} has no readable manifest ({exc})") from exc
    if not isinstance(data, dict) or data.get("format_version") not in READS:
        found = data.get("format_version") if isinstance(data, dict) else None
        raise StoreError(f"index at {gen.parent} has format {found}, this version reads {READS}; rebuild it")
    return data


def _merged(gen: Path, data: dict) -> dict:
    if "table" not in data:  # format 5: the table inline
        return data
    files = orjson.loads((gen / TABLE).read_bytes())  # a fresh parse: readers may modify what they get
    changes = data["table"].get("changes", {})
    for source, entry in changes.items():
        if entry is None:
            files.pop(source, None)
        else:
            files[source] = entry
    data["files"] = dict(sorted(files.items())) if changes else files
    return data


def read_manifest(index_dir: Path) -> dict | None:
    """The live generation's manifest (any format version), its file table merged in as
    "files", or None when missing or unreadable."""
    gen = current(index_dir)
    if gen is None:
        return None
    try:
        data = orjson.loads((gen / MANIFEST).read_bytes())
        return _merged(gen, data) if isinstance(data, dict) else None
    except (OSError, ValueError, AttributeError):
        return None


FOLD_AT = 512  # changed entries a manifest carries before the next generation writes a new base


class Table:
    """The file table an ingest updates: {source: entry} as an immutable base plus changes.

    `base` is the parsed TABLE of the generation it starts from (shared with the parse cache:
    never modified); `changes` maps a source to its new entry, or to None when the source was
    removed from the base. `count` is the number of live entries. Reading one source, setting
    one and publishing cost what the changes cost, not what the base holds; `items()` (merges,
    folds) is the one walk over all of it."""

    def __init__(self, base: dict, changes: dict, count: int, linkable: Path | None):
        self.base = base
        self.changes = dict(changes)
        self.count = count
        self.linkable = linkable  # the generation folder whose TABLE holds `base` (None: write one)

    @classmethod
    def empty(cls) -> Table:
        return cls({}, {}, 0, None)

    @classmethod
    def of(cls, gen: Path, data: dict) -> Table:
        """The table of published generation `gen` whose manifest file reads `data` (`_head`)."""
        if "table" not in data:  # format 5: everything inline, written out as a base next time
            files = data.get("files", {})
            return cls(files, {}, len(files), None)
        base = _read_json(gen / TABLE)
        if not isinstance(base, dict):
            raise StoreError(f"index generation {gen} has no readable file table")
        changes = data["table"].get("changes", {})
        return cls(base, changes, data.get("counts", {}).get("documents", 0), gen)

    def get(self, source: str) -> dict | None:
        if source in self.changes:
            return self.changes[source]
        return self.base.get(source)

    def __len__(self) -> int:
        return self.count

    def set(self, source: str, entry: dict) -> None:
        if self.get(source) is None:
            self.count += 1
        self.changes[source] = entry

    def remove(self, source: str) -> None:
        if self.get(source) is not None:
            self.count -= 1
        if source in self.base:
            self.changes[source] = None
        else:
            self.changes.pop(source, None)

    def sources(self) -> set[str]:
        """Every live source (a walk over the base: for deletions, which the caller detects first)."""
        live = set(self.base)
        for source, entry in self.changes.items():
            (live.add if entry is not None else live.discard)(source)
        return live

    def items(self):
        """(source, entry) of every live entry, the base's first (a walk over the whole table)."""
        for source, entry in self.base.items():
            if source not in self.changes:
                yield source, entry
        for source, entry in self.changes.items():
            if entry is not None:
                yield source, entry

    def fold_due(self) -> bool:
        return self.linkable is None or len(self.changes) > min(FOLD_AT, max(16, len(self.base) // 8))


def table(gen: Path, data: dict | None = None) -> Table:
    """The file table of published generation `gen` (its manifest file reads `data`, else it is
    read), for reading only: its base is parsed once per version of the file in this process,
    and a one-file update's generation shares the base's file (a hard link), so a reader that
    reopens after it looks up its changes only. StoreError when unreadable."""
    return Table.of(gen, _head(gen) if data is None else data)


def chunk_counts(gen: Path, data: dict) -> dict[str, int]:
    """{document key: chunks} of published generation `gen` whose manifest file reads `data`:
    what a reader needs to tell its live chunk ids. The base's part is computed once per
    version of its file (`_base_references`, shared with the sweep) and copied; the changes
    are applied to the copy. StoreError when the table is unreadable."""
    if "table" in data and not isinstance(_read_json(gen / TABLE), dict):
        raise StoreError(f"index generation {gen} has no readable file table")
    return _chunk_counts(gen, data)


def _chunk_counts(gen: Path, data: dict) -> dict[str, int]:
    """chunk_counts, an unreadable base read as empty (the sweep: the changes still count)."""
    if "table" not in data:  # format 5: the table inline
        return {e["key"]: e["chunks"] for e in data.get("files", {}).values()}
    base, keys = _base_references(gen / TABLE)
    out = dict(base)  # (one C-level copy; the changes below are the small part)
    for source, entry in data["table"].get("changes", {}).items():
        if source in keys:
            out.pop(keys[source], None)
        if entry is not None:
            out[entry["key"]] = entry["chunks"]
    return out


def file_state(path: Path | str) -> list[int]:
    """[size, mtime_ns]: the cheap signal for "this file may have changed"."""
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


def skip_state(path: Path | str) -> list[int] | None:
    """[size, mtime_ns] recorded for a file skipped: its stat, or the link's own lstat when it is
    a broken link or a loop (so it is not retried at every look, only when the link or its
    target changes: a target that appears makes the stat succeed, and differ), or a link to a
    folder outside (whose files come and go: no reason to rescan); None when gone."""
    try:
        if not os.path.isdir(path):
            return file_state(path)
    except OSError:
        pass
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def retried(entry: dict) -> bool:
    """True for a file skipped last time because it could not be read: it is tried again on every
    check, since a permission put right (`chmod`) moves neither its size nor its mtime, and a
    failed open costs next to nothing."""
    return str(entry.get("reason", "")).startswith("cannot read")


def skipped_unmoved(path: Path | str, entry: dict | None) -> bool:
    """True when a file skipped last time is as it was then (`skip_state`): not worth another try
    (never for one that could not be read: `retried`)."""
    if not entry or entry.get("size") is None or retried(entry):
        return False
    return [entry.get("size"), entry.get("mtime_ns")] == skip_state(path)


def unmoved(path: Path | str, entry: dict | None, state: os.stat_result | None = None) -> bool:
    """The one file-changed check: True when `path` still has the size and mtime `entry` recorded.

    `state`: the file's stat when the caller has it already (not a symlink's lstat). A moved
    file is not necessarily changed (callers compare content hashes next); an unmoved one is
    trusted unchanged, as make and rsync do."""
    if not entry:
        return False
    if state is None:
        try:
            state = os.stat(path)
        except OSError:
            return False
    # (two comparisons, no lists: a folder rescan makes this check once per file)
    return entry.get("size") == state.st_size and entry.get("mtime_ns") == state.st_mtime_ns


def store_dir(index_dir: Path, tag: str) -> Path:
    return index_dir / f"{STORE_PREFIX}{tag}"


def chroma_dir(index_dir: Path, tag: str) -> Path:
    return store_dir(index_dir, tag) / CHROMA


def sentences_dir(store: Path) -> Path:
    return store / SENTENCES


def lexical_dir(store: Path) -> Path:
    return store / LEXICAL


def segment_dir(store: Path, name: str) -> Path:
    """The folder of BM25 segment `name` (rag/lexical.py writes and reads it)."""
    return lexical_dir(store) / name


# Writing --------------------------------------------------------------------------------------


class Lock:
    """The advisory ingest lock of an index folder: non-blocking (IndexBusy) or waiting."""

    def __init__(self, index_dir: Path, wait: bool):
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
        except PermissionError as exc:
            raise not_writable(index_dir, exc) from exc
        except (FileExistsError, NotADirectoryError) as exc:  # --index names a file
            raise StoreError(
                f"cannot use {index_dir} as the index folder: it, or a folder above it, is a file or a broken link "
                "(pass --index a folder)"
            ) from exc
        self.path = index_dir / LOCK
        self.wait = wait

    def __enter__(self):
        try:
            self.fh = open(self.path, "a+")
        except PermissionError as exc:  # a read-only index folder (or lock file): nothing was changed
            raise not_writable(self.path.parent, exc) from exc
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


def new_build(index_dir: Path) -> tuple[str, Path]:
    """(name, folder) of a generation to build; the folder exists and is empty."""
    name = f"{PREFIX}{time.time_ns()}-{os.getpid()}"
    work = index_dir / f"{name}{BUILDING}"
    work.mkdir(parents=True)
    return name, work


def write_json(path: Path, data, durable: bool = False) -> None:
    """Write JSON by a rename, so a reader or a crash never sees half a file."""
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        # orjson (chromadb's own dependency): the same compact UTF-8 JSON as json.dumps, 12x faster
        # on a manifest of 12k files (0.06 s -> 0.005 s; more under load), paid at every ingest
        fh.write(orjson.dumps(data))
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_table(work: Path, table: Table) -> dict:
    """Give build folder `work` its file table and return the manifest's "table" section: a hard
    link to the base it started from plus the changes, or (when `fold_due`, or no base can be
    linked) a new base holding every entry and no changes."""
    if not table.fold_due():
        try:
            os.link(table.linkable / TABLE, work / TABLE)
            return {"changes": dict(sorted(table.changes.items()))}
        except OSError:  # a file system without hard links: the base is written out below
            pass
    files = dict(sorted(table.items()))
    write_json(work / TABLE, files)
    _remember(work / TABLE, files)  # the next ingest in this process starts from it: not parsed again
    return {"changes": {}}


def publish(index_dir: Path, work: Path, name: str, manifest_data: dict) -> Path:
    """Write the manifest (its file table in `work` already: `write_table`), make the build
    durable, and make it live with one atomic rename."""
    write_json(work / MANIFEST, manifest_data)
    _fsync_tree(work)
    gen = index_dir / name
    os.rename(work, gen)
    _remember(gen / MANIFEST, manifest_data)  # the sweep right after reads it: not parsed again
    tmp = index_dir / f"{CURRENT}{BUILDING}"
    with open(tmp, "w") as fh:
        fh.write(name)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)  # the one step that publishes the build
    _fsync_dir(index_dir)
    return gen


def rewrite_manifest(gen: Path, manifest_data: dict) -> None:
    """Update a published manifest file in place (only stat fields that no reader depends on)."""
    write_json(gen / MANIFEST, manifest_data, durable=True)


def head(gen: Path) -> dict:
    """A generation's manifest file as written (format 6: without its file table's base): what
    an ingest reads, with `Table.of`, instead of parsing the whole table."""
    return _head(gen)


def unwritable(index_dir: Path) -> Path | None:
    """The first file or folder of an index folder this process may not write (os.access),
    or None. A permission problem is never damage: callers that would delete or rebuild ask
    this first. It walks the folder (sentence files included), so it is for error paths only."""
    if not index_dir.exists():
        return None
    for dirpath, _, filenames in os.walk(index_dir):
        for path in [Path(dirpath), *(Path(dirpath) / n for n in sorted(filenames))]:
            if not os.access(path, os.W_OK):
                return path
    return None


def not_writable(index_dir: Path, cause: object = None) -> StoreError:
    """The one message for an index this user may not write (a read-only share, another owner)."""
    where = unwritable(index_dir) or index_dir
    why = f" ({cause})" if cause else ""
    return StoreError(
        f"index at {index_dir} is not writable by this user: {where}{why}. Nothing was changed. Chroma "
        "opens its database read-write, so give this user write access to the index folder "
        "(or point RAG_INDEX at a writable copy of it)"
    )


def drop_pointer(index_dir: Path) -> None:
    """Forget the live generation (a damaged index about to be rebuilt)."""
    (index_dir / CURRENT).unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            with open(Path(dirpath) / name, "rb") as fh:
                os.fsync(fh.fileno())
        _fsync_dir(Path(dirpath))


# Sweeping ---------------------------------------------------------------------------------------


def generations(index_dir: Path) -> list[Path]:
    """Every generation folder, published or not, oldest first."""
    if not index_dir.is_dir():
        return []
    return sorted((p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith(PREFIX)), key=lambda p: p.name)


def kept(index_dir: Path) -> set[str]:
    """Names of the generations a sweep before a build keeps: the live one and the newest
    published one before it (a reader may still be answering from it)."""
    live = current(index_dir)
    if live is None:
        return set()
    older = [g.name for g in generations(index_dir) if not g.name.endswith(BUILDING) and g.name < live.name]
    return {live.name, *older[-1:]}


_parsed: dict[tuple, object] = {}  # (device, inode, size, mtime) -> parsed JSON


def _read_json(path: Path):
    """A JSON file's content (None when missing or unreadable), parsed once per version of the
    file, found by inode (hard links of one file table share the parse). A sweep reads every
    generation's manifest, twice per ingest, and they rarely change. Callers never modify it."""
    try:
        version = _version(path)
        if version is None:
            return None
        hit = _parsed.get(version)
        if hit is not None:
            return hit
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    _keep(version, data)
    return data


def _keep(version: tuple, data) -> None:
    if len(_parsed) > 64:
        _parsed.clear()
    _parsed[version] = data


def vector_segments(manifest_data: dict) -> list[dict]:
    """A manifest's vector segments, [{"name", "rows"}], oldest first (the legacy one when it lists none)."""
    section = manifest_data.get("vectors")
    if section is None:
        return [{"name": LEGACY_SEGMENT, "rows": manifest_data.get("counts", {}).get("chunks", 0)}]
    return list(section.get("segments", []))


def vector_segment_of(entry: dict) -> str:
    """The vector segment holding a manifest file entry's chunks."""
    return entry.get("vectors", LEGACY_SEGMENT)


def vector_segments_in_use(index_dir: Path, keep: set[str]) -> dict[str, set[str]]:
    """{store tag: names of the vector segments the generations in `keep` list}."""
    out: dict[str, set[str]] = {}
    for gen in generations(index_dir):
        if gen.name in keep:
            data = _read_json(gen / MANIFEST)
            if isinstance(data, dict) and data.get("store_tag"):
                out.setdefault(data["store_tag"], set()).update(s["name"] for s in vector_segments(data))
    return out


_refs: dict[str, tuple[object, tuple]] = {}  # generation folder -> (its files' versions, _references)


def _remember(path: Path, data) -> None:
    """Prime _read_json's cache with what was just written (same inode, size and mtime)."""
    try:
        version = _version(path)
    except OSError:
        return
    if version is not None:
        _keep(version, data)


_table_refs: dict[tuple, tuple[dict[str, int], dict[str, str]]] = {}  # base version -> ({key: chunks}, {source: key})


def _base_references(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """({key: chunks}, {source: key}) of a file table base, computed once per version of it
    (hard links share one: every generation since the last fold)."""
    version = _version(path)
    hit = _table_refs.get(version) if version else None
    if hit is not None:
        return hit
    data = _read_json(path)
    files = data if isinstance(data, dict) else {}
    out = ({e["key"]: e["chunks"] for e in files.values()}, {s: e["key"] for s, e in files.items()})
    if len(_table_refs) > 8:
        _table_refs.clear()
    if version:
        _table_refs[version] = out
    return out


def _references(gen: Path) -> tuple[str | None, dict[str, int], set[str]]:
    """(store tag, {document key: chunks}, BM25 segment names) a generation folder uses; a
    build's pending list included. Computed once per version of its files (two sweeps per
    ingest read every kept generation: 12k files' entries each)."""
    try:
        version = tuple(_version(gen / name) for name in (MANIFEST, PENDING, TABLE))
    except OSError:
        version = None
    hit = _refs.get(str(gen))
    if version is not None and hit and hit[0] == version:
        return hit[1]
    out = _compute_references(gen)
    if len(_refs) > 64:
        _refs.clear()
    if version is not None:
        _refs[str(gen)] = (version, out)
    return out


def _version(path: Path):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _compute_references(gen: Path) -> tuple[str | None, dict[str, int], set[str]]:
    refs: dict[str, int] = {}
    segments: set[str] = set()
    tag = None
    for name in (MANIFEST, PENDING):
        data = _read_json(gen / name)
        if data is None:
            continue
        if not isinstance(data, dict):
            continue
        if name == MANIFEST:
            tag = data.get("store_tag")
            refs.update(_chunk_counts(gen, data))
            segments.update(s["name"] for s in data.get("lexical", {}).get("segments", []))
        else:
            tag = tag or data.get("store_tag")
            refs.update(data.get("keys", {}))
    return tag, refs, segments


def segments_in_use(index_dir: Path, keep: set[str]) -> dict[str, set[str]]:
    """{store tag: names of the BM25 segments the generations in `keep` list}."""
    out: dict[str, set[str]] = {}
    for gen in generations(index_dir):
        if gen.name in keep:
            tag, _, segments = _references(gen)
            if tag:
                out.setdefault(tag, set()).update(segments)
    return out


def orphans(index_dir: Path, keep: set[str]) -> tuple[dict[str, dict[str, int]], set[str]]:
    """What sweeping every generation not in `keep` frees: ({store tag: {key: chunks}}, tags kept).

    Keys still referenced by a kept generation are never listed."""
    kept: dict[str | None, set[str]] = {}
    dropped: dict[str | None, dict[str, int]] = {}
    for gen in generations(index_dir):
        tag, refs, _ = _references(gen)
        if gen.name in keep:
            kept.setdefault(tag, set()).update(refs)
        else:
            dropped.setdefault(tag, {}).update(refs)
    out = {tag: {k: refs[k] for k in refs.keys() - kept.get(tag, set())} for tag, refs in dropped.items()}
    return {t: r for t, r in out.items() if t and r}, {t for t in kept if t}


def remove_generations(index_dir: Path, keep: set[str]) -> None:
    """Delete every generation folder not in `keep` (after the caller freed their orphans)."""
    for gen in generations(index_dir):
        if gen.name not in keep:
            shutil.rmtree(gen, ignore_errors=True)
    for leftover in index_dir.glob(f"*{BUILDING}"):
        if leftover.is_file():
            leftover.unlink(missing_ok=True)


def stores(index_dir: Path) -> list[str]:
    """Tags of the store folders in an index folder."""
    if not index_dir.is_dir():
        return []
    return sorted(p.name[len(STORE_PREFIX) :] for p in index_dir.iterdir() if p.name.startswith(STORE_PREFIX))
