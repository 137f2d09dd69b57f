"""BM25 over immutable segments: the lexical half of the index, written at ingest, scored at query time.

What it does: an ingest writes the chunks of the documents it added or changed as one new
*segment*, a sparse term x chunk matrix of term frequencies (compressed by column, so a query
reads only its terms' postings) with the chunks' lengths, in
`<store>/lexical/<name>/` (rag/generation.py names it). A segment never changes once
written and is named by the document keys it holds, so generations share segments the way
they share vectors. A document that is changed or deleted is not rewritten: its key becomes a
*tombstone* of the segment holding it. A generation's manifest lists its segments and
tombstones (`manifest["lexical"]`); the update therefore costs what the change costs, not
what the corpus costs. Scoring happens at query time from global statistics summed over the
live rows of every listed segment (chunk count, total length, each query term's document
frequency), so a new segment never requires re-weighting the old ones.

The score is bm25s's default, Lucene's BM25 (k1 = 1.5, b = 0.75, idf = ln(1 + (N - df + 0.5) /
(df + 0.5)), Kamphuis et al., ECIR 2020), computed in the same float32/float64 steps as bm25s
0.3, which the index used before segments: each posting's score is rounded to float32, a
query's terms are summed in float32 in query order, and the top k are selected over all live
chunks in chunk-id order with the same numpy calls, so scores and rankings, ties included,
are those of a bm25s index rebuilt over the live chunks.

Merging (Lucene's log-structured idea, simplified): when a generation would list more than
MAX_SEGMENTS segments, the MERGE_FACTOR smallest are merged into one; when tombstoned rows
exceed MAX_DEAD of all rows, every segment is merged into one without them. A merge is the
only step whose cost grows with the corpus, and it is amortised over the ingests that led
to it.

What it deliberately doesn't: tokenise (rag/text.py `terms`, called by rag/index.py), name
files or folders (rag/generation.py), decide which documents changed (rag/index.py), or
delete segments a kept generation still lists (the caller passes what is in use).
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import generation
from .errors import StoreError

K1, B = 1.5, 0.75  # bm25s's defaults (method "lucene")
MAX_SEGMENTS = 8
MERGE_FACTOR = 4
MAX_DEAD = 0.25
_ARRAYS = ("ids", "keys", "starts", "vocab", "indptr", "rows", "tf", "lengths")

# A document's chunks for the writer: (document key, chunk ids, terms of each chunk).
DocTerms = tuple[str, list[str], list[list[str]]]


def segment_name(keys) -> str:
    """Content address of a segment: its (sorted) document keys, which fix its bytes under one store's rules."""
    return "seg-" + hashlib.sha1("\n".join(sorted(keys)).encode()).hexdigest()[:16]


# Writing ------------------------------------------------------------------------------------


