"""Find and read the documents in a folder: documents -> chunks -> index -> retrieve -> answer.

What it does: walks the docs folder for .txt/.md/.markdown/.rst/.pdf/.docx/.html/.htm/.csv/
.srt/.vtt files, turns each into its text through rag/readers.py (for a UTF-8 file exactly what
`open(path, encoding="utf-8").read()` returns; for other encodings the decoded text; for
PDF, DOCX and HTML the extracted text; for captions, in .srt, .vtt or a .txt file that is
beyond doubt captions or a video transcript, what is said in them), gives each a title, records how it was read
(`Document.encoding`, PDF page starts), and hashes the raw bytes for incremental indexing.
`document_text(path)` is that same text: the one every citation's offsets index into. A
file it cannot use is skipped with a warning that names it and says why; the rest are read.

What it deliberately doesn't: follow symlinks out of the folder, guess at binaries, or
quote text whose decoding is unsure (see rag/readers.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from .config import max_file_bytes
from .errors import DocsError
from .generation import unmoved
from .readers import EXTRACTED, SUFFIXES, read_bytes
from .types import Document

_MAX_TITLE_CHARS = 150


def _looks_like_dateline(line: str) -> bool:
    """'9 February 2023, Thursday, 8:11' is a dateline, not a headline."""
    return sum(c.isdigit() for c in line) >= 4 and len(line.split()) <= 6


_ATX_CLOSE = re.compile(r"(?:^|\s)#+\s*$")
_UNDERLINE = re.compile(r"^\s*([=\-~^*#+])\1{2,}\s*$")


def guess_title(text: str, filename: str) -> str:
    """The first line when it looks like a headline, else the file name; a YAML front
    matter's `title:` first.

    A headline is short, does not end like a sentence or a question, is not a dateline,
    and is a paragraph of its own: in hard-wrapped text a first line the wrapper broke
    (`rag.chunks.paragraphs`) is the start of a sentence. A Markdown heading ('# Title') is
    a headline with its marks removed.
    """
    # The wrap test lives with the sentence splitter, the front matter with the Markdown units, that use them.
    from .chunks import FRONT_MATTER, line_view, paragraphs

    text = line_view(text)
    matter = FRONT_MATTER.match(text.lstrip("\ufeff"))
    if matter:  # YAML front matter (Jekyll, Hugo, MkDocs): its title is the document's
        title = re.search(r"^title:[ \t]*(.+?)[ \t]*$", matter.group(1), re.M)
        value = title.group(1).strip("'\"").strip() if title else ""
        if value:
            return value
        text = text.lstrip("\ufeff")[matter.end() :]  # the title is then looked for under it
    lines: list[str] = []
    wrapped: list[bool] = []
    head = [ln.strip() for ln in text.lstrip("\ufeff \t\n").split("\n", 3)[:3]] + ["", ""]
    if _UNDERLINE.match(head[0]) and head[2] == head[0] and 0 < len(head[1]) <= len(head[0]):
        return head[1]  # a reST title between over- and underline
    if _UNDERLINE.match(head[1]) and len(head[1]) >= len(head[0]) > 0 and not _UNDERLINE.match(head[0]):
        return head[0]  # a setext / reST title: "Operations" over "=========="
    for a, b in paragraphs(text):
        line = text[a:b].split("\n", 1)[0].strip().lstrip("\ufeff").strip()
        if line:
            lines.append(line)
            wrapped.append("\n" in text[a:b])
        if len(lines) == 2:
            break
    for i, line in enumerate(lines):
        if wrapped[i]:
            break
        if line.startswith("#"):  # an ATX heading; its optional closing hashes are no part of it (CommonMark)
            return _ATX_CLOSE.sub("", line.lstrip("#")).strip() or filename
        if i == 0 and _looks_like_dateline(line):
            continue
        words = line.split()
        # A JSON record, markup, a table's row or tab-separated cells ('{"ts": ...}', "| Item | Price |"): data.
        if line.startswith(("{", "[{", '["', "<", "|")) or "\t" in line:
            break
        if len(line) <= _MAX_TITLE_CHARS and 2 <= len(words) <= 20 and line[-1] not in ".?!:;,":
            return line
        break
    return filename


def subjects(text: str, top: int = 4, min_count: int = 3) -> str:
    """The names a document keeps coming back to: capitalised words that never appear in
    lower case in it (so not "The" or "People"), seen at least `min_count` times. An
    interview says "he" for its subject; these let "He now lives in Paris" count as being
    about Ablyazov."""
    lower = set(re.findall(r"\b[a-z][a-z\u00C0-\u024F]+\b", text))
    counts: dict[str, int] = {}
    for m in re.finditer(r"\b[A-Z][a-z\u00C0-\u024F]{2,}\b", text):
        if m.group().lower() not in lower:
            counts[m.group()] = counts.get(m.group(), 0) + 1
    ranked = sorted((n for n, c in counts.items() if c >= min_count), key=lambda n: (-counts[n], n))
    return " ".join(ranked[:top])


OVER_LIMIT = "(split it, or raise RAG_MAX_FILE_MB)"  # how a too-large file's reason ends (rag.index reads it)


def read_document(path: Path, source: str) -> Document:
    """Read one file; raises DocsError with a message naming the file when it is unusable."""
    limit = max_file_bytes()
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO named notes.txt would block a read forever
            raise DocsError(f"{source}: not a regular file, skipped")
        if st.st_size > limit:
            raise DocsError(
                f"{source}: {st.st_size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB limit, skipped {OVER_LIMIT}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocsError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    if not data:
        raise DocsError(f"{source}: empty file (0 bytes), skipped")
    if not data.strip():
        raise DocsError(f"{source}: empty file (only white space), skipped")
    got = read_bytes(data, source, path.suffix)
    text = got.text
    if not any(c.isalnum() for c in text):
        raise DocsError(f"{source}: no words in it (only symbols or white space), skipped")
    # A text file read in a legacy encoding is said to the user: offsets then hold for
    # rag.document_text (or open() with that encoding), not for open(..., encoding="utf-8").
    legacy = got.encoding not in ("utf-8", "pdf", "docx") and not got.encoding.startswith(EXTRACTED)
    return Document(
        source=source,
        title=(got.title if got.title else guess_title(text, path.name))[:_MAX_TITLE_CHARS],
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        warning="; ".join(
            [f"{source}: not UTF-8, read as {got.encoding}"] * legacy + [f"{source}: {got.note}"] * bool(got.note)
        ),
        subjects=subjects(text),
        encoding=got.encoding,
        pages=got.pages,
        markup=got.markup,
        read_state=(st.st_size, st.st_mtime_ns),  # the state read, taken before the read (never after)
    )


def document_text(path: str | Path) -> str:
    """The text a document's offsets index into: for every citation of it,
    `document_text(docs / source)[start:end] == text`.

    For a UTF-8 file it is `open(path, encoding="utf-8").read()` (a BOM kept as U+FEFF at
    index 0, never inside a citation); for a UTF-16/32 or legacy-encoded file the decoded
    text (universal newlines); for PDF, DOCX and HTML the extracted text (PDF pages joined
    by a blank line); for captions and transcripts the words said, as running text. Raises
    DocsError when the file cannot be read (the message says why).
    """
    path = Path(path)
    return read_document(path, path.name).text


def _unmoved(path: Path | str, entry: dict, state: os.stat_result | None = None) -> bool:
    return "sha256" in entry and unmoved(path, entry, state)  # the index's one file-changed check


def walk_files(
    docs: Path, others: list[str] | None = None, unreadable: list[tuple[str, str]] | None = None
) -> Iterator[tuple[str, str, os.stat_result | None]]:
    """(source, path, lstat) of every candidate file under `docs`, in `list_files` order, lazily.

    One `os.scandir` per folder for the names (hidden entries and folders told apart by the
    entry's cached type, no syscall), then one lstat per candidate file, made relative to the
    folder's descriptor (`dir_fd`): the kernel resolves one name instead of the whole path
    (12,448 files: 33 vs 40 ms of CPU under load; with the DirEntry sort it replaces, the walk
    went from 69 to 58 ms). No Path object is built per file. Lazy, so a
    caller that keeps nothing per unchanged file allocates nothing that lives (12k kept tuples
    would wake Python's cyclic garbage collector, whose pass costs what the whole process
    holds). The lstat is None when the entry vanished. Symlinked folders are not walked into
    (as os.walk(followlinks=False)); one whose target lies outside the folder is listed as a
    candidate, so the scan names it (`link_problem`) instead of its files going missing in
    silence (one inside is walked where it lies). `others`, if given, receives the sources of the files left
    out because no reader takes their suffix (`releases.json`, `gzip.1`), for the report.
    `unreadable`, if given, receives (source prefix, reason) of each folder it could not list
    ("private/", "Permission denied"; "" for `docs` itself): such a folder is no empty one."""
    if not docs.exists():
        raise DocsError(f"documents folder not found: {docs}")
    if not docs.is_dir():
        raise DocsError(f"not a folder: {docs}")
    root = str(docs.resolve())
    return _walk(root, "", others, unreadable, os.path.join(root, ""))


_BY_FD = os.stat in os.supports_dir_fd  # (Linux and macOS; elsewhere the full path)


def _walk(
    folder: str, prefix: str, others: list[str] | None, unreadable: list[tuple[str, str]] | None, root: str
) -> Iterator[tuple[str, str, os.stat_result | None]]:
    files, folders = [], []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not entry.is_symlink():
                        folders.append(name)
                    elif not os.path.join(os.path.realpath(entry.path), "").startswith(root):
                        files.append(name)  # a link out: named by the scan, never followed
                elif name.lower().endswith(SUFFIXES):
                    files.append(name)
                elif others is not None:
                    others.append(prefix + name)
        fd = os.open(folder, os.O_RDONLY) if _BY_FD else None
    except OSError as exc:
        if unreadable is not None:
            unreadable.append((prefix, exc.strerror or type(exc).__name__))
        return
    files.sort()
    head = os.path.join(folder, "")
    try:
        for name in files:
            try:
                state = os.stat(name, dir_fd=fd, follow_symlinks=False) if _BY_FD else os.lstat(head + name)
            except OSError:
                state = None
            yield prefix + name, head + name, state
    finally:
        if fd is not None:
            os.close(fd)
    for name in sorted(folders):
        yield from _walk(head + name, prefix + name + "/", others, unreadable, root)


def walk_order(source: str) -> list[tuple[int, str]]:
    """Sort key giving sources in `walk_files` order: a folder's files by name, then its subfolders."""
    parts = source.split("/")
    return [(1, p) for p in parts[:-1]] + [(0, parts[-1])]


def list_files(docs: Path) -> list[tuple[Path, str]]:
    """(path, source) for every candidate file, sorted; hidden entries skipped (a link out is
    listed, for the reader to name: `link_problem`)."""
    return [(Path(path), source) for source, path, _ in walk_files(docs)]


def link_problem(path: str, root: Path) -> str:
    """Why the symlink at `path` is not followed ("" when it is not a link, or names a file
    inside `root`): a broken link, a loop, or a target outside the folder. Never raises (a
    loop makes Path.resolve raise RuntimeError on Python 3.11, OSError ELOOP elsewhere)."""
    if not os.path.islink(path):
        return ""
    try:
        target = Path(path).resolve(strict=True)
    except FileNotFoundError:
        try:
            to = os.readlink(path)
        except OSError:
            to = "?"
        return f"broken link (its target {to} does not exist), skipped"
    except (OSError, RuntimeError):
        return "symlink loop (following it leads back to itself), skipped"
    if not target.is_relative_to(root):
        if target.is_dir():
            return "symlink to a folder outside the documents folder, not followed: its files are not indexed"
        return "symlink pointing outside the folder, not followed"
    return ""


def name_problem(source: str) -> str:
    """Why a file cannot be indexed under its name ("" when it can): a name whose bytes are not
    UTF-8 (saved by an old system in Latin-1: b"caf\\xe9.txt") reaches Python as lone surrogates,
    which no index, JSON answer or terminal can carry. The file is skipped, the others read."""
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        shown = source.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
        return f"{shown}: a file name that is not valid UTF-8, skipped (rename it, e.g. with convmv -f latin1 -t utf-8)"
    return ""


class Scan:
    """What an incremental ingest found: sources unmoved, documents read, warnings (in walk
    order), and {source: path} of the files it could not use."""

    def __init__(self, docs: Path):
        self.root = docs.resolve()
        self.unmoved: list[str] = []
        self.read: list[Document] = []
        self.warnings: list[str] = []
        self.failed: dict[str, str] = {}
        self.unreadable: list[tuple[str, str]] = []  # (folder prefix, reason): walk_files'

    def file(self, source: str, path: str, state: os.stat_result | None, entry: dict | None) -> None:
        """Look at one candidate file whose manifest entry is `entry` (None: not indexed)."""
        bad_name = name_problem(source)
        if bad_name:
            self.warnings.append(bad_name)
            return
        link = state is None or stat.S_ISLNK(state.st_mode)
        why = link_problem(path, self.root) if link else ""
        if why:
            self.warnings.append(f"{source}: {why}")
            self.failed[source] = path
            return
        if entry and _unmoved(path, entry, None if link else state):  # a plain file's lstat is its stat
            if entry.get("warning"):
                self.warnings.append(entry["warning"])
            self.unmoved.append(source)
            return
        try:
            doc = read_document(Path(path), source)
        except DocsError as exc:
            if isinstance(exc.__cause__, FileNotFoundError) and not os.path.lexists(path):
                return  # deleted since the walk listed it: gone, not skipped (an indexed one is then deleted)
            self.warnings.append(str(exc))
            self.failed[source] = path
            return
        if doc.warning:
            self.warnings.append(doc.warning)
        self.read.append(doc)


def load_changed(docs: Path, known, others: list[str] | None = None) -> Scan:
    """What an incremental ingest reads, in walk order (`walk_files`): unmoved sources,
    documents read, warnings, and the files it could not use.

    `known(source)` gives the file's manifest entry or None. A file whose size and mtime still
    match its entry is not read (its recorded warning, if any, is repeated), so the work is one
    lstat per file plus reading the files that moved. `others`: as walk_files'."""
    scan = Scan(docs)
    same, warned = scan.unmoved.append, scan.warnings.append
    is_file = stat.S_ISREG
    for source, path, state in walk_files(docs, others, scan.unreadable):
        entry = known(source)
        # An unmoved plain file (nearly every file of a rescan) is settled here, without
        # `Scan.file`'s calls: its lstat is its stat (a few ms of CPU at 12,448 files).
        if entry and state is not None and is_file(state.st_mode) and _unmoved(path, entry, state):
            if entry.get("warning"):
                warned(entry["warning"])
            same(source)
        else:
            scan.file(source, path, state, entry)
    return scan


def load_documents(
    docs: Path, known: dict | None = None, listed: list[tuple[Path, str]] | None = None
) -> tuple[list[Document], list[str]]:
    """All usable documents under `docs` and one warning per file skipped or decoded oddly.

    `known` maps source -> manifest entry (sha256, size, mtime_ns, title, warning): a file
    whose size and mtime still match comes back as a stub with empty text, unread, so an
    incremental ingest over 1,000 files reads only the ones that moved (status() trusts the
    same signal). Callers must not chunk a stub; build_index only chunks new or changed files.
    `listed`: the folder's `list_files()`, when the caller has it already (one walk per ingest).
    """
    documents, warnings, others = [], [], []
    root = docs.resolve()
    known = known or {}
    if listed is None:
        listed = [(Path(path), source) for source, path, _ in walk_files(docs, others)]
    for path, source in listed:
        try:  # one lstat per file: a plain file's is also its stat (12k files: 60 ms saved per ingest)
            state = os.lstat(path)
        except OSError:
            state = None
        link = state is None or stat.S_ISLNK(state.st_mode)
        bad_name = name_problem(source)
        why = "" if bad_name else link_problem(str(path), root) if link else ""
        if bad_name or why:
            warnings.append(bad_name or f"{source}: {why}")
            continue
        entry = known.get(source)
        if entry and _unmoved(path, entry, None if link else state):
            if entry.get("warning"):
                warnings.append(entry["warning"])
            documents.append(
                Document(
                    source,
                    entry.get("title", ""),
                    "",
                    entry["sha256"],
                    entry.get("warning", ""),
                    stub=True,
                    encoding=entry.get("encoding", "utf-8"),
                    pages=tuple(entry.get("pages", ())),
                )
            )
            continue
        try:
            doc = read_document(path, source)
        except DocsError as exc:
            warnings.append(str(exc))
            continue
        if doc.warning:
            warnings.append(doc.warning)
        documents.append(doc)
    if not documents:
        raise no_documents(docs, warnings, others)
    return documents, warnings


def no_documents(docs: Path, warnings: list[str], ignored: list[str] | None = None, shown: int = 5) -> DocsError:
    """The error for a folder with nothing to index, naming what is there instead: each file
    skipped with its reason, the files in formats no reader takes (the first `shown` of each)."""
    parts = []
    for what, items in ((f"{len(warnings)} skipped", warnings), (f"{len(ignored or [])} in other formats", ignored)):
        if items:
            more = f"; and {len(items) - shown} more" if len(items) > shown else ""
            parts.append(f"{what}: {'; '.join(items[:shown])}{more}")
    detail = f" ({'. '.join(parts)})" if parts else " (it is empty)"
    return DocsError(f"no readable documents ({', '.join(SUFFIXES)}) in {docs}{detail}")
