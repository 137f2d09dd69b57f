"""Citation numbering, one owner for both answerers: retrieve -> answer -> **cite** -> ground.

What it does: gives each quoted span its `[n]`, in order of first use, so a span cited twice
(reached through two overlapping passages, or by two sentences of an LLM reply) keeps one
number and one Citation. The extractive answerer (rag/excerpt.py `cite`) and the LLM guard
(rag/llm.py) both number through `number`.

What it deliberately doesn't: decide what is cited or check support (rag/answer.py,
rag/ground.py do).
"""

from __future__ import annotations

from .types import Citation, Passage


def number(
    citations: list[Citation], source: str, title: str, text: str, start: int, end: int, score: float, passage: Passage
) -> int:
    """The [n] of a span: a span cited before keeps its number, a new one gets the next.

    `citations` is appended to in place; offsets are characters into the document's text.
    """
    for c in citations:
        if (c.source, c.start, c.end) == (source, start, end):
            return c.n
    n = len(citations) + 1
    citations.append(Citation(n, source, title, text, start, end, score, passage.start, passage.end))
    return n
