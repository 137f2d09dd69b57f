"""Find the passages that may answer a question: index -> **retrieve** -> answer.

What it does: hybrid retrieval over one index generation. BM25 (rag/lexical.py's segments,
scored as bm25s does, over the folded, stemmed terms of rag/text.py, so spelling variants of
names meet) and cosine search over
MiniLM vectors in Chroma each rank up to `depth` (DEPTH) chunks; for the union of the two lists,
`signals()` gathers each candidate's exact passage cosine, its best sentence cosine (the
per-document sentence vectors), its BM25 score and ranks, its document's centroid
cosine and length, its document's share of the question's terms (idf-weighted, from the
BM25 postings), and whether it opens with "Yes"/"No" when the question is a yes/no one
(rag/question.py); the learned ranker of rag/fusion.py (rag/ranker.json) orders them.
Ties break on chunk id, so the same query always gets the same passages. `mode` selects
"rrf" (reciprocal rank fusion, the previous default), "vector" or "bm25" alone, for the
evaluation's comparisons. Then the sentences of the chosen passages are fetched with their
vectors, for the answerer to score.

What it deliberately doesn't: rerank with a cross-encoder (none ships offline here) or
call an LLM. Chroma's HNSW is created with ef_search 200, so on collections of a few
hundred chunks its search is exhaustive and therefore deterministic. Why the ranker reads
what it reads, measured out of sample per corpus: eval/retrieval.py, eval/report/retrieval.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import definitions, fusion, generation, lexical
from . import sentences as sentence_files
from . import store as vectors
from .chunks import chunk_id, sentence_id, split_chunk_id, split_sentence_id
from .errors import StoreError
from .options import ALIAS_LINES, entry_lines, expanded
from .question import in_lemma_tables, is_yes_no
from .text import contains, opens_unit, terms
from .types import Passage, SentenceHit, Span

MODES = ("hybrid", "rrf", "vector", "bm25")
# Each retriever's list length; their union is the ranker's candidates. The ranker is fitted
# at this depth (rag/ranker.json's meta): 50 reaches a passage both lists put in the 30s.
DEPTH = 50
PHRASE_DEPTH = 50  # passages a corpus-wide phrase check reads (BM25's best for the phrase's terms)
DEFINING_DOCS = 3  # documents of the retrieved passages searched for an asked option's definition
DEFINING_ENTRIES = 4  # entries defining it fetched per document (a manual of subcommands repeats "-v")


def _passage(cid: str, doc: str, meta: dict, score: float, vec_rank=0, bm25_rank=0, cos=None) -> Passage:
    """A Passage of a stored chunk (`doc`, its text; `meta`, its metadata)."""
    return Passage(
        chunk_id=cid,
        source=meta["source"],
        title=meta["title"],
        subjects=meta.get("subjects", ""),
        text=doc,
        start=meta["start"],
        end=meta["end"],
        score=score,
        vector_rank=int(vec_rank) or None,
        bm25_rank=int(bm25_rank) or None,
        vector_score=None if cos is None else float(cos),
        sentence_ids=tuple(sentence_id(meta["key"], i) for i in range(meta["s_first"], meta["s_last"] + 1)),
    )


@lru_cache(maxsize=1)
def _ranker() -> fusion.Ranker:
    return fusion.load_ranker()


# A generation never changes once published and a file's name holds its document's content
# hash, so this cache keyed by path cannot go stale. Only the rows a query touches are read
# (rag/sentences.py `rows`), and a query never parses the sentence texts.
@lru_cache(maxsize=65536)
def _centroid(path: str) -> tuple[np.ndarray, int]:
    """(unit mean of a document's sentence vectors, its sentence count)."""
    vectors = sentence_files.rows(path)
    if not len(vectors):
        return np.zeros(vectors.shape[1], dtype=np.float32), 0
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0), len(vectors)


def rank_scores(sig: fusion.Signals, mode: str = "hybrid", ranker: fusion.Ranker | None = None) -> np.ndarray:
    """One score per candidate of `sig` (higher is better) under a retrieval mode; "hybrid"
    uses `ranker` (None: the shipped rag/ranker.json)."""
    if mode == "vector":
        return np.where(sig.vec_rank > 0, 1.0 / np.maximum(sig.vec_rank, 1), 0.0)
    if mode == "bm25":
        return np.where(sig.bm25_rank > 0, 1.0 / np.maximum(sig.bm25_rank, 1), 0.0)
    if mode == "rrf":
        lists = [
            [sig.ids[i] for i in np.argsort(ranks, kind="stable") if ranks[i] > 0]
            for ranks in (sig.vec_rank, sig.bm25_rank)
        ]
        fused = fusion.rrf(lists)
        return np.asarray([fused.get(cid, 0.0) for cid in sig.ids])
    return (ranker or _ranker()).score(fusion.features(sig))


