"""Build and update the on-disk index: documents -> chunks -> **index** -> retrieve.

What it does: brings an index folder (layout: rag/generation.py) up to date with a
documents folder. Chunk vectors go into one new small Chroma collection per ingest (a
vector segment, rag/store.py), sentence vectors into per-document files (rag/sentences.py),
the chunks' BM25 terms into one lexical segment per ingest (rag/lexical.py), all
content-addressed by the document's key and shared by every generation built under the same
rules; the manifest (format version, model, chunking, per-file hashes and stat, the files
skipped and why, the vector and lexical segments and tombstones) makes up a generation; its
per-file table is an immutable base shared by hard link plus the entries changed since it
(generation.Table), so an update's cost follows the change, not the corpus. An ingest walks
the folder once (one lstat per file), re-reads only files whose size or mtime moved, embeds
and tokenises only added or changed ones, writes their vectors and BM25 terms as new segments beside the live ones (and,
when too many segments or dead rows have piled up, merges some: `store.merge_plan`), writes
the new generation's manifest, and publishes it with one atomic rename; then it deletes
sentence files and whole segments no kept generation references. A crash or kill -9 at
any moment leaves the previous generation answering exactly as before (its ids and
segments are never touched); leftovers are swept by the next ingest. A manifest made under
another model, chunking, ingest version, format or store means a new store and a full
rebuild: vectors made under other rules are never mixed. One ingest at a time per index
folder; readers never lock.

What it deliberately doesn't: retrieve (rag/retrieve.py), name the folder's files
(rag/generation.py), or decide when to rebuild for a reader (rag/engine.py asks `status()`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import generation, lexical
from . import sentences as sentence_files
from . import store as vectors
from .chunks import chunk_id
from .config import Settings, max_file_bytes
from .documents import (
    OVER_LIMIT,
    Scan,
    list_files,
    load_changed,
    name_problem,
    no_documents,
    walk_files,
    walk_order,
)
from .embed import Embedder, default_embedder
from .errors import BadInput, DocsError, StoreError
from .generation import (
    FORMAT_VERSION,
    Table,
    current,
    file_state,
    read_manifest,
    retried,
    skip_state,
    skipped_unmoved,
    unmoved,
)
from .planted import holds_planted
from .readers import SUFFIXES
from .store import EMBEDDED, store_id
from .text import plural, terms
from .types import Document

# Bump when rag/readers.py, rag/documents.py, rag/chunks.py, rag/text.py or rag/options.py
# (whose option-entry test decides which dashes a unit keeps) change what a file becomes (its
# text, sentences, chunks or BM25 terms): every index is then rebuilt once. A comment or
# refactoring that changes no output must not cost every user a rebuild.
# tests/test_ingest_version.py fails until a change of output comes with a bump.
INGEST_VERSION = 25  # 2: readers for PDF/DOCX/HTML, encodings, Markdown units with contexts
#                    3: reST titles and literal blocks, pipe tables in plain text, UTF-16/32 without BOM
#                    4: short non-Latin single-byte pages (cp1253, cp1255, ...), front-matter titles,
#                       a JSON record is no title (an index holding the old decoding re-reads it)
#                    5: a Markdown title's closing hashes dropped ("# Boiler Manual #")
#                    6: PDF rows rebuilt in reading order, running heads/feet and page numbers dropped
#                    7: sentences split by the trained English punkt model ("Dr. Smith", "6:45 a.m. every")
#                    8: a unit keeps the dash it opens with before a letter or digit ("-k --keep")
#                    9: only when the unit opens an option's entry (not "-Buy milk", "-it was raining")
#                   10: a unit keeps a long option's dashes ("--keep-base and --onto"), and a short
#                       option's when it opens an entry, its value bracketed or braced too ("-n, --lines=[+]NUM")
#                   11: and the entries read since ("-i, --install package-file...", "-exec command ;",
#                       "-<number>, -n <number>"); an index built between the two kept fewer dashes
#                   12: an acronym's plural is the acronym in BM25 terms ("DVDs" -> "dvd", rag.text.words)
#                   13: "No. 17", "Vol. 3" and "pp. 12" end no sentence
#                   14: a unit keeps the emphasis it opens with ("- **Claims line:** 0808 ..." is
#                       quoted "**Claims line:** 0808 ...", not "Claims line:** 0808 ...")
#                   15: a plain text's dotted-leader lines ("Large dog ..... £62.00") are never
#                       joined as wrapped lines
#                   16: a plain text's lines in capitals ("FULL GROOM") are headings: the context of
#                       the sentences under them, not units
#                   17: and so are a plain text's lines framed or underlined by rule lines
#                       ("-----\n1. FEES\n-----", "Fees\n====", in any case); a rule line is no unit
#                       and a line in capitals with a note in brackets ("HELPERS (first floor)")
#                   18: a BOM is no part of a Markdown table's first row, a YAML front matter no
#                       Markdown heading, and a table row or tab-separated line no title
#                   19: a Latin legacy page is the one made for the text's language, as py3langid
#                       tells it (Hungarian, Croatian, short Czech cp1250 were read as cp1252)
#                   20: a vertical tab, form feed, information separator, NEL or U+2028/U+2029
#                       breaks a line, and a stray NUL is a space, for the units (the text is kept);
#                       legacy pages: the fewest alphabets, ISO-8859-2, HTML decoded as text is
#                       (English naming "Dvořák" or "Иван Петров" was read as cp1252 or cp1254)
#                   21: a table in a blockquote gives its rows without the quote's markers; a
#                       reST code directive's body indented three spaces is one code unit; a BOM
#                       before a reST overline leaves the title a heading
#                   22: a window of an over-long sentence opens at a clause ("sarge for release
#                       3.1, ...", not "3.1, etch for release 4.0, ..."); a quoted question or
#                       exclamation followed by a lower-case word ends no sentence ("He asked
#                       “Why?” and left."), nor does it drop the closing marks after it; a plain
#                       text with a line ending in "and", "in", "of"... counts as hard-wrapped
#                   23: UTF-8 text with a few bytes that are not UTF-8 is refused, no longer
#                       read whole as cp1252 (every accented letter garbled)
#                   24: captions (.srt, .vtt, and a .txt that is captions or a video transcript)
#                       read as what is said; UTF-8 padded with NUL bytes read; Mac Roman and
#                       short cp1253 pages read; one double-encoded word refused
#                   25: .tsv files, and .txt files whose lines all hold the same tabs, read as tables;
#                       the manifest says which files hold planted text ("planted")
_BATCH = 64
# An ingest says what it is doing (logger "rag", INFO: the CLI prints it unless --quiet) when
# it may take more than a few seconds: splitting this much text (a 1.2 MB line takes ~25 s
# here), embedding this many texts (~10 s on a 2-core laptop), and then every NOTE_SECONDS
# while embedding unless a progress bar (stderr is a terminal) shows it.
NOTE_CHARS = 500_000
NOTE_TEXTS = 1_000
NOTE_SECONDS = 15.0
log = logging.getLogger("rag")

current_generation = current  # the public names callers used before rag/generation.py existed
__all__ = ["IngestReport", "build_index", "status", "read_manifest", "current_generation", "FORMAT_VERSION"]


@dataclass
class IngestReport:
    generation: str
    rebuilt: bool  # True when the manifest did not match and everything was re-embedded
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # [{"source", "reason"}]: retried when they move
    warnings: list[str] = field(default_factory=list)
    chunks_embedded: int = 0
    sentences_embedded: int = 0
    rows_merged: int = 0  # vector rows copied by a segment merge (the one step that costs what the corpus costs)
    seconds: float = 0.0
    rebuilt_because: str = ""  # why an existing index was not updated in place (rebuilt)
    first_build: bool = False  # there was no index before: everything was built afresh
    ignored: list[str] = field(default_factory=list)  # files a rescan saw in formats no reader takes
    replaced: str = ""  # the other documents folder whose index this one replaced (its path), if any

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.deleted or self.rebuilt)

    def to_dict(self) -> dict:
        return dict(asdict(self), summary=self.summary(), seconds=round(self.seconds, 3))

    def ignored_note(self, shown: int = 5) -> str:
        """The files left out for their format, in a sentence ("" when none)."""
        if not self.ignored:
            return ""
        more = len(self.ignored) - shown
        names = ", ".join(self.ignored[:shown]) + (f" and {more} more" if more > 0 else "")
        return (
            f"{plural(len(self.ignored), 'file')} in formats it does not read left out: {names} "
            f"(it reads {', '.join(SUFFIXES)})"
        )

    def replaced_note(self, index_dir: Path) -> str:
        """What the index held before it was pointed at another documents folder ("" when not)."""
        if not self.replaced:
            return ""
        return (
            f"the index at {index_dir} held the documents of {self.replaced}, another folder, and now holds "
            f"these instead; give each documents folder its own --index (RAG_INDEX) to keep both"
        )

    def summary(self) -> str:
        skipped = f"; {len(self.skipped)} skipped" if self.skipped else ""
        if not self.changed_anything:
            return f"index up to date ({plural(len(self.unchanged), 'document')}{skipped})"
        parts = [
            f"{len(x)} {name}"
            for name, x in (
                ("added", self.added),
                ("changed", self.changed),
                ("deleted", self.deleted),
                ("unchanged", self.unchanged),
                ("skipped", self.skipped),
            )
            if x
        ]
        how = f"rebuilt ({self.rebuilt_because})" if self.rebuilt and self.rebuilt_because else "rebuilt"
        how = how if self.rebuilt else "built" if self.first_build else "updated"
        merged = f"; {self.rows_merged} vector rows merged" if self.rows_merged else ""
        return (
            f"index {how}: {', '.join(parts)}; {self.chunks_embedded} chunks and "
            f"{self.sentences_embedded} sentences embedded{merged} in {self.seconds:.1f} s"
        )


def expected_params(settings: Settings, embedder_name: str) -> dict:
    """What an index was built under; any difference means a rebuild, never a mix."""
    return {
        "format_version": FORMAT_VERSION,
        "model": embedder_name,
        "chunking": settings.chunking(),
        "ingest_version": INGEST_VERSION,
        "store": store_id(settings.chroma_url),
    }


def store_tag(params: dict) -> str:
    """Names the vector store shared by every generation built under `params` (the manifest's
    format counts as the store's: a format-5 index and its update to format 6 share one store)."""
    rules = dict(params, format_version=generation.STORE_FORMAT)
    return hashlib.sha1(json.dumps(rules, sort_keys=True).encode()).hexdigest()[:12]


def recorded_warnings(index_dir: Path) -> list[str]:
    """The warnings of the live generation's ingest about what it left out ("notes.txt: empty
    file (0 bytes), skipped", a folder it could not read, a link it did not follow), [] when none
    or unreadable: such a file is as missing from the answers on the hundredth ask as on the
    first, so an ask that finds the index fresh repeats them (rag/engine.py). A note on a file
    indexed ("not UTF-8, read as cp1252") is said once, by the ingest."""
    gen = current(index_dir)
    try:
        head = generation.head(gen) if gen else None
    except StoreError:
        return []
    left_out = (head or {}).get("skipped", {})  # (a link not followed among them)
    said = [str(w) for w in (head or {}).get("warnings", [])]
    return [w for w in said if w.split(": ", 1)[0] in left_out or "skipped" in w]


def _built_under(manifest: dict | None, params: dict) -> bool:
    """True when `manifest` was built under `params` (a format this version updates in place counts)."""
    if manifest is None or manifest.get("format_version") not in generation.READS:
        return False
    return all(manifest.get(k) == v for k, v in params.items() if k != "format_version")


def status(settings: Settings, embedder_name: str) -> str:
    """'missing', 'damaged', 'stale' (parameters or documents differ from the manifest) or 'fresh'.

    Cheap: compares sizes and modification times first and hashes only files that moved. A
    file skipped last time (empty, binary, too large, unreadable) makes the index stale
    when its size or mtime moves, so a fixed file is tried again.
    """
    gen = current(settings.index)
    try:
        manifest = generation.head(gen) if gen else None
    except StoreError:
        manifest = None
    if manifest is None:
        # CURRENT names a generation, but it or its manifest is gone or unreadable.
        return "damaged" if generation.has_pointer(settings.index) else "missing"
    if not _built_under(manifest, expected_params(settings, embedder_name)):
        return "stale"
    try:
        table = Table.of(gen, manifest)
    except StoreError:
        return "damaged"
    skipped = manifest.get("skipped", {})
    seen = skipped_seen = 0
    unreadable: list[tuple[str, str]] = []
    for source, path, state in walk_files(settings.docs, unreadable=unreadable):
        if name_problem(source):  # never indexable under its name: no reason to rescan
            continue
        plain = state is not None and stat.S_ISREG(state.st_mode)  # its lstat is its stat
        if source in skipped:
            skipped_seen += 1
            entry = skipped[source]
            moved = not (unmoved(path, entry, state if plain else None) or skipped_unmoved(path, entry))
            # (one it could not read: stale once it can be, not on every ask while it cannot)
            if (moved and not retried(entry)) or (retried(entry) and os.access(path, os.R_OK)):
                return "stale"
            if entry.get("max_file_bytes", max_file_bytes()) != max_file_bytes():
                return "stale"  # skipped as too large under another RAG_MAX_FILE_MB
            continue
        seen += 1
        entry = table.get(source)
        if entry is None:
            return "stale"
        if not unmoved(path, entry, state if plain else None):
            try:
                if hashlib.sha256(Path(path).read_bytes()).hexdigest() != entry["sha256"]:
                    return "stale"
            except OSError:
                return "stale"
    if any(not prefix for prefix, _ in unreadable):
        return "stale"  # the documents folder itself: the ingest says it cannot be read
    # A subfolder it cannot list (a mount's lost+found, a folder made private): its indexed files
    # are kept, as an ingest keeps them (`_keep_unreadable`), so they count as seen.
    if unreadable:
        said = manifest.get("warnings", [])
        if any(not any(w.startswith(f"{prefix}: folder unreadable") for w in said) for prefix, _ in unreadable):
            return "stale"  # closed since the index was built: an ingest names it, the asks after it repeat it
        seen += sum(1 for source in table.sources() if any(source.startswith(prefix) for prefix, _ in unreadable))
        skipped_seen += sum(1 for source in skipped if any(source.startswith(prefix) for prefix, _ in unreadable))
    # A file skipped and since deleted: stale, so the warnings the next ask repeats forget it.
    if skipped_seen != len(skipped):
        return "stale"
    return "fresh" if seen == len(table) else "stale"  # (every source seen is known: none missing)


def _progress(total: int, desc: str):
    if sys.stderr.isatty() and total:
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit="text", leave=False, file=sys.stderr)
    return None