def _save(store: Path, keys: list[str], ids: np.ndarray, vocab: list[str], cols, rows, tf, lengths) -> dict:
    """Write one segment (rows already sorted by chunk id, hence grouped by key) by a rename."""
    name = segment_name(keys)
    final = generation.segment_dir(store, name)
    meta = {"name": name, "rows": int(len(ids))}
    if final.is_dir():  # same keys, same bytes: a kept generation already wrote it
        return meta
    cols = np.asarray(cols, dtype=np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    order = np.lexsort((rows, cols))  # by column, then row: each term's postings in chunk order
    key_of_row = np.asarray([cid.rsplit("-c", 1)[0] for cid in ids])
    starts = np.searchsorted(key_of_row, np.asarray(sorted(keys)), side="left") if len(keys) else np.zeros(0)
    arrays = {
        "ids": np.asarray(ids, dtype=str),
        "keys": np.asarray(sorted(keys), dtype=str),
        "starts": np.append(starts, len(ids)).astype(np.int64),
        "vocab": np.asarray(vocab, dtype=str) if vocab else np.zeros(0, dtype="U1"),
        "indptr": np.concatenate([[0], np.cumsum(np.bincount(cols, minlength=len(vocab)))]).astype(np.int64),
        "rows": rows[order].astype(np.int32),
        "tf": np.asarray(tf)[order].astype(np.uint16),  # a chunk holds at most a few hundred word pieces
        "lengths": np.asarray(lengths, dtype=np.int32),
    }
    tmp = final.with_name(f"{name}{generation.BUILDING}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for field in _ARRAYS:
        with open(tmp / f"{field}.npy", "wb") as fh:
            np.save(fh, arrays[field], allow_pickle=False)
            fh.flush()
            os.fsync(fh.fileno())
    try:
        os.rename(tmp, final)
    except OSError:  # written meanwhile under the same name: same bytes
        shutil.rmtree(tmp, ignore_errors=True)
    return meta


def write_segment(store: Path, docs: list[DocTerms]) -> dict | None:
    """Write the chunks of `docs` as one segment; returns {"name", "rows"} (None when `docs` is empty)."""
    if not docs:
        return None
    pairs = sorted((cid, toks) for _, ids, terms in docs for cid, toks in zip(ids, terms))
    vocab: dict[str, int] = {}
    cols, rows, tf, lengths = [], [], [], []
    for r, (_, toks) in enumerate(pairs):
        counts = Counter(toks)
        cols.extend(vocab.setdefault(t, len(vocab)) for t in counts)
        tf.extend(counts.values())
        rows.extend([r] * len(counts))
        lengths.append(len(toks))
    terms_sorted = sorted(vocab)
    remap = np.empty(len(vocab), dtype=np.int64)
    remap[[vocab[t] for t in terms_sorted]] = np.arange(len(vocab))
    cols = remap[np.asarray(cols, dtype=np.int64)] if cols else np.zeros(0, dtype=np.int64)
    ids = np.asarray([cid for cid, _ in pairs], dtype=str)
    return _save(store, [key for key, _, _ in docs], ids, terms_sorted, cols, rows, tf, lengths)


def _merge(store: Path, names: list[str], tombstones: dict[str, dict[str, int]]) -> dict | None:
    """One segment holding the live rows of segments `names` (None when none is live)."""
    parts = []
    for name in names:
        seg = load(generation.segment_dir(store, name))
        live = ~seg.dead_mask(tombstones.get(name, {}))
        cols = np.repeat(np.arange(len(seg.vocab)), np.diff(seg.indptr))
        keep = live[seg.rows]
        parts.append((seg, live, cols[keep], np.asarray(seg.rows[keep]), np.asarray(seg.tf[keep])))
    vocab = np.unique(np.concatenate([np.asarray(seg.vocab) for seg, *_ in parts])) if parts else np.zeros(0)
    ids = np.concatenate([np.asarray(seg.ids)[live] for seg, live, *_ in parts])
    if not len(ids):
        return None
    order = np.argsort(ids, kind="stable")
    new_row = np.empty(len(ids), dtype=np.int64)
    new_row[order] = np.arange(len(ids))
    all_cols, all_rows, all_tf, lengths, offset = [], [], [], [], 0
    for seg, live, cols, rows, tf in parts:
        old_to_new = np.full(len(seg.ids), -1, dtype=np.int64)
        old_to_new[np.flatnonzero(live)] = new_row[offset : offset + int(live.sum())]
        offset += int(live.sum())
        all_cols.append(np.searchsorted(vocab, np.asarray(seg.vocab))[cols])
        all_rows.append(old_to_new[rows])
        all_tf.append(tf)
        lengths.append(np.asarray(seg.lengths)[live])
    keys = sorted({cid.rsplit("-c", 1)[0] for cid in ids.tolist()})
    return _save(
        store,
        keys,
        ids[order],
        vocab.tolist(),
        np.concatenate(all_cols),
        np.concatenate(all_rows),
        np.concatenate(all_tf),
        np.concatenate(lengths)[order],
    )


def update(
    store: Path, before: dict | None, added: list[DocTerms], removed: list[tuple[str, str, int]]
) -> tuple[dict, dict[str, str]]:
    """The lexical section of the next generation's manifest, and where segments moved.

    `before`: the live generation's section (None for a first or full build); `added`: the
    chunks of added and changed documents; `removed`: (segment, key, chunks) of changed and
    deleted ones. Returns ({"segments": [{"name", "rows"}], "tombstones": {segment: {key:
    chunks}}}, {old segment name: new name}) where the second maps every segment merged away
    (and "" to the added documents' segment). Only the new segment is written, plus a merge
    when the policy in the module docstring calls for one."""
    segments = [dict(s) for s in (before or {}).get("segments", [])]
    tombstones = {s: dict(k) for s, k in (before or {}).get("tombstones", {}).items()}
    for seg, key, n in removed:
        tombstones.setdefault(seg, {})[key] = n
    moved: dict[str, str] = {}
    new = write_segment(store, added)
    if new and new["rows"]:
        moved[""] = new["name"]
        segments = [s for s in segments if s["name"] != new["name"]] + [new]
        # Its keys are live: the same keys deleted earlier from a still-listed copy of this very
        # segment (a file deleted, then restored byte for byte) are not tombstones any more.
        tombstones.pop(new["name"], None)
    dead = sum(sum(k.values()) for k in tombstones.values())
    total = sum(s["rows"] for s in segments)
    if dead and dead > MAX_DEAD * total:
        victims = [s["name"] for s in segments]
    elif len(segments) > MAX_SEGMENTS:
        victims = [s["name"] for s in sorted(segments, key=lambda s: (s["rows"], s["name"]))[:MERGE_FACTOR]]
    else:
        victims = []
    if victims:
        merged = _merge(store, victims, tombstones)
        segments = [s for s in segments if s["name"] not in victims] + ([merged] if merged else [])
        for name in victims:
            tombstones.pop(name, None)
            moved[name] = merged["name"] if merged else ""
        if "" in moved and moved[""] in victims:
            moved[""] = moved[moved[""]]
    listed = {s["name"] for s in segments}
    tombstones = {s: dict(sorted(k.items())) for s, k in tombstones.items() if k and s in listed}
    return {"segments": segments, "tombstones": tombstones}, moved


def in_use(sections: list[dict]) -> set[str]:
    """Names of the segments that the given manifests' lexical sections list."""
    return {s["name"] for sec in sections for s in sec.get("segments", [])}


def remove_unused(store: Path, keep: set[str]) -> None:
    """Delete every segment folder (and killed write) of `store` not named in `keep`."""
    folder = generation.lexical_dir(store)
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


# Reading and scoring --------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One segment's arrays, memory-mapped: a query reads only its terms' postings."""

    ids: np.ndarray  # chunk ids, sorted
    keys: np.ndarray  # document keys, sorted; rows starts[i]:starts[i+1] are key i's chunks
    starts: np.ndarray
    vocab: np.ndarray  # terms, sorted; postings of term j are rows[indptr[j]:indptr[j+1]]
    indptr: np.ndarray
    rows: np.ndarray
    tf: np.ndarray
    lengths: np.ndarray  # terms per chunk (BM25's document length)

    def column(self, term: str) -> int | None:
        j = int(np.searchsorted(self.vocab, term))
        return j if j < len(self.vocab) and self.vocab[j] == term else None

    def dead_mask(self, dead_keys) -> np.ndarray:
        """Boolean per row: True where the row's document is tombstoned."""
        mask = np.zeros(len(self.ids), dtype=bool)
        for key in dead_keys:
            i = int(np.searchsorted(self.keys, key))
            if i < len(self.keys) and self.keys[i] == key:
                mask[self.starts[i] : self.starts[i + 1]] = True
        return mask


@lru_cache(maxsize=64)  # a segment never changes once written (its name digests its keys)
def _load(path: str) -> Segment:
    arrays = {f: np.load(Path(path) / f"{f}.npy", mmap_mode="r", allow_pickle=False) for f in _ARRAYS}
    seg = Segment(**arrays)
    n = len(seg.ids)
    if not (
        len(seg.lengths) == n
        and len(seg.starts) == len(seg.keys) + 1
        and len(seg.indptr) == len(seg.vocab) + 1
        and int(seg.indptr[-1]) == len(seg.rows) == len(seg.tf)
        and (n == 0 or int(seg.starts[-1]) == n)
    ):
        raise ValueError(f"segment {path} is inconsistent")
    return seg


def load(path: Path) -> Segment:
    """A segment; StoreError when its files are missing or garbled."""
    try:
        return _load(str(path))
    except (OSError, ValueError) as exc:
        raise StoreError(f"lexical segment {path.name} unreadable ({type(exc).__name__}: {exc})") from exc


class Lexical:
    """BM25 over the live rows of one generation's segments.

    `n_chunks` and `df(term)` are over live chunks only; `ranked()` gives bm25s's scores."""

    def __init__(self, store: Path, section: dict):
        tombstones = section.get("tombstones", {})
        self.parts: list[tuple[Segment, np.ndarray | None]] = []
        n, length = 0, 0
        for meta in section.get("segments", []):
            seg = load(generation.segment_dir(store, meta["name"]))
            if len(seg.ids) != meta["rows"]:
                raise StoreError(f"lexical segment {meta['name']} holds {len(seg.ids)} rows, {meta['rows']} listed")
            dead = seg.dead_mask(tombstones[meta["name"]]) if meta["name"] in tombstones else None
            live_rows = len(seg.ids) - (int(dead.sum()) if dead is not None else 0)
            n += live_rows
            total = int(np.asarray(seg.lengths, dtype=np.int64).sum())
            length += total - (int(np.asarray(seg.lengths)[dead].sum()) if dead is not None else 0)
            self.parts.append((seg, dead))
        self.n_chunks = n
        self.avg_len = length / n if n else 0.0
        self._df: dict[str, int] = {}
        self._order: tuple[np.ndarray, list[np.ndarray]] | None = None

    def _postings(self, term: str) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """[(part, live rows, their term frequencies)] of `term`."""
        out = []
        for i, (seg, dead) in enumerate(self.parts):
            j = seg.column(term)
            if j is None:
                continue
            a, b = int(seg.indptr[j]), int(seg.indptr[j + 1])
            rows, tf = np.asarray(seg.rows[a:b]), np.asarray(seg.tf[a:b])
            if dead is not None:
                keep = ~dead[rows]
                rows, tf = rows[keep], tf[keep]
            if len(rows):
                out.append((i, rows, tf))
        return out

    def df(self, term: str) -> int:
        """Live chunks holding `term`."""
        if term not in self._df:
            if len(self._df) > 100_000:
                self._df.clear()
            self._df[term] = sum(len(rows) for _, rows, _ in self._postings(term))
        return self._df[term]

    def scores(self, tokens: list[str]) -> list[np.ndarray | None]:
        """BM25 score of every row of every part (None for parts no token matched).

        Repeated tokens count again, as in bm25s; float32 sums in token order, as in bm25s."""
        acc: list[np.ndarray | None] = [None] * len(self.parts)
        computed: dict[str, list] = {}
        for term in tokens:
            if term not in computed:
                postings = self._postings(term)
                df = sum(len(rows) for _, rows, _ in postings)
                self._df.setdefault(term, df)
                if not df:
                    computed[term] = []
                    continue
                idf = np.float64(np.float32(math.log(1 + (self.n_chunks - df + 0.5) / (df + 0.5))))
                contrib = []
                for i, rows, tf in postings:
                    tf64 = tf.astype(np.float64)
                    ld = np.asarray(self.parts[i][0].lengths)[rows].astype(np.float64)
                    tfc = tf64 / (K1 * ((1 - B) + B * ld / self.avg_len) + tf64)
                    contrib.append((i, rows, (idf * tfc).astype(np.float32)))
                computed[term] = contrib
            for i, rows, values in computed[term]:
                if acc[i] is None:
                    acc[i] = np.zeros(len(self.parts[i][0].ids), dtype=np.float32)
                acc[i][rows] += values  # a term's postings name each row once
        return acc

    def _layout(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """(live chunk ids sorted, per part: each row's index in that order or -1 when dead).

        The order bm25s's matrix had (chunk ids sorted), so `ranked` selects over the same array."""
        if self._order is None:
            ids = [np.asarray(seg.ids) if dead is None else np.asarray(seg.ids)[~dead] for seg, dead in self.parts]
            every = np.concatenate(ids) if ids else np.zeros(0, dtype="U1")
            order = np.argsort(every, kind="stable")
            at = np.empty(len(every), dtype=np.int64)
            at[order] = np.arange(len(every))
            where, offset = [], 0
            for (seg, dead), live_ids in zip(self.parts, ids):
                pos = np.full(len(seg.ids), -1, dtype=np.int64)
                pos[np.flatnonzero(~dead) if dead is not None else slice(None)] = at[offset : offset + len(live_ids)]
                offset += len(live_ids)
                where.append(pos)
            self._order = (every[order], where)
        return self._order

    def ranked(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Up to `k` (chunk id, score) with score > 0, best first.

        The scores are bm25s's; the selection runs over the matching chunks only (score > 0:
        a query's terms usually match a small share of 235k chunks) and is deterministic:
        score descending, then the chunk's position in chunk-id order (the order bm25s's
        matrix had) ascending, so equal scores (copied documents) always come out in one
        order. `top_k` is that rule; bm25s's own selection (numpy's argpartition over every
        chunk) leaves the order among equal scores to numpy's introselect."""
        k = min(k, self.n_chunks)
        if k <= 0:
            return []
        ids, where = self._layout()
        hit_pos, hit_score = [], []
        for pos, acc in zip(where, self.scores(tokens)):
            if acc is not None:
                rows = np.flatnonzero(acc > 0)
                at = pos[rows]
                live = at >= 0
                hit_pos.append(at[live])
                hit_score.append(acc[rows[live]])
        if not hit_pos:
            return []
        positions, scores = np.concatenate(hit_pos), np.concatenate(hit_score)
        top = top_k(scores, positions, k)
        return [(str(ids[positions[i]]), float(scores[i])) for i in top]


def top_k(scores: np.ndarray, positions: np.ndarray, k: int) -> np.ndarray:
    """Indices into `scores` of the `k` best by (score descending, position ascending).

    One partition finds the k-th best score; only the entries at or above it are sorted
    (O(n) plus the sort of about k), so the order among ties never depends on the selection
    algorithm. `positions` must be distinct."""
    n = len(scores)
    if n > k:
        kth = np.partition(scores, n - k)[n - k]  # the k-th largest score
        keep = np.flatnonzero(scores >= kth)
    else:
        keep = np.arange(n)
    order = np.lexsort((positions[keep], -scores[keep].astype(np.float64)))
    return keep[order[:k]]
