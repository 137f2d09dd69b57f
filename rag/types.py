"""Small values passed between the stages: documents -> chunks -> index -> retrieve -> answer.

Every span is a pair of character offsets into the document's text as
`rag.document_text(path)` returns it (for a UTF-8 file exactly what
`open(path, encoding="utf-8").read()` returns; for a PDF, DOCX or HTML file the extracted
text), so `text[start:end]` is the quoted text. Nothing here does work; the stages do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is only named in annotations here
    import numpy as np

# What every answerer says when the documents hold no answer (the extractive one and the
# optional LLM, whose reply is recognised by it).
REFUSAL = "The documents don't say."


@dataclass(frozen=True)
class Document:
    source: str  # path relative to the docs folder, with "/" separators
    title: str
    text: str
    sha256: str
    warning: str = ""  # e.g. "decoded as cp1252": said to the user, kept in the manifest
    subjects: str = ""  # the names the document keeps coming back to (see documents.subjects)
    stub: bool = False  # unchanged since the last ingest, so not read (text is empty)
    # How the bytes became `text`: a codec name ("utf-8", "utf-16", "cp1254", "shift_jis") for
    # text files, so open(path, encoding=encoding).read() gives `text`; "pdf", "docx" or
    # "html (<charset>)" for extracted formats, whose text only rag.document_text gives.
    encoding: str = "utf-8"
    pages: tuple[int, ...] = ()  # PDF: offset in `text` where each page starts (page 1 first)
    markup: str = "plain"  # "markdown" (headings, tables, lists, code: rag/chunks.py), "rst" or "plain"
    # (size, mtime_ns) of the file as stat'ed just before its bytes were read: what the index
    # records, so an edit made while it is being read or embedded moves the file on the next look.
    read_state: tuple[int, int] | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    # What a unit means beyond its own words, never quoted: its heading path ("Guide > Restarting"),
    # then on further lines a table's header row or the lead-in of a list or code block.
    context: str = ""

    @property
    def section(self) -> str:
        return self.context.split("\n", 1)[0]


def heading_path(context: str) -> list[str]:
    """The headings over a unit, outermost first, from its context (Span.context): "Fares >
    Inchmara\nTicket | Single" -> ["Fares", "Inchmara"]; [] for a unit under no heading."""
    path = context.split("\n", 1)[0]
    return [x.strip() for x in path.split(" > ") if x.strip()]


def row_header(row: str, context: str) -> str:
    """The header row of a table row's table: the last line of its context (Span.context) when
    both are table lines ("Fares > Inchmara\nTicket | Single" for "Adult | £4.20"), else ""."""
    lines = context.split("\n")
    return lines[-1] if len(lines) > 1 and "|" in lines[-1] and "|" in row else ""


def cells(row: str) -> list[str]:
    """A table line's cells, unstripped, outer bars dropped: "| Adult | £4.20 |" -> [" Adult ", " £4.20 "]."""
    return row.strip().strip("|").split("|")


def page_of(pages: tuple[int, ...] | list[int], offset: int) -> int | None:
    """The 1-based page holding `offset`, given each page's start offset; None without pages."""
    if not pages:
        return None
    import bisect

    return max(1, bisect.bisect_right(pages, offset))


@dataclass(frozen=True)
class Chunk:
    """A passage of consecutive sentences, small enough for the embedding model."""

    id: str
    source: str
    title: str
    text: str
    start: int
    end: int
    sentences: tuple[int, ...]  # indices into the document's sentence list (the citable units)
    n_tokens: int  # model word pieces of embed_text(), special tokens included
    section: str = ""  # heading path of its first unit ("Guide > Restarting the service")

    def embed_text(self) -> str:
        # The title travels with every chunk: an interview that never names its subject
        # is still found by the subject's name; so does the heading path, for the same reason.
        return "\n".join(x for x in (self.title, self.section, self.text) if x)


@dataclass
class Passage:
    """A retrieved chunk with its fused score and per-retriever ranks (None = not found)."""

    chunk_id: str
    source: str
    title: str
    text: str
    start: int
    end: int
    score: float
    sentences: tuple[Span, ...] = ()  # filled by Retriever.candidate_sentences
    sentence_ids: tuple[str, ...] = ()  # the store ids of those sentences
    vector_rank: int | None = None
    bm25_rank: int | None = None
    vector_score: float | None = None
    subjects: str = ""
    page: int | None = None  # 1-based page of its start for a PDF (set by the Engine), else None

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "text": self.text,
            "page": self.page,
        }


@dataclass
class Citation:
    n: int
    source: str
    title: str
    text: str
    start: int
    end: int
    score: float
    passage_start: int = 0  # the passage the sentence was found in, for showing context
    passage_end: int = 0
    # Filled by the Engine after composing, from what ingestion recorded for the document:
    page: int | None = None  # 1-based page for a PDF, else None
    section: str = ""  # heading path of the quoted unit, never part of the quote
    encoding: str = ""  # how the file was read (Document.encoding)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["score"] = round(self.score, 4)
        return d


@dataclass
class Answer:
    question: str
    answer: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)
    nearest: list[Passage] = field(default_factory=list)  # shown on refusal, never as citations
    query: str = ""  # what retrieval searched for, after follow-up resolution
    timings_ms: dict = field(default_factory=dict)
    mode: str = "extractive"  # "llm" when a model wrote it and the grounding guard kept it
    dropped: list[dict] = field(default_factory=list)  # model sentences the guard removed, with why
    warning: str = ""  # e.g. why an LLM answer fell back to the extractive one
    language: str = "en"  # ISO 639-1 code of the question's language (rag/language.py)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [p.to_dict() for p in self.retrieved],
            "nearest": [p.to_dict() for p in self.nearest],
            "query": self.query,
            "dropped": self.dropped,
            "warning": self.warning,
            "language": self.language,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


@dataclass
class SentenceHit:
    """A candidate answer sentence, with the passage it came from."""

    source: str
    title: str
    text: str
    start: int
    end: int
    vector: np.ndarray
    passage: Passage
    index: int  # position within its document, for finding neighbours
    # Heading path, then a table's header row or a list's lead-in (rag/chunks.py): for
    # matching and showing, never for quoting.
    context: str = ""
    # (n, dim) unit vectors of other readings of the sentence, in words the model reads better: a
    # line of code's context lines for a "what command" question, a digit date read aloud for a
    # question about that date (rag.signals.embed_readings). Its cosine is the best of them all.
    readings: np.ndarray | None = None
    # Whether the sentence names a sibling of what the question asks about ("the deuterium lamp"
    # for "the tungsten-halogen lamp") or gives the asked contact value under another owner's
    # label ("Reception: 0161 ..." for the membership team; rag.rivals.mark_rivals): another
    # thing's value.
    rival: bool = False

    @property
    def section(self) -> str:
        """Its heading path ("Guide > Restarting"), as Span.section."""
        return self.context.split("\n", 1)[0]
