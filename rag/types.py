"""Small values passed between the stages: documents -> chunks -> index -> retrieve -> answer.

Every span is a pair of character offsets into the source file as
`open(path, encoding="utf-8").read()` returns it, so `text[start:end]` is the quoted text.
Nothing here does work; the stages do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Document:
    source: str  # path relative to the docs folder, with "/" separators
    title: str
    text: str
    sha256: str
    warning: str = ""  # e.g. "decoded as cp1252": said to the user, kept in the manifest
    subjects: str = ""  # the names the document keeps coming back to (see documents.subjects)
    stub: bool = False  # unchanged since the last ingest, so not read (text is empty)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


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

    def embed_text(self) -> str:
        # The title travels with every chunk: an interview that never names its subject
        # is still found by the subject's name.
        return f"{self.title}\n{self.text}" if self.title else self.text


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

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "text": self.text,
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
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
