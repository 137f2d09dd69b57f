"""Property-based tests (hypothesis): offset bookkeeping, the support checker, question cleaning.

These hold for any input, not just the seeds: every sentence and chunk span is an exact
slice of the text; a verbatim quote is always supported and a sentence is never supported
by nothing; question cleaning either returns usable text or raises BadInput.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.chunks import chunk_document, split_sentences
from rag.engine import clean_question
from rag.errors import BadInput
from rag.ground import check, split_claims
from rag.types import Document

WORDS = st.sampled_from(
    [
        "Ablyazov",
        "said",
        "the",
        "regime",
        "3,000",
        "troops",
        "Paris.",
        "Why?",
        "\u201cquote\u201d",
        "-",
        ">>",
        "no",
        "caf\u00e9",
        "\u0627\u0644\u0646\u0641\u0637",
        "\U0001f6e2",
        "Mr.",
        "U.S.",
        "e.g.",
        "10.5",
        "\t",
    ]
)
TEXTS = st.lists(st.one_of(WORDS, st.sampled_from([" ", "\n", "\n\n", ". ", "! "])), max_size=120).map("".join)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXTS)
def test_sentence_spans_are_exact_trimmed_and_ordered(text):
    spans = split_sentences(text)
    last = 0
    for s in spans:
        piece = text[s.start : s.end]
        assert piece == piece.strip() and any(c.isalnum() for c in piece)
        assert s.start >= last
        last = s.end


@FAST
@given(TEXTS, st.integers(min_value=24, max_value=128))
def test_chunks_are_exact_slices_within_budget(text, budget):
    doc = Document(source="x.txt", title="A title", text=text, sha256="0")
    chunks, sentences = chunk_document(doc, budget, 1)
    for c in chunks:
        assert text[c.start : c.end] == c.text
        # Over budget only when the chunk is one word the tokenizer cannot split at a space.
        assert c.n_tokens <= budget or len(c.text.split()) == 1
    assert sorted({i for c in chunks for i in c.sentences}) == list(range(len(sentences)))


@FAST
@given(TEXTS)
def test_a_verbatim_quote_is_supported_and_nothing_supports_nothing(text):
    for s in split_sentences(text):
        sentence = text[s.start : s.end]
        assert check(sentence, [text]).supported
        assert not check(sentence, []).supported
        # still supported when unrelated passages are cited first: one supporting passage suffices
        assert check(sentence, ["Nothing related is said here.", text]).supported


@FAST
@given(st.lists(st.tuples(TEXTS, st.lists(st.integers(1, 9), max_size=3)), max_size=5))
def test_split_claims_never_loses_a_citation(parts):
    answer = " ".join(text + "".join(f" [{n}]" for n in ns) for text, ns in parts)
    cited = [n for claim in split_claims(answer) for n in claim.citations]
    # Markers cite the text before them; markers with no text before them at all cite nothing.
    expected, seen_text = [], False
    for text, ns in parts:
        seen_text = seen_text or any(c.isalnum() for c in text)
        if seen_text:
            expected += ns
    assert set(cited) == set(expected)


@FAST
@given(st.text(max_size=3000))
def test_clean_question_returns_text_or_raises_bad_input(raw):
    try:
        cleaned = clean_question(raw)
    except BadInput:
        return
    assert cleaned and cleaned == cleaned.strip() and len(cleaned) <= 2000
    assert not any(ord(c) < 32 for c in cleaned)
