"""Grounded document Q&A, offline: every answer sentence is a cited, exactly located quote.

    from rag import ask, build_index, Settings
    answer = ask("How much do Kazakh oil workers earn?")
    answer.citations[0].text   # == document_text(docs / source)[start:end]

The CLI lives in rag.ask (`python -m rag.ask`) and is deliberately not imported here.
"""

from .config import offline_env

offline_env()  # before anything below can import huggingface, chromadb or gradio

from .config import Settings  # noqa: E402
from .documents import document_text  # noqa: E402
from .engine import Engine, ask, clean_question  # noqa: E402
from .errors import BadInput, DocsError, IndexBusy, RagError, StoreError  # noqa: E402
from .index import IngestReport, build_index, status  # noqa: E402
from .types import Answer, Chunk, Citation, Document, Passage, Span  # noqa: E402

__all__ = [
    "Answer",
    "BadInput",
    "Chunk",
    "Citation",
    "Document",
    "DocsError",
    "Engine",
    "IndexBusy",
    "IngestReport",
    "Passage",
    "RagError",
    "Settings",
    "Span",
    "StoreError",
    "ask",
    "build_index",
    "clean_question",
    "document_text",
    "status",
]