def _mb(chars: int) -> str:
    return f"{chars / 1e6:.1f} MB" if chars >= 100_000 else f"{chars / 1e3:.0f} KB"


@dataclass
class _Plan:
    """One ingest, decided before anything is written: where it starts from and what changed."""

    settings: Settings
    embedder: Embedder
    report: IngestReport
    params: dict  # expected_params(): what the new generation is built under
    tag: str  # the shared store those rules name (store_tag)
    live: Path | None  # the generation it starts from
    old: dict | None  # the live manifest file (`generation.head`) when compatible (an update), else None
    table: Table  # the live file table (empty for a full build): read, never modified
    read: dict[str, Document]  # the documents read (added, changed, or moved but identical), by source
    skipped: dict  # {source: {size, mtime_ns, reason}} of files listed but not indexed
    warnings: list[str]  # the new manifest's: every file's (a named update: the others' carried over)
    progress: Callable[[int, int], None] | None = None

    @property
    def to_embed(self) -> list[Document]:
        return [self.read[s] for s in self.report.added + self.report.changed]

    def removed(self) -> list[tuple[str, str, int]]:
        """(lexical segment, key, chunks) of the documents this ingest changes or deletes."""
        old = [self.table.get(s) for s in self.report.changed + self.report.deleted]
        return [(e.get("segment", ""), e["key"], e["chunks"]) for e in old]


