"""The retrieval study's cross-reference share (eval/retrieval_variants.py, over rag.kinds.reference_spans), on
real FAQ sentences."""

import pytest

from eval.retrieval_variants import xref_share
from rag.kinds import reference_spans


def unit_idf(term: str) -> float:
    return 1.0


DEBIAN = (
    "Debian already has very good support for non-English users, see\n"
    "Section 5.9, “How does Debian support non-English languages?”.\n\nWe hope to find people."
)
POOL = "Packages live in one place. See Section 6.10, “What's in the pool directory?” for more."


@pytest.mark.parametrize(
    "question, text, share",
    [
        # of debian, support, non, english, languag: only "languag" is held nowhere but in the cited title
        ("How does Debian support non-English languages?", DEBIAN, 0.2),
        # "pool" and "directori" only inside the cited title, "see Section 6.10" read as one reference
        ("What is the pool directory?", POOL, 1.0),
        ("What is the pool directory?", "The pool directory holds every package.", 0.0),  # no reference
        ("How do I record changes?", "Record changes; see git-commit(1) for more.", 0.0),  # matched outside it
        ("Which command commits?", "Record changes; see git-commit(1) for more.", 1.0),  # "commit" only inside
        ("Where are the mirrors?", "See Section 6.10, “What's in the pool directory?”", 0.0),  # no term matched
    ],
)
def test_xref_share(question, text, share):
    assert xref_share(question, text, unit_idf) == pytest.approx(share)


def test_a_see_clause_holds_its_cited_title_whole():
    assert [POOL[a:b] for a, b in reference_spans(POOL)] == ["See Section 6.10, “What's in the pool directory?”"]
    assert [DEBIAN[a:b] for a, b in reference_spans(DEBIAN)] == [
        "see\nSection 5.9, “How does Debian support non-English languages?”"
    ]
