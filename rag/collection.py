"""The documents folder as the chat page manages it: list what is indexed, add uploads, remove one.

What it does: `listing(manifest)` turns the live index's manifest into one dict per file
(indexed or skipped, with the reason); `add(engine, paths, progress)` checks each upload
with the same reader ingestion uses, copies it under a sanitised name (atomically: never a
half-copied file under its real name) and updates the index incrementally; `remove(engine,
source)` deletes one file and updates the index, `update(engine, paths)` indexes the named
files' changes; each updates only the files it names (no folder walk: at 12k files an upload
costs what the upload costs). `inside(root, source)` is the one check
that a path named by a user stays inside the docs folder. Engine.documents /
add_documents / remove_document / update are the public face of this module.

What it deliberately doesn't: index anything itself (rag.index.build_index does, and a
failed build leaves the previous index answering), or format for people (rag/ui.py does).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from .documents import SUFFIXES, read_document
from .errors import BadInput, DocsError, RagError
from .index import IngestReport, build_index, current_generation, read_manifest

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()
_UNSAFE = re.compile(r"[^\w .()+,\-\u2010-\u2015]+")  # letters, digits, dashes, a few marks

Progress = Callable[[float, str], None]  # (fraction done in [0, 1], what is happening)


def folder_lock(docs: Path) -> threading.Lock:
    """One add or remove at a time per docs folder in this process (answers go on meanwhile)."""
    with _locks_guard:
        return _locks.setdefault(str(docs.resolve()), threading.Lock())


def inside(root: Path, source: str) -> Path:
    """`root / source` resolved; BadInput when it leaves `root` (../, absolute paths, symlinks out)."""
    base = root.resolve()
    path = (base / source).resolve()
    if not source or not path.is_relative_to(base) or path == base:
        raise BadInput(f"{source!r} is not inside the documents folder")
    return path


def safe_name(name: str) -> str:
    """A file name that stays inside the docs folder: no folders, no dot files, a known suffix."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base or not base.lower().endswith(SUFFIXES):
        raise BadInput(f"{name!r}: only {', '.join(SUFFIXES)} files can be indexed")
    if base.lower() in SUFFIXES or base.startswith("."):
        raise BadInput(f"{name!r}: needs a name before its extension")
    return base[:200]


def _page_count(pages) -> int | None:
    """The manifest keeps a PDF's page start offsets (a list) or a count; None for no pages."""
    if isinstance(pages, list | tuple):
        return len(pages) or None
    return pages if isinstance(pages, int) and pages > 0 else None


def _skipped(manifest: dict) -> dict[str, str]:
    """source -> reason, from either manifest shape: {"src": {"reason": ...}} or ["src", ...]
    with the reason in the manifest's warnings ("src: reason")."""
    skipped = manifest.get("skipped") or {}
    if isinstance(skipped, dict):
        return {s: (e.get("reason") if isinstance(e, dict) else str(e)) or "not readable" for s, e in skipped.items()}
    warnings = manifest.get("warnings", [])
    out = {}
    for item in skipped:
        source = item.get("source", "") if isinstance(item, dict) else str(item)
        reason = item.get("reason", "") if isinstance(item, dict) else ""
        reason = reason or next(
            (w[len(source) + 1 :].strip() for w in warnings if w.startswith(f"{source}:")), "not readable"
        )
        out[source] = reason
    return out


def listing(manifest: dict | None) -> list[dict]:
    """One dict per file of the live index, sorted by source.

    Keys: source, title, chunks, indexed_at (ISO 8601 UTC or ""), encoding, pages (a count,
    None unless the reader counts pages), skipped ("" when indexed, else the reason).
    """
    if not manifest:
        return []
    out = [
        {
            "source": source,
            "title": entry.get("title") or source,
            "chunks": entry.get("chunks", 0),
            "indexed_at": entry.get("indexed_at") or "",
            "encoding": entry.get("encoding", ""),
            "pages": _page_count(entry.get("pages")),
            "skipped": "",
        }
        for source, entry in manifest.get("files", {}).items()
    ]
    for source, reason in _skipped(manifest).items():
        if source not in manifest.get("files", {}):
            out.append(
                {
                    "source": source,
                    "title": source,
                    "chunks": 0,
                    "indexed_at": "",
                    "encoding": "",
                    "pages": None,
                    "skipped": reason,
                }
            )
    return sorted(out, key=lambda d: d["source"])