def _write_documents(plan: _Plan, collection, work: Path, store: Path) -> tuple[dict, list[lexical.DocTerms]]:
    """Chunk, embed and store the plan's added and changed documents (their vectors into
    `collection`, this ingest's new vector segment).

    Returns their manifest entries and their chunks' BM25 terms (for the new lexical segment).
    The keys about to be added are written to the build's pending list first, so a sweep
    after a kill can delete exactly the vectors this build added."""
    from .chunks import chunk_document, doc_key, embedded

    settings, report, embedder = plan.settings, plan.report, plan.embedder
    entries, pending, doc_terms = {}, [], []
    size = sum(len(doc.text) for doc in plan.to_embed)
    if size >= NOTE_CHARS:
        log.info("splitting %s (%s of text) into passages", plural(len(plan.to_embed), "document"), _mb(size))
    for doc in plan.to_embed:
        assert not doc.stub, doc.source  # stubs are unchanged files: never re-chunked
        chunks, sentences = chunk_document(doc, settings.chunk_max_tokens, settings.chunk_overlap)
        key = doc_key(doc)
        pending.append((doc, key, chunks, sentences))
        doc_terms.append((key, [c.id for c in chunks], [terms(c.embed_text()) for c in chunks]))
        entries[doc.source] = {
            "title": doc.title,
            "sha256": doc.sha256,
            "chunks": len(chunks),
            "sentences": len(sentences),
            "key": key,
            "warning": doc.warning,
            "encoding": doc.encoding,
            "pages": list(doc.pages),
            # text addressed to an assistant anywhere in it, between passages too (rag.planted)
            "planted": holds_planted(doc.text),
        }
    journal = {"store_tag": plan.tag, "keys": {key: len(chunks) for _, key, chunks, _ in pending}}
    generation.write_json(work / generation.PENDING, journal, durable=True)
    total = sum(len(c) + len(s) for _, _, c, s in pending)
    bar = _progress(total, "embedding")
    if total >= NOTE_TEXTS:
        log.info(
            "embedding %s (%s and %s)",
            plural(total, "text"),
            plural(sum(len(c) for _, _, c, _ in pending), "passage"),
            plural(sum(len(s) for _, _, _, s in pending), "sentence"),
        )
    noted = time.monotonic()

    def advance(n: int) -> None:
        nonlocal noted
        done = report.chunks_embedded + report.sentences_embedded
        if bar:
            bar.update(n)
        elif total >= NOTE_TEXTS and time.monotonic() - noted >= NOTE_SECONDS and done < total:
            log.info("embedded %s of %s texts (%d%%)", f"{done:,}", f"{total:,}", 100 * done // total)
            noted = time.monotonic()
        if plan.progress:
            plan.progress(done, total)

    for doc, key, chunks, sentences in pending:
        for i in range(0, len(chunks), _BATCH):
            batch = chunks[i : i + _BATCH]
            collection.upsert(  # same id, same bytes: re-adding a key a kept generation has is harmless
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
        inputs = [embedded(t, s.context) for s, t in zip(sentences, texts)]
        vectors = []
        for i in range(0, len(texts), _BATCH):
            vectors.append(embedder.embed(inputs[i : i + _BATCH]))
            report.sentences_embedded += len(vectors[-1])
            advance(len(vectors[-1]))
        sentence_files.write(
            store,
            key,
            [(s.start, s.end) for s in sentences],
            texts,
            np.concatenate(vectors) if vectors else None,
            contexts=[s.context for s in sentences],
        )
    if bar:
        bar.close()
    return entries, doc_terms


def _sweep(index_dir: Path, keep: set[str], store: str, open_writer=None) -> None:
    """Delete vector segments, sentence files and BM25 segments no kept generation references,
    then the folders that did.

    A vector segment goes whole (a killed build's, or one a merge replaced); rows of removed
    documents inside a segment still listed stay as tombstones (readers filter them) until a
    merge drops them. Stores go first: a crash in between leaves the folders, and the next
    sweep finishes."""
    freed, kept_tags = generation.orphans(index_dir, keep)
    in_use = generation.vector_segments_in_use(index_dir, keep)
    for tag in kept_tags:
        folder = generation.store_dir(index_dir, tag)
        if folder.is_dir():
            vectors.drop_unused(
                (open_writer or (lambda t: vectors.writable(index_dir, store, t)))(tag), in_use.get(tag, set())
            )
            sentence_files.remove(folder, freed.get(tag, {}))
    segments = generation.segments_in_use(index_dir, keep)
    for tag in kept_tags:
        lexical.remove_unused(generation.store_dir(index_dir, tag), segments.get(tag, set()))
    generation.remove_generations(index_dir, keep)
    for tag in generation.stores(index_dir):
        if tag not in kept_tags:
            vectors.drop(index_dir, store, tag)


def _keep_unreadable(scan: Scan, table, docs: Path) -> None:
    """A folder the walk could not list (no permission) is no empty one: its indexed files are
    kept as they were, unread, and a warning names it; the documents folder itself unreadable
    is an error, never "no readable documents". (Losing them would answer "the documents don't
    say" of files still there.)"""
    sources = table.sources() if scan.unreadable else set()
    for prefix, why in scan.unreadable:
        if not prefix:
            raise DocsError(f"cannot read the documents folder {docs} ({why})")
        kept = sorted(s for s in sources if s.startswith(prefix))
        scan.unmoved.extend(kept)
        was = "it was" if len(kept) == 1 else "they were"
        held = f"; its indexed {plural(len(kept), 'file')} kept as {was}" if kept else ""
        scan.warnings.append(f"{prefix}: folder unreadable ({why}), skipped{held}")


def _skipped(failed: dict[str, str], warnings: list[str]) -> dict:
    """{source: {size, mtime_ns, reason}} of the files listed but not indexed (`failed`: {source: path})."""
    out = {}
    for source, path in failed.items():
        reason = next((w[len(source) + 2 :] for w in warnings if w.startswith(f"{source}: ")), "not readable")
        size, mtime = skip_state(path) or (None, None)  # (a broken link or loop: the link's own)
        out[source] = {"size": size, "mtime_ns": mtime, "reason": reason}
        if reason.endswith(OVER_LIMIT):  # retried when the limit moves too (RAG_MAX_FILE_MB raised)
            out[source]["max_file_bytes"] = max_file_bytes()
    return out


def _plan(settings: Settings, embedder: Embedder, progress, changed=None) -> _Plan:
    """Compare the documents folder with the live generation (under the ingest lock).

    Its cost is one lstat per file plus what moved: the live file table is looked up, never
    copied or walked (a walk over it only when files were deleted). With `changed` (files named
    by the caller) and a compatible live generation, only those are looked at: no walk."""
    index_dir = settings.index
    live = current(index_dir)
    why = ""
    try:
        old = generation.head(live) if live else None
    except StoreError as exc:
        old = None  # another format version or unreadable: rebuilt, never read
        why = str(exc)
    params = expected_params(settings, embedder.name)
    tag = store_tag(params)
    compatible = _built_under(old, params) and old.get("store_tag") == tag
    if old is not None and not compatible:
        why = "built under other settings: " + ", ".join(
            k for k, v in params.items() if k != "format_version" and old.get(k) != v
        )
    table = Table.empty()
    if compatible:
        try:
            table = Table.of(live, old)
        except StoreError as exc:
            compatible, why = False, str(exc)
    named, ignored = None, []
    if changed is not None and compatible:
        named = _named_sources(settings.docs, changed)
        scan = Scan(settings.docs)
        for source, path in named.items():
            try:
                state = os.lstat(path)
            except FileNotFoundError:
                continue  # gone: deleted below when it was indexed
            except OSError:
                state = None
            scan.file(source, path, state, table.get(source))
    else:  # a folder rescan: one lstat per file
        scan = load_changed(settings.docs, table.get, ignored)
        _keep_unreadable(scan, table, settings.docs)
    unmoved_sources, documents, read_warnings, failed = scan.unmoved, scan.read, scan.warnings, scan.failed
    if named is not None:  # a typo names no file: say so, never "up to date"
        known = old.get("skipped", {})
        missing = [s for s, p in named.items() if not os.path.lexists(p) and table.get(s) is None and s not in known]
        if missing:
            raise BadInput(
                f"no such file in the documents folder {settings.docs}: {', '.join(missing)} "
                "(name files that exist, or that the index holds and were deleted)"
            )
    if named is None and not unmoved_sources and not documents:
        raise no_documents(settings.docs, read_warnings, sorted(ignored, key=walk_order))
    report = IngestReport(generation="", rebuilt=not compatible and live is not None, warnings=read_warnings)
    report.ignored = sorted(ignored, key=walk_order)
    report.rebuilt_because = why if report.rebuilt else ""
    report.first_build = live is None
    before = (old or {}).get("docs")
    if before and named is None and os.path.isdir(before) and not os.path.samefile(before, settings.docs):
        report.replaced = before  # (a folder moved, the old path gone, is no other folder)
    report.unchanged = unmoved_sources
    read = {doc.source: doc for doc in documents}
    for doc in documents:
        prev = table.get(doc.source)
        group = report.added if prev is None else report.unchanged if prev["sha256"] == doc.sha256 else report.changed
        group.append(doc.source)
    if named is not None:  # only the named files can be gone
        report.deleted = [s for s in named if table.get(s) is not None and s not in read and s not in unmoved_sources]
        if len(table) - len(report.deleted) + len(report.added) <= 0:
            raise DocsError(f"no readable documents would be left in {settings.docs}; the index needs at least one")
    elif len(unmoved_sources) + len(read) - len(report.added) < len(table):  # a known source is gone
        report.deleted = sorted(table.sources() - set(unmoved_sources) - set(read))
    # Files the folder lists but the reader refused, with their stat: retried when they move.
    skipped = _skipped(failed, read_warnings)
    report.skipped = [{"source": s, "reason": e["reason"]} for s, e in skipped.items()]
    warnings = read_warnings
    if named is not None:  # the live generation's, but for the named files: theirs as just read
        skipped = dict(
            sorted(
                ({s: e for s, e in old.get("skipped", {}).items() if s not in named} | skipped).items(),
                key=lambda item: walk_order(item[0]),
            )
        )
        earlier = [w for w in old.get("warnings", []) if _warning_source(w, named) is None]
        warnings = sorted(earlier + read_warnings, key=lambda w: walk_order(w.split(": ", 1)[0]))
    return _Plan(
        settings,
        embedder,
        report,
        params,
        tag,
        live,
        old if compatible else None,
        table,
        read,
        skipped,
        warnings,
        progress,
    )


def _warning_source(warning: str, sources) -> str | None:
    """The source among `sources` a manifest warning ("source: why") is about, or None."""
    head = warning.split(": ", 1)[0]
    return head if head in sources else None


def _named_sources(docs: Path, changed) -> dict[str, str]:
    """{source: path} of the files a caller names as changed (added, edited or deleted).

    Each is a path inside `docs`: absolute, or relative to `docs` (a source). BadInput for a
    path outside it (`collection.inside`, the one check), a folder, a hidden file or one whose
    suffix a folder ingest would not index: a named update sees exactly what a rescan would."""
    from .collection import inside

    root = docs.resolve()
    out: dict[str, str] = {}
    for item in changed:
        name = str(item)
        inside(root, name)  # (raises BadInput for ../, absolute paths elsewhere, links out)
        path = Path(os.path.abspath(root / name))
        try:  # the lexical path (a link inside the folder is its own source, as a walk sees it)
            source = path.parent.resolve().joinpath(path.name).relative_to(root).as_posix()
        except ValueError:
            raise BadInput(f"{name!r} is not inside the documents folder") from None
        if any(part.startswith(".") for part in source.split("/")):
            raise BadInput(f"{name!r}: hidden files and folders are not indexed")
        if not source.lower().endswith(SUFFIXES):
            raise BadInput(f"{name!r}: only {', '.join(SUFFIXES)} files are indexed")
        if path.is_dir() and not path.is_symlink():
            raise BadInput(f"{name!r} is a folder: name its files, or ingest the whole documents folder")
        if _in_linked_folder(root, source):
            raise BadInput(f"{name!r} is inside a linked folder, which a folder ingest does not walk into")
        out[source] = str(root / source)
    return out


def _in_linked_folder(root: Path, source: str) -> bool:
    parts = source.split("/")[:-1]
    return any((root.joinpath(*parts[: i + 1])).is_symlink() for i in range(len(parts)))


def build_index(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    wait: bool = False,
    progress=None,
    changed=None,
) -> IngestReport:
    """Bring the index in `settings.index` up to date with `settings.docs`.

    `progress(done, total)`, if given, is called as texts are embedded (the chat page's bar).

    `changed`: the paths (absolute, or relative to `settings.docs`) of the only files that
    were added, edited or deleted since the live generation, when the caller knows them (an
    upload, a removal, `python -m rag.ingest PATH`): only those are stat'ed and read, no
    folder walk, so the update costs what the change costs at any corpus size. The result
    is what a folder rescan would publish when the caller named every change; files changed
    but not named stay as indexed until the next rescan. Without a compatible live
    generation (a first build, other settings) the whole folder is walked as usual.

    Raises DocsError when the folder has no usable document, BadInput when a `changed` path
    is outside the folder (or a folder, a hidden file, an unindexed suffix, or names no file
    that exists or is indexed), IndexBusy when another ingest holds the lock (unless `wait`),
    StoreError when the index folder is not writable. The live generation is replaced only on
    success; each file's size and mtime are recorded as stat'ed before its bytes were read.
    """
    settings = settings or Settings.from_env()
    embedder = embedder or default_embedder()
    t0 = time.perf_counter()
    index_dir = settings.index
    if not settings.docs.is_dir():
        list_files(settings.docs)  # a missing folder fails (DocsError) before the lock is taken
    with generation.Lock(index_dir, wait):
        plan = _plan(settings, embedder, progress, changed)
        report, live = plan.report, plan.live
        if plan.old is not None and not report.changed_anything:
            _refresh_stat(live, plan)
            report.generation = live.name
            report.seconds = time.perf_counter() - t0
            return report

        mode = plan.params["store"]
        opened: dict = {}

        def writer(t: str):  # one client per store for the whole ingest
            if t not in opened:
                opened[t] = vectors.writable(index_dir, mode, t)
            return opened[t]

        _sweep(index_dir, keep=generation.kept(index_dir), store=mode, open_writer=writer)
        name, work = generation.new_build(index_dir)
        try:
            report.generation = _build(plan, name, work, writer)
        except BaseException:
            try:  # delete what this build added; if that fails too, the next ingest's sweep does
                _sweep(index_dir, keep=generation.kept(index_dir), store=mode, open_writer=writer)
            except Exception:
                pass
            raise
        try:  # the build is live; vectors of generations no longer kept go now, or at the next ingest
            _sweep(index_dir, keep={name} | ({live.name} if live else set()), store=mode, open_writer=writer)
        except Exception as exc:
            report.warnings.append(f"leftovers of earlier generations not removed yet ({type(exc).__name__}: {exc})")
        opened.clear()
        vectors.close(index_dir, mode, plan.tag)  # readers in this process open their own, fresh view
        report.seconds = time.perf_counter() - t0
        return report


def _build(plan: _Plan, name: str, work: Path, open_writer) -> str:
    """Write generation `name` in `work` (its vector segment and lexical segment into the shared
    store first, merging old vector segments when due) and publish it.

    Its cost follows the change: the file table is updated by its changed entries (`Table`);
    counts, corpus hash and live rows per vector segment are carried forward from the live
    manifest. Only a merge (vector or lexical) or a fold of the table walks every entry."""
    settings, report = plan.settings, plan.report
    index_dir = settings.index
    store = generation.store_dir(index_dir, plan.tag)
    store.mkdir(parents=True, exist_ok=True)
    writer = open_writer(plan.tag)
    old = plan.old or {}
    table = Table(plan.table.base, plan.table.changes, len(plan.table), plan.table.linkable)  # (base shared)
    removed = {s: table.get(s) for s in report.changed + report.deleted}
    old_segments = generation.vector_segments(old) if plan.old else []
    live_rows = _live_rows(old_segments, table, removed.values())
    merge, empty = vectors.merge_plan(old_segments, live_rows, adding=bool(plan.to_embed))
    segment = vectors.segment_name(name)
    collection = writer.create(segment) if plan.to_embed or merge else None
    entries, doc_terms = _write_documents(plan, collection, work, store)
    dropped = _drop_vanished(plan, entries, doc_terms)
    for source in report.changed + report.deleted:
        table.remove(source)  # (a changed one is set again below, with its new entry)
    for victim in merge:  # live rows of the segments merged away, into this ingest's segment
        moving = [(s, e) for s, e in table.items() if generation.vector_segment_of(e) == victim]
        ids = [chunk_id(e["key"], i) for _, e in moving for i in range(e["chunks"])]
        if vectors.copy_rows(writer.open(victim), collection, ids) != len(ids):
            raise StoreError(f"vector segment {victim} lacks rows its generation lists; rebuild the index")
        report.rows_merged += len(ids)
        for source, entry in moving:
            table.set(source, dict(entry, vectors=segment))
    for entry in entries.values():
        entry["vectors"] = segment
    gone = set(merge) | set(empty)
    kept_segments = [dict(s, live=live_rows.get(s["name"], 0)) for s in old_segments if s["name"] not in gone]
    if collection is not None:
        rows = report.chunks_embedded + report.rows_merged
        kept_segments.append({"name": segment, "rows": rows, "live": rows - dropped})
    section, moved = lexical.update(store, plan.old.get("lexical") if plan.old else None, doc_terms, plan.removed())
    if set(moved) - {""}:  # a lexical merge: the documents whose segment it replaced
        for source, entry in list(table.items()):
            if entry.get("segment", "") in moved:
                table.set(source, dict(entry, segment=moved[entry["segment"]]))
    for entry in entries.values():
        entry["segment"] = moved.get("", "")
    now = _now()
    for source, doc in plan.read.items():  # added, changed, or moved but identical: the stat they were read at
        if source not in entries and table.get(source) is None:
            continue  # deleted during this ingest (`_drop_vanished`)
        entry = entries[source] if source in entries else dict(table.get(source))
        entry["size"], entry["mtime_ns"] = doc.read_state or file_state(settings.docs / source)
        if source in entries:
            entry["indexed_at"] = now
        table.set(source, entry)
    counts, digest = _carried(old, table, removed, entries)
    manifest = dict(
        plan.params,
        store_tag=plan.tag,
        corpus_hash=digest,
        docs=str(settings.docs.resolve()),
        skipped=plan.skipped,
        warnings=plan.warnings,
        counts=counts,
        lexical=section,
        vectors={"segments": kept_segments},
        built_at=now,
        generation=name,
    )
    manifest["table"] = generation.write_table(work, table)
    generation.publish(index_dir, work, name, manifest)
    return name


def _drop_vanished(plan: _Plan, entries: dict, doc_terms: list) -> int:
    """Forget the added or changed files deleted while this ingest read and embedded them (their
    vectors stay in the new segment as dead rows); the number of those rows.

    An added one is not indexed, a changed one is deleted from the index, each with a warning:
    one file gone mid-ingest never fails the rest. A file deleted after this look is indexed as
    it was read, and the next ingest deletes it (its recorded state no longer matches)."""
    report, docs = plan.report, plan.settings.docs
    gone = [s for s in report.added + report.changed if not os.path.lexists(docs / s)]
    dropped = 0
    for source in gone:
        entry = entries.pop(source)
        dropped += entry["chunks"]
        doc_terms[:] = [t for t in doc_terms if t[0] != entry["key"]]
        if source in report.added:
            report.added.remove(source)
        else:
            report.changed.remove(source)
            report.deleted.append(source)
        # (a new list: the report's may be the manifest's, which must not name a file that is gone)
        report.warnings = [*report.warnings, f"{source}: deleted during the ingest, not indexed"]
    return dropped


def _live_rows(segments: list[dict], table: Table, removed) -> dict[str, int]:
    """{vector segment: its rows the next generation still uses}: the live manifest's counts less
    the removed entries' (a walk over the table only for a manifest written before it kept them)."""
    if all("live" in s for s in segments):
        live = {s["name"]: s["live"] for s in segments}
    else:
        live = {}
        for _, entry in table.items():
            seg = generation.vector_segment_of(entry)
            live[seg] = live.get(seg, 0) + entry["chunks"]
    for entry in removed:
        seg = generation.vector_segment_of(entry)
        live[seg] = live.get(seg, 0) - entry["chunks"]
    return live


def _carried(old: dict, table: Table, removed: dict, added: dict) -> tuple[dict, str]:
    """The new manifest's counts and corpus hash: the live manifest's, carried forward by the
    change (computed over the whole table when there is none to carry: a first build or format 5)."""
    if "table" not in old:
        entries = list(table.items())
        counts = {
            "documents": len(entries),
            "chunks": sum(e["chunks"] for _, e in entries),
            "sentences": sum(e["sentences"] for _, e in entries),
        }
        return counts, _corpus_hash(entries)
    counts = dict(old["counts"], documents=len(table))
    for sign, group in ((-1, removed.values()), (1, added.values())):
        for e in group:
            counts["chunks"] += sign * e["chunks"]
            counts["sentences"] += sign * e["sentences"]
    total = int(old["corpus_hash"], 16) - _hash_sum(removed.items()) + _hash_sum(added.items())
    return counts, f"{total % _MOD:064x}"


def _refresh_stat(gen: Path, plan: _Plan) -> None:
    """Touched-but-identical files and re-skipped ones: remember their new stat so status() stays
    cheap, and the warnings as they now stand, which an ask on the fresh index repeats (the
    manifest file rewritten in place: its table's changes, never the base)."""
    manifest = plan.old
    dirty = manifest.get("skipped") != plan.skipped or manifest.get("warnings") != plan.warnings
    manifest["skipped"], manifest["warnings"] = plan.skipped, plan.warnings
    for source, doc in plan.read.items():
        entry = plan.table.get(source)
        state = list(doc.read_state) if doc.read_state else None
        if entry and state and [entry.get("size"), entry.get("mtime_ns")] != state:
            entry = dict(entry)
            entry["size"], entry["mtime_ns"] = state  # the state it was read at (a later edit moves it again)
            if "table" in manifest:
                manifest["table"]["changes"][source] = entry
            else:
                manifest["files"][source] = entry
            dirty = True
    if dirty:
        generation.rewrite_manifest(gen, manifest)


def reset(settings: Settings) -> None:
    """Forget a damaged embedded index (pointer and local stores), so the next ingest starts clean.

    StoreError, deleting nothing, when any of it is not writable: that is a permission
    problem, not damage, and half a deletion would lose an index a rebuild cannot replace."""
    if generation.unwritable(settings.index) is not None:
        raise generation.not_writable(settings.index)
    generation.drop_pointer(settings.index)
    for tag in generation.stores(settings.index):
        vectors.drop(settings.index, EMBEDDED, tag)


_MOD = 1 << 256


def _hash_sum(items) -> int:
    """The sum of sha256(source, file sha256) over (source, entry) pairs: an order-free set
    digest (incremental hashing, Bellare and Micciancio 1997), so an update carries it forward
    by adding and subtracting the files it changes instead of hashing every file again."""
    total = 0
    for source, entry in items:
        total += int.from_bytes(hashlib.sha256(f"{source}\0{entry['sha256']}\n".encode()).digest(), "big")
    return total


def _corpus_hash(items) -> str:
    """A digest of the corpus (which files, with which bytes): 64 hex digits."""
    return f"{_hash_sum(items) % _MOD:064x}"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
