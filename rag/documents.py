"""Find and read the documents in a folder: documents -> chunks -> index -> retrieve -> answer.

What it does: walks the docs folder for .txt/.md/.markdown files, reads each exactly as
`open(path, encoding="utf-8").read()` would (universal newlines), so character offsets
computed here hold for anyone who opens the file that way; gives each a title; hashes
the raw bytes for incremental indexing. A file it cannot use is skipped with a warning
that names it; the rest are read.

What it deliberately doesn't: follow symlinks out of the folder, guess the encoding of
arbitrary binaries, or parse rich formats (PDF, DOCX): those need a reader that keeps
offsets into the text it shows, which none of the offline readers here does.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from .config import max_file_bytes
from .errors import DocsError
from .generation import unmoved
from .types import Document

SUFFIXES = (".txt", ".md", ".markdown")
_MAX_TITLE_CHARS = 150


def _looks_like_dateline(line: str) -> bool:
    """'9 February 2023, Thursday, 8:11' is a dateline, not a headline."""
    return sum(c.isdigit() for c in line) >= 4 and len(line.split()) <= 6


def guess_title(text: str, filename: str) -> str:
    """The first line when it looks like a headline, else the file name.

    A headline is short, does not end like a sentence or a question, and is not a
    dateline. A Markdown heading ('# Title') is a headline with its marks removed.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:2]
    for i, line in enumerate(lines):
        if line.startswith("#"):
            return line.lstrip("#").strip() or filename
        if i == 0 and _looks_like_dateline(line):
            continue
        words = line.split()
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


def read_document(path: Path, source: str) -> Document:
    """Read one file; raises DocsError with a message naming the file when it is unusable."""
    limit = max_file_bytes()
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO named notes.txt would block a read forever
            raise DocsError(f"{source}: not a regular file, skipped")
        if st.st_size > limit:
            raise DocsError(
                f"{source}: {st.st_size / 1e6:.1f} MB is over the {limit / 1e6:.0f} MB limit, skipped "
                "(split it, or raise RAG_MAX_FILE_MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocsError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise DocsError(f"{source}: empty file")
    if b"\x00" in data[:8192]:
        raise DocsError(f"{source}: looks binary (NUL bytes), skipped")
    warning = ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Declared fallback: cp1252 covers the usual Windows-made text; every byte decodes
        # under latin-1, so that is the last resort. Said to the user, never silent.
        try:
            text = data.decode("cp1252")
            warning = f"{source}: not UTF-8, decoded as cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warning = f"{source}: not UTF-8, decoded as latin-1"
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # what universal newlines do
    return Document(
        source=source,
        title=guess_title(text, path.name),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        warning=warning,
        subjects=subjects(text),
    )


def _unmoved(path: Path, entry: dict) -> bool:
    return "sha256" in entry and unmoved(path, entry)  # the index's one file-changed check


def list_files(docs: Path) -> list[tuple[Path, str]]:
    """(path, source) for every candidate file, sorted; hidden entries and links out skipped."""
    if not docs.exists():
        raise DocsError(f"documents folder not found: {docs}")
    if not docs.is_dir():
        raise DocsError(f"not a folder: {docs}")
    root = docs.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            path = Path(dirpath) / name
            source = path.relative_to(root).as_posix()
            found.append((path, source))
    return found


def load_documents(docs: Path, known: dict | None = None) -> tuple[list[Document], list[str]]:
    """All usable documents under `docs` and one warning per file skipped or decoded oddly.

    `known` maps source -> manifest entry (sha256, size, mtime_ns, title, warning): a file
    whose size and mtime still match comes back as a stub with empty text, unread, so an
    incremental ingest over 1,000 files reads only the ones that moved (status() trusts the
    same signal). Callers must not chunk a stub; build_index only chunks new or changed files.
    """
    documents, warnings = [], []
    root = docs.resolve()
    known = known or {}
    for path, source in list_files(docs):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            warnings.append(f"{source}: symlink pointing outside the folder, not followed")
            continue
        entry = known.get(source)
        if entry and _unmoved(path, entry):
            if entry.get("warning"):
                warnings.append(entry["warning"])
            documents.append(
                Document(source, entry.get("title", ""), "", entry["sha256"], entry.get("warning", ""), stub=True)
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
        detail = f" ({len(warnings)} skipped: {warnings[0]})" if warnings else ""
        raise DocsError(f"no readable .txt or .md documents in {docs}{detail}")
    return documents, warnings
