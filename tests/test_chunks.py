"""Chunking: exact offsets for every sentence and chunk of every seed, and the model's window."""

import pytest
from conftest import SEEDS

from rag.chunks import chunk_document, model_tokenizer, split_sentences
from rag.config import CHUNK_MAX_TOKENS, CHUNK_OVERLAP_SENTENCES, MODEL_MAX_TOKENS
from rag.documents import load_documents

DOCS, _ = load_documents(SEEDS)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.source)
def test_offsets_are_exact_for_every_chunk_and_sentence(doc):
    source = open(SEEDS / doc.source, encoding="utf-8").read()
    chunks, sentences = chunk_document(doc, CHUNK_MAX_TOKENS, CHUNK_OVERLAP_SENTENCES)
    assert chunks and sentences
    for s in sentences:
        text = source[s.start : s.end]
        assert text == text.strip() and any(c.isalnum() for c in text)
    for c in chunks:
        assert source[c.start : c.end] == c.text
        assert c.start == sentences[c.sentences[0]].start and c.end == sentences[c.sentences[-1]].end
    # Every sentence is in some chunk, in order, and neighbours overlap by the configured amount.
    covered = sorted({i for c in chunks for i in c.sentences})
    assert covered == list(range(len(sentences)))
    for a, b in zip(chunks, chunks[1:]):
        assert b.sentences[0] == max(a.sentences[0] + 1, a.sentences[-1] + 1 - CHUNK_OVERLAP_SENTENCES)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.source)
def test_no_chunk_exceeds_the_model_window(doc):
    chunks, _ = chunk_document(doc, CHUNK_MAX_TOKENS, CHUNK_OVERLAP_SENTENCES)
    tok = model_tokenizer()
    for c in chunks:
        real = len(tok.encode(c.embed_text()).ids)  # with [CLS] and [SEP], as the model reads it
        assert real == c.n_tokens
        assert real <= CHUNK_MAX_TOKENS <= MODEL_MAX_TOKENS


def test_an_overlong_sentence_is_cut_at_word_boundaries():
    from rag.types import Document

    text = "Title line here\n" + " ".join(f"word{i} and more" for i in range(400)) + "."
    doc = Document(source="long.txt", title="Title line here", text=text, sha256="x")
    chunks, sentences = chunk_document(doc, 128, 1)
    assert len(sentences) > 2
    for c in chunks:
        assert c.n_tokens <= 128
        assert text[c.start : c.end] == c.text
        assert not text[c.start - 1].isalnum() and (c.end == len(text) or not text[c.end].isalnum())


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Headline without stop\nFirst sentence. Second one!",
            ["Headline without stop", "First sentence.", "Second one!"],
        ),
        (
            "- Protest potential was accumulating. People were outraged.",
            ["Protest potential was accumulating.", "People were outraged."],
        ),
        (">> We explain the crisis\n\n. .", ["We explain the crisis"]),
        ("He paid $3.5 million in 2019. Then he left.", ["He paid $3.5 million in 2019.", "Then he left."]),
    ],
)
def test_sentence_splitting(text, expected):
    assert [text[s.start : s.end] for s in split_sentences(text)] == expected