class _DocFreq(Mapping):
    """Live chunks per term, computed on demand from the segments (no vocabulary is loaded)."""

    def __init__(self, index: lexical.Lexical):
        self.index = index

    def __getitem__(self, term: str) -> int:
        n = self.index.df(term) if isinstance(term, str) else 0
        if not n:
            raise KeyError(term)
        return n

    def __contains__(self, term) -> bool:
        return isinstance(term, str) and self.index.df(term) > 0

    def __iter__(self):
        seen = set()
        for seg, _ in self.index.parts:
            for term in np.asarray(seg.vocab).tolist():
                if term not in seen and term in self:
                    seen.add(term)
                    yield term

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LiveIds(Set):
    """The chunk ids of one generation (`chunk_id(key, i)` for i below each document's count),
    answered from {document key: chunks} instead of held as a set of every id: building that
    set for 235k chunks took 0.5-2 s under load (a synthetic 12,448-file table), at every
    reopen, while a query asks about some 66 ids."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        self.total = sum(counts.values())

    def __contains__(self, cid) -> bool:
        if not isinstance(cid, str):
            return False
        key, sep, index = cid.rpartition("-c")
        if not sep or not index.isdigit() or int(index) >= self.counts.get(key, 0):
            return False
        return cid == chunk_id(key, int(index))  # the id's exact spelling ("-c7" is not "-c00007")

    def __iter__(self):
        for key, n in self.counts.items():
            for i in range(n):
                yield chunk_id(key, i)

    def __len__(self) -> int:
        return self.total


class Retriever:
    """Read access to one published generation; every lookup stays inside its ids.

    The vector store is shared with generations before and after this one (rag/generation.py),
    so a vector search over-fetches and keeps only this generation's chunks: a running or
    killed ingest's vectors are never seen, and neither are those of documents it dropped."""

    def __init__(self, gen: Path, previous: Retriever | None = None):
        """`previous`: this reader's retriever of an earlier generation; what it loaded of the
        shared store is reused (rag/store.py `readable`)."""
        self.generation = gen
        # The manifest file and {document key: chunks}, not the merged file table: reopening
        # after a one-file update costs what the update changed (rag/generation.py `chunk_counts`).
        manifest = generation.head(gen)  # StoreError when unreadable or of another format
        counts = generation.chunk_counts(gen, manifest)
        index_dir = gen.parent
        store = generation.store_dir(index_dir, manifest.get("store_tag", ""))
        same = previous is not None and previous.generation.parent == index_dir and previous.store == store
        # The documents new to this reader: those of the generation it read before were checked then.
        sentence_files.check(store, counts.keys() - previous.live.counts.keys() if same else counts)
        self.store = store
        # The generation's vector segments read as one collection (query / get / count: rag/store.py).
        self.chunks = vectors.readable(
            index_dir,
            manifest.get("store", vectors.EMBEDDED),
            manifest["store_tag"],
            [s["name"] for s in generation.vector_segments(manifest)],
            reuse=previous.chunks if same else None,
        )
        self.sentences = sentence_files.Sentences(store)
        try:
            self.live = LiveIds(counts)
            self.lexical = lexical.Lexical(store, manifest["lexical"])
            self.n_chunks: int = self.lexical.n_chunks
            self.df = _DocFreq(self.lexical)  # a Mapping: term -> live chunks holding it
            # A store that lost records (or a truncated database) must not answer from half an index.
            self.stored = self.chunks.count()
            if self.stored < self.n_chunks or not self.n_chunks == len(self.live) == manifest["counts"]["chunks"]:
                raise ValueError(f"{self.stored} chunks stored, {self.n_chunks} indexed, {len(self.live)} expected")
            keys = [k for k, n in counts.items() if n]
            probe = sorted({chunk_id(k, 0) for k in keys[:1] + keys[-1:]})
            if len(self.chunks.get(ids=probe, include=[])["ids"]) != len(probe):
                raise ValueError("the store lacks this generation's chunks")
        except StoreError as exc:
            raise StoreError(f"index at {gen.parent} is damaged ({exc})") from exc
        except Exception as exc:  # missing or garbled files, whatever the library raises
            raise StoreError(f"index at {gen.parent} is damaged ({type(exc).__name__}: {exc})") from exc

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency over chunks; unseen terms weigh the most."""
        return float(np.log(1 + (self.n_chunks + 1) / (self.df.get(term, 0) + 0.5)))

    def _vector_ranked(self, vector: np.ndarray, depth: int) -> list[tuple[str, float]]:
        n = min(depth, self.n_chunks)
        if n == 0:
            return []
        ask = min(n + 16, self.stored)  # a few spare: tombstones of changed documents share the segments
        while True:
            got = self.chunks.query(query_embeddings=[vector.tolist()], n_results=ask, include=["distances"])
            ids, dists = got["ids"][0], got["distances"][0]
            out = [(cid, 1.0 - d) for cid, d in zip(ids, dists) if cid in self.live]
            if len(out) >= n or len(ids) < ask or ask >= self.stored:
                return out[:n]
            ask = min(ask * 4, self.stored)

    def _bm25_ranked(self, query: str, depth: int) -> list[tuple[str, float]]:
        """Up to `depth` (chunk id, BM25 score > 0), best first (rag/lexical.py)."""
        tokens = [t for t in terms(query) if t in self.df]
        return self.lexical.ranked(tokens, min(depth, self.n_chunks)) if tokens else []

    def doc_coverage(self, query: str, keys) -> dict[str, float]:
        """Per document key in `keys`: the idf-weighted share of the query's distinct terms
        (rag/text.py `terms`) that occur anywhere in the document, in [0, 1].

        Read from the lexical index's postings (each term's live chunks, grouped by document),
        so a document is credited for a term that only its passages outside the candidates
        hold: an FAQ entry that names both "stable" and "upgrade", in different passages."""
        keys = sorted(set(keys))
        weight = {t: self.idf(t) for t in dict.fromkeys(terms(query))}
        total = sum(weight.values())
        got = np.zeros(len(keys))
        if total and keys:
            # Each segment's rows of each wanted document: [lo, hi) (rows are grouped by key).
            spans = []
            for seg, _ in self.lexical.parts:
                seg_keys, starts = np.asarray(seg.keys), np.asarray(seg.starts)
                if not len(seg_keys):
                    spans.append((np.zeros(len(keys), dtype=bool), np.zeros(len(keys), int), np.zeros(len(keys), int)))
                    continue
                at = np.minimum(np.searchsorted(seg_keys, keys), len(seg_keys) - 1)
                spans.append((seg_keys[at] == np.asarray(keys), starts[at], starts[at + 1]))
            for term, w in weight.items():
                if term not in self.df:
                    continue
                found = np.zeros(len(keys), dtype=bool)
                for (held, lo, hi), acc in zip(spans, self.lexical.scores([term])):
                    if acc is None:
                        continue
                    rows = np.flatnonzero(acc)  # the term's live rows in this segment, ascending
                    first = np.searchsorted(rows, lo)  # the first of them at or after the document's start
                    found |= held & (first < len(rows)) & (rows[np.minimum(first, len(rows) - 1)] < hi)
                got += w * found
            got /= total
        return dict(zip(keys, got.tolist()))

    def signals(self, query: str, vector: np.ndarray, depth: int = DEPTH, mode: str = "hybrid"):
        """(fusion.Signals, {chunk id: (text, metadata)}) for the union of the top-`depth` lists.

        Candidates come in id order; every signal is computed for every candidate (a passage
        BM25 found but the vector search did not still gets its exact cosine)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        vec = self._vector_ranked(vector, depth) if mode != "bm25" else []
        lex = self._bm25_ranked(query, depth) if mode != "vector" else []
        ids = sorted({cid for cid, _ in vec} | {cid for cid, _ in lex})
        if not ids:
            return fusion.Signals.empty(), {}
        got = self.chunks.get(ids=ids, include=["documents", "metadatas", "embeddings"])
        rows = {
            cid: (doc, meta, emb)
            for cid, doc, meta, emb in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])
        }
        q = np.asarray(vector, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        # Each candidate document's first passage (its lead), for the document-level signals.
        leads = {meta["key"]: chunk_id(meta["key"], 0) for _, meta, _ in rows.values()}
        lead_vec = {cid: emb for cid, (_, _, emb) in rows.items() if cid in set(leads.values())}
        missing = sorted(set(leads.values()) - set(lead_vec))
        if missing:
            extra = self.chunks.get(ids=missing, include=["embeddings"])
            lead_vec.update(zip(extra["ids"], extra["embeddings"]))

        def cos(emb) -> float:
            emb = np.asarray(emb, dtype=np.float32)
            return float(emb @ q) / (float(np.linalg.norm(emb)) or 1.0)

        vec_rank = {cid: r for r, (cid, _) in enumerate(vec, 1)}
        lex_rank = {cid: (r, s) for r, (cid, s) in enumerate(lex, 1)}
        centroid = {}  # document key -> (cosine with its sentence centroid, sentence count)
        for key in leads:
            vec, n = _centroid(str(self.sentences.folder / f"{key}.npy"))
            centroid[key] = (float(vec @ q), n)
        coverage = self.doc_coverage(query, leads)
        cos_chunk, cos_sent = [], []
        for cid in ids:
            _, meta, emb = rows[cid]
            cos_chunk.append(cos(emb))
            path = str(self.sentences.folder / f"{meta['key']}.npy")
            sent = sentence_files.rows(path, meta["s_first"], meta["s_last"] + 1)
            cos_sent.append(float(np.max(sent @ q)) if len(sent) else cos_chunk[-1])
        sig = fusion.Signals(
            ids=ids,
            docs=[rows[cid][1]["key"] for cid in ids],
            cos_chunk=np.asarray(cos_chunk),
            cos_sent=np.asarray(cos_sent),
            bm25=np.asarray([lex_rank.get(cid, (0, 0.0))[1] for cid in ids]),
            vec_rank=np.asarray([vec_rank.get(cid, 0) for cid in ids]),
            bm25_rank=np.asarray([lex_rank.get(cid, (0, 0.0))[0] for cid in ids]),
            cos_lead=np.asarray(
                [cos(lead_vec[leads[rows[c][1]["key"]]]) if leads[rows[c][1]["key"]] in lead_vec else 0.0 for c in ids]
            ),
            is_lead=np.asarray([c == leads[rows[c][1]["key"]] for c in ids]),
            cos_doc=np.asarray([centroid[rows[c][1]["key"]][0] for c in ids]),
            doc_sents=np.asarray([centroid[rows[c][1]["key"]][1] for c in ids]),
            opens_yes_no=np.asarray([fusion.opens_yes_no(rows[c][0]) for c in ids]),
            doc_coverage=np.asarray([coverage[rows[c][1]["key"]] for c in ids]),
            yes_no_question=is_yes_no(query),  # (not a whole parse: language detection is not needed here)
        )
        return sig, {cid: (doc, meta) for cid, (doc, meta, _) in rows.items()}

    def search(
        self, query: str, vector: np.ndarray, k: int, mode: str = "hybrid", depth: int = DEPTH, ranker=None
    ) -> list[Passage]:
        """The `k` best passages for the query, best first.

        "hybrid" ranks the candidates with the learned ranker (rag/fusion.py), "rrf" by
        reciprocal rank fusion, "vector" and "bm25" by one retriever alone (baselines).
        `ranker` replaces the shipped one (the evaluation passes one fitted per fold)."""
        sig, rows = self.signals(query, vector, depth, mode)
        if not sig.ids:
            return []
        scores = rank_scores(sig, mode, ranker)
        best = [sig.ids[i] for i in fusion.order(sig.ids, scores)[:k]]
        at = {cid: i for i, cid in enumerate(sig.ids)}
        return [
            _passage(cid, *rows[cid], float(scores[i]), sig.vec_rank[i], sig.bm25_rank[i], sig.cos_chunk[i])
            for cid, i in ((cid, at[cid]) for cid in best)
        ]

    def defining(self, passages: list[Passage], options, docs: int = DEFINING_DOCS) -> list[Passage]:
        """The chunks, not among `passages`, that hold a definition list's entry for one of
        `options` (rag/options.py `entry_lines`: "-k --keep" and its description after it) in the
        first `docs` documents of `passages`, in rank order (DEFINING_ENTRIES entries each at
        most); scored as the last of `passages`, with no ranks.

        For a question about an option ("What does gzip -k do?"): BM25 has no term for "-k",
        so the manual's entry is rarely among the passages retrieved for "gzip". Each
        document's sentence texts are read once (rag/sentences.py), its chunks' metadata by id."""
        wanted = set(expanded(options))  # a bundle's letters too: "-xzf" is "-x", "-z" and "-f"
        keys: list[str] = []
        for p in passages:
            key = split_chunk_id(p.chunk_id)[0]
            if key not in keys:
                keys.append(key)
        have = {p.chunk_id for p in passages}
        # Ranked last: a fetched chunk must not look like the best passage to the answer model.
        floor = min((p.score for p in passages), default=0.0)
        out: list[Passage] = []
        for key in keys[:docs]:
            texts = self.sentences.texts(key)
            defines = [{n for _, _, names in entry_lines(t) for n in names} & wanted for t in texts]
            # The first entries of each option: a bundle's letters each get theirs ("-z" after many "-f").
            first = {o: [i for i, d in enumerate(defines) if o in d][:DEFINING_ENTRIES] for o in wanted}
            entries = sorted({i for found in first.values() for i in found})
            # The chunks holding the entry and the units after it: its description follows
            # it, after its aliases' lines (rag/options.py `_entry`).
            out += self._holding(key, entries, ALIAS_LINES + 1, have, floor)
        return out

    def describing(self, passages: list[Passage], name: str, named: list[tuple[str, str]]) -> list[Passage]:
        """The chunks, not among `passages`, holding the units that define `name` (rag/definitions.py
        `pick`: a manual's NAME line and the sentence saying what the program does, or a
        README's "name is ..."), for "What is tar used for?": in the documents `named` ((key,
        source) pairs from the index's file table: those about the name) and the first
        DEFINING_DOCS retrieved ones; scored as the last of `passages`, with no ranks."""
        keys = [key for key, _ in named]  # the most plainly about it first (Engine._about)
        about = set(keys)
        for p in passages:
            key = split_chunk_id(p.chunk_id)[0]
            if key not in keys and len(keys) < len(about) + DEFINING_DOCS:
                keys.append(key)
        have = {p.chunk_id for p in passages}
        floor = min((p.score for p in passages), default=0.0)
        out: list[Passage] = []
        for key in keys:
            units = definitions.pick(dict(enumerate(self.sentences.texts(key))), name, named=key in about)
            # The heading before a DESCRIPTION sentence comes too: the answerer looks for it.
            out += self._holding(key, units, 1, have, floor, before=1)
        return out

    def _holding(self, key: str, units: list[int], after: int, have: set, floor: float, before: int = 0):
        """The chunks of document `key`, not in `have` (which this extends), holding a unit of
        `units` or one of the `after` units after it (`before` before it), as Passages scored `floor`."""
        if not units:
            return []
        ids = [chunk_id(key, i) for i in range(self.live.counts.get(key, 0))]
        got = self.chunks.get(ids=ids, include=["documents", "metadatas"])
        chunks = sorted(zip(got["ids"], got["documents"], got["metadatas"]), key=lambda x: x[2]["s_first"])
        out: list[Passage] = []
        for i in units:
            for c in chunks:
                if c[2]["s_first"] <= i + after and c[2]["s_last"] >= i - before and c[0] not in have:
                    have.add(c[0])
                    out.append(_passage(*c, floor))
        return out

    def candidate_sentences(self, passages: list[Passage]) -> list[SentenceHit]:
        """Every sentence of the given passages, once each, with its vector; sets Passage.sentences.

        A sentence in two overlapping passages is scored once, with the better-ranked one."""
        hits, seen = [], set()
        for p in passages:
            rows = [self.sentences.get(*split_sentence_id(sid)) for sid in p.sentence_ids]
            p.sentences = tuple(Span(start, end) for _, start, end, _ in rows)
            for sid, (text, start, end, vec) in zip(p.sentence_ids, rows):
                if sid in seen:
                    continue
                seen.add(sid)
                key, index = split_sentence_id(sid)
                context = self.sentences.context(key, index)
                hits.append(SentenceHit(p.source, p.title, text, start, end, vec, p, index, context))
        return hits

    def _best_texts(self, seq: list[str], depth: int) -> list[str]:
        """The title, heading path and text of the best `depth` passages BM25 ranks for the
        terms `seq`, one string each ([] when a term is in no passage)."""
        if not seq or any(t not in self.df for t in seq):
            return []
        ids = [cid for cid, _ in self.lexical.ranked(list(seq), depth)]
        if not ids:
            return []
        got = self.chunks.get(ids=ids, include=["documents", "metadatas"])
        return [
            f"{(meta or {}).get('title', '')}\n{(meta or {}).get('section', '')}\n{doc}"
            for doc, meta in zip(got["documents"], got["metadatas"])
        ]

    def holds_phrase(self, seq: list[str], depth: int = PHRASE_DEPTH) -> bool:
        """Whether some passage of the corpus holds the term sequence `seq` (a name such as
        ["unit", "state"]) as a phrase: BM25 over the phrase's terms ranks the passages
        holding them all first, and the best `depth` of those are read. The answerer asks it
        only for a name the retrieved passages lack (rag.answer.unmentioned). A passage's title
        and heading path count ("## Dr Ellen Frost" over the lines about her)."""
        return any(contains(terms(text), list(seq)) for text in self._best_texts(seq, depth))

    def writes_in_capitals(self, word: str, depth: int = PHRASE_DEPTH) -> bool:
        """Whether the corpus writes `word` (e.g. "HEAD") in capitals at least as often as in any
        other case, and at least once, in the best `depth` passages BM25 ranks for its term
        (titles and headings count). git's manual writes "HEAD": a name; a corpus that writes
        "class" or never "shut" does not (rag.question.unshouted reads those in lower case)."""
        found = [w for w, _ in self._spellings(word, depth)]
        capitals = sum(w == word.upper() for w in found)
        return capitals > 0 and 2 * capitals >= len(found)

    def writes_as_name(self, text: str, depth: int = PHRASE_DEPTH) -> bool:
        """Whether a word of `text` is one the corpus never writes in lower case, in the bodies
        of the passages BM25 ranks best for it (a Title Case title capitalises every word), and
        either writes with a capital inside a sentence or English has no such word (lemminflect's
        lemma tables): a capital where a sentence, a line, an item, a cell or a part of a list
        opens says nothing. "orion" is a name in a corpus that writes "the Orion", "hebrides"
        where only "Hebrides sails at 9." is written; "bicycle" is none where "A bicycle travels
        free" is written, though a title says "Ferry Fares and Bicycle Policy"; nor "children"
        where only "Children under 5 travel free." is."""
        for word in re.findall(r"[^\W\d_][\w'\u2019-]*", text):
            found = self._spellings(word, depth, bodies=True)
            if not found or any(w[:1].islower() for w, _ in found):
                continue
            if any(not opening for _, opening in found) or not in_lemma_tables(word.lower()):
                return True
        return False

    def _spellings(self, word: str, depth: int, bodies: bool = False) -> list[tuple[str, bool]]:
        """Every spelling of the one-term `word` as a whole word (any case) in the best `depth`
        passages BM25 ranks for its term, each with whether it opens a sentence, a line, a list
        item, a table cell or a part of a list (rag.text.opens_unit; told only with `bodies`, which also
        leaves out a passage's title and heading lines). [] for a word that is not one term."""
        seq = terms(word)
        texts = self._best_texts(seq, depth) if len(seq) == 1 else []
        if bodies:
            texts = [t.split("\n", 2)[-1] for t in texts]
        pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
        return [(m.group(), bodies and opens_unit(t, m.start())) for t in texts for m in re.finditer(pattern, t, re.I)]

    def without(self, sources) -> Retriever:
        """This generation read as if the documents `sources` (paths as in Passage.source) were
        removed: their chunks leave the vector and BM25 candidates, the chunk count and every
        term's document frequency (their keys become tombstones of the lexical segments, as a
        deletion would make them). The index is not changed. For the evaluation's simulated
        gold removal (eval/calibrate.py `collect(..., removed=True)`)."""
        import copy

        manifest = generation.manifest(self.generation)
        files = manifest.get("files", {})
        keys = {files[s]["key"] for s in sources if s in files}
        view = copy.copy(self)
        if not keys:
            return view
        section = dict(manifest["lexical"])
        tombstones = {name: dict(keys_) for name, keys_ in section.get("tombstones", {}).items()}
        for meta in section.get("segments", []):
            tombstones.setdefault(meta["name"], {}).update(dict.fromkeys(keys, 0))
        section["tombstones"] = tombstones
        store = generation.store_dir(self.generation.parent, manifest.get("store_tag", ""))
        view.lexical = lexical.Lexical(store, section)
        view.n_chunks = view.lexical.n_chunks
        view.df = _DocFreq(view.lexical)
        view.live = LiveIds({k: n for k, n in self.live.counts.items() if k not in keys})
        return view
