"""Keeps an index following its documents folder: each change is indexed as a named path.

What it does: `follow(settings, embedder, ...)` asks the operating system to report changes
under the documents folder (watchfiles, which wraps the Rust `notify` crate: inotify on
Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), brings the index up to date
once with a folder rescan as soon as the watch is in place (what changed while nobody
watched), and then hands each batch of changed files to `build_index(changed=...)`. An edit
then costs what the edited file costs, not a walk of every file (`python -m eval.bench`,
the 'watched' rows), and a file dropped into the folder is answerable a moment later
without a restart. `classify` turns a batch of change notices into those named sources, or
into "rescan the folder" where a notice can't be pinned to files; it is a pure function.

What it deliberately doesn't: poll on its own (watchfiles does, when told to by
WATCHFILES_FORCE_POLLING=1, for network shares that deliver no notices), trust a notice for
more than which paths to look at (build_index stats and hashes them as a rescan would), or
print (it logs, and the CLI and page say what happened).

Where from: the split git makes with core.fsmonitor (the operating system names the paths
that changed; only those are re-read), with the first rescan after the watch starts so no
change between the two is lost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .config import Settings
from .errors import BadInput, DocsError, IndexBusy, StoreError
from .readers import SUFFIXES

log = logging.getLogger("rag")
RESCAN = None  # what classify returns when only a folder rescan can tell what changed
TICK_MS = 1000  # how often the watch wakes without notices: the stop flag and retries of busy updates
STEP_MS = 50  # a batch closes once the folder is quiet this long (an editor's save is several writes)
DEBOUNCE_MS = 1600  # ... or after this long, however busy the folder is


def classify(
    paths: Iterable[str],
    root: Path,
    index_dir: Path | None,
    is_dir: Callable[[str], bool],
    indexed_under: Callable[[str], bool],
) -> list[str] | None:
    """The sources (docs-relative POSIX paths) a batch of change notices names, sorted; or
    RESCAN (None) when a notice is about a folder, so only a walk can tell which files moved.

    `paths`: absolute paths from the notices (added, modified or deleted alike: build_index
    tells which from the file and the table). `root`: the documents folder, resolved.
    `index_dir`: the index folder, resolved, whose own writes are ignored if it lies inside
    `root`. `is_dir(path)`: whether the path is a folder now, or a link to one (a walk walks
    it, or names it when it points outside). `indexed_under(source)`: whether the live index
    holds a file below that folder source, or lists that source as skipped (a link removed).

    Ignored, as a folder rescan ignores them: hidden files and folders, and files whose
    suffix is not indexed (an editor's swap and backup files, `4913` probes, `~` copies)."""
    named: set[str] = set()
    for path in paths:
        p = Path(path)
        if index_dir is not None and p.is_relative_to(index_dir):
            continue
        try:
            source = p.relative_to(root).as_posix()
        except ValueError:
            continue  # (a notice about the folder's own parent: nothing the index holds)
        if source == "." or any(part.startswith(".") for part in source.split("/")):
            continue
        if is_dir(path):
            return RESCAN  # a folder made or moved in: its files may bring no notices of their own
        if source.lower().endswith(SUFFIXES):
            named.add(source)
        elif indexed_under(source):
            return RESCAN  # a folder moved out or deleted with indexed files below it
    return sorted(named)


def _is_dir(path: str) -> bool:
    return os.path.isdir(path)


def follow(
    settings: Settings,
    embedder=None,
    stop: threading.Event | None = None,
    on_update: Callable[[object, list[str] | None], None] | None = None,
    ready: threading.Event | None = None,
    serialize: threading.Lock | None = None,
) -> None:
    """Keep `settings.index` following `settings.docs` until `stop` is set (or Ctrl-C).

    Each update calls `on_update(report, sources)`: the IngestReport, and the sources named
    (None for a folder rescan: the first one, and any a notice needed). `ready` is set once the
    watch is in place and the first rescan has run. `serialize`: a lock held around each
    update (the Engine's: its own uploads and removals then never meet the watch's update as
    a busy index). An update that finds another ingest running (IndexBusy) is retried on the
    next tick with whatever changed meanwhile; one that fails (DocsError, StoreError) is logged
    and the watch goes on.

    Raises StoreError when the folder can't be watched (gone, or the system's limit of
    watches reached: fs.inotify.max_user_watches on Linux)."""
    import watchfiles

    from .generation import current, head, table
    from .index import build_index

    root = settings.docs.resolve()
    index_dir = settings.index.resolve()

    def indexed_under(source: str) -> bool:
        gen = current(settings.index)
        if gen is None:
            return False
        return any(s.startswith(source + "/") for s in table(gen).sources()) or source in head(gen).get("skipped", {})

    def update(named: list[str] | None) -> None:
        with serialize or contextlib.nullcontext():
            if named is not None:  # a file made and removed again before anyone indexed it: nothing to do
                gen = current(settings.index)
                live = table(gen) if gen is not None else None
                named = [s for s in named if os.path.lexists(root / s) or (live is not None and live.get(s))]
                if not named:
                    return
            try:
                report = build_index(settings, embedder, changed=named, wait=named is None)
            except BadInput as exc:  # a name the index can't take alone (a link to a folder, ...)
                log.debug("watch: %s; rescanning the folder", exc)
                named = None
                report = build_index(settings, embedder, wait=True)
        if on_update is not None:
            on_update(report, named)

    pending: set[str] | None = set()  # None: a rescan is due
    first = True
    notices = watchfiles.watch(
        root,
        watch_filter=None,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        rust_timeout=TICK_MS,
        yield_on_timeout=True,
        raise_interrupt=False,  # Ctrl-C ends the watch quietly
    )
    while True:
        try:
            batch = next(notices)
        except StopIteration:
            return
        except OSError as exc:  # (the folder gone, the watch limit reached)
            raise StoreError(f"cannot watch {root}: {exc}") from exc
        if first:  # the watch is in place: catch up on what changed before it
            first, pending = False, None
        elif pending is not None:
            named = classify((p for _, p in batch), root, index_dir, _is_dir, indexed_under)
            pending = None if named is RESCAN else pending | set(named)
        if pending == set():
            continue
        try:
            update(None if pending is None else sorted(pending))
            pending = set()
        except IndexBusy:
            log.debug("watch: another ingest is running; retrying in %d ms", TICK_MS)
        except (DocsError, StoreError) as exc:
            log.warning("watch: the index was not updated: %s", exc)
            pending = set()
        if ready is not None:
            ready.set()
