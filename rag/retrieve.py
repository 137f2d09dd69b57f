"""Find the passages that may answer a question: index -> **retrieve** -> answer.

What it does: hybrid retrieval over one index generation. BM25 (bm25s, over the folded,
stemmed terms of rag/text.py, so spelling variants of names meet) and cosine search over
MiniLM vectors in Chroma each rank up to `depth` chunks; reciprocal rank fusion
(Cormack, Clarke & Buettcher 2009: score = sum of 1 / (60 + rank)) merges the two lists.
Ties break on chunk id, so the same query always gets the same passages. `mode` selects
"vector" or "bm25" alone, for the evaluation's baselines. Then the sentences of the
chosen passages are fetched with their vectors, for the answerer to score.

What it deliberately doesn't: rerank with a cross-encoder (none ships offline here) or
call an LLM. Chroma's HNSW is created with ef_search 200, so on collections of a few
hundred chunks its search is exhaustive and therefore deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import generation
from . import sentences as sentence_files
from . import store as vectors
from .chunks import sentence_id, split_sentence_id
from .errors import StoreError
from .text import terms
from .types import Passage, SentenceHit, Span

RRF_K = 60
MODES = ("hybrid", "vector", "bm25")


class Retriever:
    """Read access to one published generation; every lookup stays inside its ids.

    The vector store is shared with generations before and after this one (rag/generation.py),
    so a vector search over-fetches and keeps only this generation's chunks: a running or
    killed ingest's vectors are never seen, and neither are those of documents it dropped."""

    def __init__(self, gen: Path):
        import bm25s

        self.generation = gen
        manifest = generation.manifest(gen)  # StoreError when unreadable or of another format
        index_dir = gen.parent
        store = generation.store_dir(index_dir, manifest.get("store_tag", ""))
        sentence_files.check(store, {e["key"] for e in manifest.get("files", {}).values()})
        self.chunks = vectors.readable(index_dir, manifest.get("store", vectors.EMBEDDED), manifest["store_tag"])
        self.sentences = sentence_files.Sentences(store)
        lexical_json, bm25_dir, _ = generation.lexical_paths(gen)
        try:
            lexical = json.loads(lexical_json.read_text())
            self.ids: list[str] = lexical["ids"]
            self.live = frozenset(self.ids)
            self.df: dict[str, int] = lexical["df"]
            self.n_chunks: int = lexical["n"]
            self.bm25 = bm25s.BM25.load(str(bm25_dir), show_progress=False) if self.ids else None
            # A store that lost records (or a truncated database) must not answer from half an index.
            self.stored = self.chunks.count()
            if self.stored < self.n_chunks or self.n_chunks != manifest["counts"]["chunks"]:
                raise ValueError(f"{self.stored} chunks stored, {self.n_chunks} expected")
            probe = sorted(set(self.ids[:1] + self.ids[-1:]))
            if len(self.chunks.get(ids=probe, include=[])["ids"]) != len(probe):
                raise ValueError("the store lacks this generation's chunks")
        except StoreError:
            raise
        except Exception as exc:  # missing or garbled files, whatever the library raises
            raise StoreError(f"index at {gen.parent} is damaged ({type(exc).__name__}: {exc})") from exc

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency over chunks; unseen terms weigh the most."""
        return float(np.log(1 + (self.n_chunks + 1) / (self.df.get(term, 0) + 0.5)))

    def _vector_ranked(self, vector: np.ndarray, depth: int) -> list[tuple[str, float]]:
        n = min(depth, self.n_chunks)
        if n == 0:
            return []
        ask = min(n + 16, self.stored)  # a few spare: other generations' vectors share the store
        while True:
            got = self.chunks.query(query_embeddings=[vector.tolist()], n_results=ask, include=["distances"])
            ids, dists = got["ids"][0], got["distances"][0]
            out = [(cid, 1.0 - d) for cid, d in zip(ids, dists) if cid in self.live]
            if len(out) >= n or len(ids) < ask or ask >= self.stored:
                return out[:n]
            ask = min(ask * 4, self.stored)

    def _bm25_ranked(self, query: str, depth: int) -> list[tuple[str, float]]:
        if self.bm25 is None:
            return []
        vocab = self.bm25.vocab_dict
        tokens = [t for t in terms(query) if t in vocab]
        if not tokens:
            return []
        docs, scores = self.bm25.retrieve([tokens], k=min(depth, len(self.ids)), show_progress=False)
        return [(self.ids[int(i)], float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]

    def search(self, query: str, vector: np.ndarray, k: int, mode: str = "hybrid", depth: int = 30) -> list[Passage]:
        """The `k` best passages for the query, best first."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        vec = self._vector_ranked(vector, depth) if mode != "bm25" else []
        lex = self._bm25_ranked(query, depth) if mode != "vector" else []
        fused: dict[str, float] = {}
        for ranked in (vec, lex):
            for rank, (cid, _) in enumerate(ranked, 1):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank)
        best = sorted(fused, key=lambda c: (-fused[c], c))[:k]
        if not best:
            return []
        vec_rank = {cid: (r, s) for r, (cid, s) in enumerate(vec, 1)}
        lex_rank = {cid: r for r, (cid, _) in enumerate(lex, 1)}
        got = self.chunks.get(ids=best, include=["documents", "metadatas"])
        rows = {cid: (doc, meta) for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"])}
        out = []
        for cid in best:
            doc, meta = rows[cid]
            out.append(
                Passage(
                    chunk_id=cid,
                    source=meta["source"],
                    title=meta["title"],
                    subjects=meta.get("subjects", ""),
                    text=doc,
                    start=meta["start"],
                    end=meta["end"],
                    score=fused[cid],
                    vector_rank=vec_rank.get(cid, (None,))[0],
                    bm25_rank=lex_rank.get(cid),
                    vector_score=vec_rank.get(cid, (None, None))[1],
                    sentence_ids=tuple(sentence_id(meta["key"], i) for i in range(meta["s_first"], meta["s_last"] + 1)),
                )
            )
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