def _path_of(item) -> Path:
    """A str/Path, or an upload object with a `.name` or `.path` (what Gradio hands over)."""
    if isinstance(item, str | os.PathLike):
        return Path(item)
    return Path(getattr(item, "path", None) or item.name)


def add(engine, items: Iterable, progress: Progress | None = None) -> IngestReport:
    """Copy usable uploads into the docs folder and index them; see Engine.add_documents."""
    say = progress or (lambda fraction, message: None)
    docs = engine.settings.docs
    items = list(items)
    with folder_lock(docs):
        refused, saved = [], []
        for i, item in enumerate(items):
            path = _path_of(item)
            say(0.1 * i / max(1, len(items)), f"Checking file {i + 1} of {len(items)}: {path.name}")
            try:
                name = safe_name(path.name)
                read_document(path, name)  # refuse binary or empty files before they land
            except RagError as exc:
                refused.append(str(exc))
                continue
            tmp = docs / f".{name}.upload"
            try:
                shutil.copyfile(path, tmp)
                os.replace(tmp, docs / name)
            except OSError as exc:  # a read-only folder, a full disk: the folder's files are untouched
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)  # a half-copied upload, never under its real name
                raise not_saved(docs, name, exc, saved) from exc
            saved.append(name)
        if not saved:
            gen = current_generation(engine.settings.index)
            return IngestReport(generation=gen.name if gen else "", rebuilt=False, warnings=refused)
        say(0.1, f"Indexing {len(saved)} file{'s' if len(saved) != 1 else ''}")
        report = _build(
            engine, saved, lambda done, total: say(0.1 + 0.9 * done / max(1, total), _embedding(done, total))
        )
        report.warnings = refused + list(report.warnings)
        return report


def not_saved(docs: Path, name: str, exc: OSError, saved: list[str]) -> DocsError:
    """The error for an upload the documents folder would not take (read-only, full, gone)."""
    earlier = f" ({', '.join(saved)} saved before it, indexed with the next update)" if saved else ""
    fix = (
        "give this user write access to the folder, or serve a writable copy (--docs)"
        if isinstance(exc, PermissionError)
        else "free some space or check the folder, then upload it again"
    )
    return DocsError(f"cannot save {name} into the documents folder {docs} ({exc.strerror or exc}){earlier}: {fix}")


def _embedding(done: int, total: int) -> str:
    return f"Embedding passages and sentences: {done} of {total}"


def remove(engine, source: str) -> IngestReport:
    """Delete one document's file and update the index; see Engine.remove_document."""
    docs = engine.settings.docs
    with folder_lock(docs):
        listed = listing(read_manifest(engine.settings.index))
        entry = next((d for d in listed if d["source"] == source), None)
        if entry is None:
            raise BadInput(f"{source!r} is not in the index")
        indexed = [d for d in listed if not d["skipped"]]
        if not entry["skipped"] and len(indexed) == 1:
            raise BadInput("the last document can't be removed: the index needs at least one")
        try:
            inside(docs, source).unlink(missing_ok=True)
        except OSError as exc:
            raise DocsError(
                f"cannot delete {source} from the documents folder {docs} ({exc.strerror or exc}); "
                "nothing was changed: give this user write access to the folder"
            ) from exc
        return _build(engine, [source])


def update(engine, paths: Iterable, progress=None) -> IngestReport:
    """Index the named files' changes (added, edited or deleted); see Engine.update."""
    with folder_lock(engine.settings.docs):
        return _build(engine, list(paths), progress)


def _build(engine, changed: list, progress=None) -> IngestReport:
    """Update the index for the files named (IndexBusy when another ingest holds it), then
    answer from it: only they are stat'ed and read, never the whole folder (rag.index.build_index)."""
    report = build_index(engine.settings, engine.embedder, progress=progress, changed=changed)
    engine.reopen()
    return report
